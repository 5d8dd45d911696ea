import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { connectorNames } from "../../connectors/index.js";
import { bodyProblems, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";

export const deliveryResult = z
  .object({
    sender: z.string(),
    event: z.string().meta({ description: "The sender's name for what happened." }),
    records: z.array(
      z.object({
        kind: z.enum(["interaction", "event"]),
        externalId: z
          .string()
          .meta({ description: "Made from the sender's own ids: a redelivery finds the same records." }),
        id: z.string(),
        status: z
          .enum(["created", "existing", "appended"])
          .meta({ description: "appended: a chat message that grew its conversation's interaction by a turn." }),
      }),
    ),
    unmapped: z.array(z.string()).meta({ description: "Parts of the delivery that became no record, and why." }),
    ignored: z.string().optional().meta({
      description:
        "Set when the delivery is of a kind this connector does not map (answered 2xx so the sender does not retry).",
    }),
  })
  .meta({ id: "ConnectorDelivery" });

export const receive = createRoute({
  method: "post",
  path: "/{sender}",
  tags: ["connectors"],
  summary: "Receive a delivery in a sender's own format (webhook or export page)",
  description: `Senders: ${connectorNames.join(", ")}. The signature is checked with the connector's secret where the sender signs; unsigned or stale deliveries are refused unless the sender is listed in CONNECTOR_UNSIGNED. Answered after the records are durably written.`,
  ...secured("ingest", { body: "delivery", keyInQuery: true, keepRawBody: true }),
  request: {
    params: z.object({ sender: z.string().meta({ description: "The sending system", example: "chatwoot" }) }),
    query: z.object({
      key: z
        .string()
        .optional()
        .meta({ description: "The API key, for senders that cannot send an Authorization header." }),
      occurredAt: z.iso
        .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone" })
        .optional()
        .meta({ description: "Call transcripts: when the call started." }),
      customerPhone: z
        .string()
        .trim()
        .min(1)
        .max(40)
        .optional()
        .meta({ description: "Call transcripts: the customer's phone number." }),
      customerEmail: z
        .email("must be an email address")
        .optional()
        .meta({ description: "Call transcripts: the customer's email." }),
      customerId: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .meta({ description: "Call transcripts: the customer's CRM id." }),
      agentSpeaker: z.coerce
        .number()
        .int()
        .min(0)
        .max(32)
        .optional()
        .meta({ description: "azure-speech: the speaker (or channel) number of the agent." }),
      callId: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .meta({ description: "azure-speech: the call's id, when the transcript names no source recording." }),
    }),
    body: jsonBody(
      z
        .union([z.record(z.string(), z.unknown()), z.array(z.unknown())], "must be a JSON object or array")
        .meta({ description: "The sender's payload, as it sends it." }),
    ),
  },
  responses: {
    200: json(deliveryResult, "Stored (or ignored): what became of the delivery"),
    ...keyProblems,
    401: {
      description: "Missing or unknown API key, or a delivery that is unsigned, wrongly signed or stale",
      content: problems(401)[401].content,
    },
    ...bodyProblems,
    ...problems(404, 503),
  },
});
