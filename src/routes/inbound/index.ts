import { readBodyBytes } from "../../middleware/json-body.js";
import { ingestRawEmail } from "../../services/inbound-email.js";
import { createRouter } from "../openapi.js";
import { inboundEmail } from "./routes.js";

const RFC822 = /^message\/rfc822\s*(;|$)/i;

export const inboundRoutes = createRouter().openapi(inboundEmail, async (c) => {
  const { source, direction } = c.req.valid("query");
  const raw = await readBodyBytes(c, c.var.deps.config.BODY_LIMIT_BYTES, RFC822, "message/rfc822");
  const { result, bodyPart, attachments } = await ingestRawEmail(c.var.deps, raw, {
    source,
    direction,
    now: c.var.deps.clock(),
    maxLines: c.var.deps.config.EMAIL_MAX_LINES,
  });
  const body = { id: result.id, customerId: result.customerId, status: result.outcome, bodyPart, attachments };
  if (result.outcome === "existing") return c.json(body, 200);
  c.header("location", `/v1/interactions/${result.id}`);
  return c.json(body, 201);
});
