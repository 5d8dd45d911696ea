import type { EventInput } from "../contracts/events.js";
import type { InteractionInput } from "../contracts/interactions.js";
import type { ChatMessage } from "../services/conversations/grow.js";

/** Request headers, read case-insensitively. */
export type HeaderReader = (name: string) => string | undefined;

/** Whether a delivery is the sender's: signed by it with the shared secret, and recent. */
export type Verdict = { ok: true } | { ok: false; reason: "bad_signature" | "stale"; detail: string };

/** What a connector made of one delivery. Records are validated by the ingest service like any post. */
export interface Mapped {
  /** The sender's name for what happened (`message_created`, `zen:event-type:ticket.comment_added`). */
  event: string;
  interactions: InteractionInput[];
  events: EventInput[];
  /** Chat messages delivered one at a time: each grows its conversation's interaction by a turn. */
  messages?: ChatMessage[];
  /** Conversations the sender closed (finalised) or reopened. */
  conversations?: Array<{ conversationId: string; closed: boolean; at: string }>;
  /** Parts of the delivery that became nothing, and why. */
  unmapped: string[];
  /** Set when the whole delivery is of a kind this connector does not map: answered 2xx and logged. */
  ignored?: string;
}

/** What the delivery's URL adds to its body (call transcripts name neither the customer nor the start). */
export interface DeliveryContext {
  query: Record<string, string | undefined>;
}

export interface Connector {
  /** The path segment and `source` of its records: `/v1/connectors/chatwoot`. */
  sender: string;
  /** Whether the sender signs its deliveries, and the header that carries the signature. */
  signatureHeader?: string;
  /** Checks the signature of a signed delivery against `secret`; `maxAgeSeconds` bounds its age. */
  verify?(
    raw: Uint8Array,
    header: HeaderReader,
    secret: string,
    now: Date,
    maxAgeSeconds: number,
    payload: unknown,
  ): Verdict;
  /** The sender's documented payload in, Earshot records out. Throws a DomainError `invalid` for a payload it cannot read. */
  map(payload: unknown, context: DeliveryContext): Mapped;
}
