import type { Config } from "../../config.js";
import { connectors } from "../../connectors/index.js";
import type { DeliveryContext, HeaderReader, Mapped } from "../../connectors/types.js";
import { notFound } from "../../lib/domain-error.js";
import type { Logger } from "../../lib/logger.js";
import type { ItemResult } from "../ingest/ingest-service.js";
import { appendMessage, setConversationClosed, type ConversationDeps } from "../conversations/grow.js";

/** Why a delivery was not accepted as the sender's; the route answers 401 with it. */
export class DeliveryRefused extends Error {
  constructor(
    readonly sender: string,
    readonly reason: "unsigned" | "no_secret" | "bad_signature" | "stale",
    detail: string,
  ) {
    super(detail);
  }
}

export interface StoredRecord {
  kind: "interaction" | "event";
  externalId: string;
  id: string;
  /** `appended`: a message that grew its conversation's interaction by a turn. */
  status: "created" | "existing" | "appended";
}

export interface DeliveryResult {
  sender: string;
  event: string;
  records: StoredRecord[];
  unmapped: string[];
  ignored?: string;
}

const secrets = (config: Config): Record<string, string | undefined> => ({
  chatwoot: config.CONNECTOR_CHATWOOT_SECRET,
  zendesk: config.CONNECTOR_ZENDESK_SECRET,
  intercom: config.CONNECTOR_INTERCOM_SECRET,
  x: config.CONNECTOR_X_SECRET,
});

/** The connector for `sender`, or not found. */
export function connectorFor(sender: string) {
  const connector = Object.hasOwn(connectors, sender) ? connectors[sender] : undefined;
  if (!connector) throw notFound(`No connector for "${sender}"; there are ${Object.keys(connectors).join(", ")}.`);
  return connector;
}

/**
 * Checks that a delivery comes from its sender: signed with the connector's secret and recent, unless
 * the sender is listed in CONNECTOR_UNSIGNED (then an unsigned delivery is taken, a signed one still checked).
 */
export function authenticateDelivery(
  sender: string,
  raw: Uint8Array,
  header: HeaderReader,
  payload: unknown,
  config: Config,
  now: Date,
): void {
  const connector = connectorFor(sender);
  // A sender that never signs (Reddit, vCon files) is authenticated by the Earshot key alone.
  if (!connector.signatureHeader) return;
  const signature = header(connector.signatureHeader);
  const unsignedAllowed = config.CONNECTOR_UNSIGNED.has(sender);
  if (!signature) {
    if (unsignedAllowed) return;
    throw new DeliveryRefused(
      sender,
      "unsigned",
      `The delivery carries no ${connector.signatureHeader} header; list ${sender} in CONNECTOR_UNSIGNED to accept unsigned deliveries.`,
    );
  }
  const secret = secrets(config)[sender];
  if (!secret)
    throw new DeliveryRefused(
      sender,
      "no_secret",
      `No secret is configured for ${sender} (CONNECTOR_${sender.toUpperCase()}_SECRET), so its signature cannot be checked.`,
    );
  const verdict = connector.verify!(raw, header, secret, now, config.CONNECTOR_MAX_AGE_SECONDS, payload);
  if (!verdict.ok) throw new DeliveryRefused(sender, verdict.reason, verdict.detail);
}

function describe(kind: "interaction" | "event", r: ItemResult, externalId: string): StoredRecord | string {
  if (r.outcome === "invalid")
    return `${kind} ${externalId}: ${r.errors.map((e) => `${e.field} ${e.message}`).join("; ")}`;
  if (r.outcome === "conflict") return `${kind} ${externalId}: ${r.detail}`;
  return { kind, externalId, id: r.id, status: r.outcome };
}

/**
 * Maps an authenticated delivery and stores its records through the ingest service (the same
 * validation, masking, idempotency and durable write as a direct post). Records that fail validation
 * are reported as unmapped rather than failing the delivery: the sender would only retry it.
 */
export interface ReceiveDeps extends ConversationDeps {
  logger: Logger;
}

export async function receiveDelivery(
  sender: string,
  payload: unknown,
  deps: ReceiveDeps,
  context: DeliveryContext = { query: {} },
): Promise<DeliveryResult> {
  const { ingest, logger } = deps;
  const mapped: Mapped = connectorFor(sender).map(payload, context);
  if (mapped.ignored && mapped.interactions.length === 0 && mapped.events.length === 0 && !mapped.messages?.length) {
    logger.info({ sender, event: mapped.event, reason: mapped.ignored }, "connector delivery ignored");
    return { sender, event: mapped.event, records: [], unmapped: mapped.unmapped, ignored: mapped.ignored };
  }
  const [interactions, events] = await Promise.all([
    mapped.interactions.length ? ingest.ingestMany("interaction", mapped.interactions, []) : Promise.resolve([]),
    mapped.events.length ? ingest.ingestMany("event", mapped.events, []) : Promise.resolve([]),
  ]);
  const records: StoredRecord[] = [];
  const unmapped = [...mapped.unmapped];
  interactions.forEach((r, i) => {
    const d = describe("interaction", r, mapped.interactions[i].externalId);
    typeof d === "string" ? unmapped.push(d) : records.push(d);
  });
  events.forEach((r, i) => {
    const d = describe("event", r, mapped.events[i].externalId);
    typeof d === "string" ? unmapped.push(d) : records.push(d);
  });
  // Messages grow their conversations one at a time, in the order the delivery holds them.
  for (const m of mapped.messages ?? []) {
    const r = await appendMessage(deps, m);
    if (r.status === "invalid")
      unmapped.push(`message ${m.messageId}: ${r.errors.map((e) => `${e.field} ${e.message}`).join("; ")}`);
    else if (r.status === "closed")
      unmapped.push(`message ${m.messageId}: conversation ${m.conversationId} is closed; reopen it to add turns`);
    else records.push({ kind: "interaction", externalId: r.externalId, id: r.id, status: r.status });
  }
  for (const c of mapped.conversations ?? [])
    await setConversationClosed(deps, sender, c.conversationId, c.closed, c.at);
  if (unmapped.length)
    logger.info({ sender, event: mapped.event, unmapped: unmapped.length }, "connector delivery partly unmapped");
  return { sender, event: mapped.event, records, unmapped, ...(mapped.ignored ? { ignored: mapped.ignored } : {}) };
}
