import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { bodyProblems, json, keyProblems, problems, secured } from "../openapi.js";

const tags = ["inbound"];

export const inboundEmailQuery = z.object({
  source: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, "must be a lower-case name such as email or support-inbox")
    .default("email")
    .meta({ description: "The posting system; with the Message-ID it makes the record's (source, externalId)." }),
  direction: z
    .enum(["inbound", "outbound"], "must be inbound or outbound")
    .default("inbound")
    .meta({ description: "inbound: the sender (From) is the customer; outbound: the first recipient (To) is." }),
});

export const inboundEmailResponse = z
  .object({
    id: z.string(),
    customerId: z.string(),
    status: z.enum(["created", "existing"]),
    bodyPart: z.enum(["text", "html"]).meta({ description: "The body part that held the reply and was analysed." }),
    attachments: z.number().int().meta({ description: "Attachments listed (names, types, sizes) and left out." }),
  })
  .meta({ id: "InboundEmailResult" });

export const inboundEmail = createRoute({
  method: "post",
  path: "/email",
  tags,
  summary: "Ingest one raw email (RFC 5322 / MIME, as a mail server's pipe delivers it)",
  description:
    "The message is parsed (charsets, quoted-printable, base64, multipart); quoted history, forwarded messages, signatures and footers are stored apart from the new text, which alone is analysed. Idempotent on the Message-ID.",
  ...secured("ingest"),
  request: {
    query: inboundEmailQuery,
    body: { required: true, content: { "message/rfc822": { schema: z.string().meta({ format: "binary" }) } } },
  },
  responses: {
    201: json(inboundEmailResponse, "Created and analysed (Location names the new interaction)"),
    200: json(inboundEmailResponse, "Already stored (same source and Message-ID)"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(503),
  },
});
