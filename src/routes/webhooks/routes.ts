import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import {
  deliveryList,
  deliveryStatuses,
  registeredWebhook,
  registerWebhookSchema,
  webhookList,
} from "../../contracts/webhooks.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";

const tags = ["webhooks"];
const params = idParams("The webhook's id");

export const register = createRoute({
  method: "post",
  path: "/",
  tags,
  summary:
    "Register a webhook endpoint for moment.flagged, moment.escalated, moment.acknowledged, moment.assigned, moment.closed, moment.reopened, moment.resolved, interaction.analyzed",
  description:
    "Deliveries follow Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), or with `format` slack or teams are a Slack Block Kit message or a Teams Adaptive Card for that tool's incoming webhook. The signing secret is returned once. URLs resolving to any non-public address (private, loopback, link-local, CGNAT, multicast, reserved, and IPv6 forms carrying one) are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true; every delivery is checked again and connects only to the address checked.",
  ...secured("manage_webhooks", { body: "webhook" }),
  request: { body: jsonBody(registerWebhookSchema) },
  responses: {
    201: json(registeredWebhook, "Registered, with its secret"),
    ...keyProblems,
    ...bodyProblems,
    409: {
      ...problems(409)[409],
      description: "As many webhooks are active as WEBHOOKS_MAX allows; disable one first",
    },
    ...problems(503),
  },
});

export const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Registered webhooks",
  ...secured("manage_webhooks"),
  responses: { 200: json(webhookList, "The webhooks (no secrets)"), ...keyProblems, ...problems(503) },
});

export const disable = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Disable a webhook",
  ...secured("manage_webhooks"),
  request: { params },
  responses: { 204: { description: "Disabled" }, ...keyProblems, ...problems(404, 503) },
});

export const deliveries = createRoute({
  method: "get",
  path: "/{id}/deliveries",
  tags,
  summary: "Recent deliveries (the latest 200) with status, attempts and last error",
  ...secured("manage_webhooks"),
  request: {
    params,
    query: z.object({ status: z.enum(deliveryStatuses, `must be one of ${deliveryStatuses.join(", ")}`).optional() }),
  },
  responses: { 200: json(deliveryList, "Deliveries, newest first"), ...keyProblems, ...problems(422, 503) },
});
