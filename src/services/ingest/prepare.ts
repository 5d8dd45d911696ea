import type { CountryCode } from "libphonenumber-js";
import type { AnalysisInput } from "../../analysis/index.js";
import type { AnalysisRecord } from "../../workers/analysis-pool.js";
import { maskFreeJson, maskOptional, type PiiRules } from "../../analysis/masking.js";
import { splitEmailBody } from "../../channels/email-body.js";
import { fieldError, type FieldError } from "../../lib/field-errors.js";
import type { EventInput } from "../../contracts/events.js";
import type { InteractionInput } from "../../contracts/interactions.js";
import { IdentifierError, identifiersOf, normaliseHandle, type Identifier } from "../identity/normalise.js";
import type { PreparedRecord } from "./records.js";
import { contentHash } from "./content-hash.js";
import type { IdentityRules } from "../identity/rules.js";

export type Prepared = { ok: true; record: PreparedRecord } | { ok: false; errors: FieldError[] };

/** Resolves the identifiers of an item, or the field errors that stop it. */
export interface IdentityOptions {
  phoneRegion: CountryCode;
  rules: IdentityRules;
}

function identifiersFor(
  input: InteractionInput | EventInput,
  { phoneRegion, rules }: IdentityOptions,
): Identifier[] | FieldError[] {
  try {
    const given = identifiersOf(input.customer, phoneRegion);
    // Placeholder and shared values (identity rules) are neither stored nor matched.
    const ids = given.filter((i) => !rules.isBlocked(i));
    if ("channel" in input && input.channel === "social" && input.authorHandle) {
      const value = normaliseHandle(input.platform, input.authorHandle);
      if (!ids.some((i) => i.kind === "handle" && i.value === value)) ids.push({ kind: "handle", value });
    }
    if (ids.length === 0 && given.length > 0) {
      return [
        fieldError(
          ["customer"],
          "has only placeholder or shared identifiers (blocked by the identity rules); send one that identifies this customer",
        ),
      ];
    }
    if (ids.length === 0) {
      return [
        fieldError(
          ["customer"],
          "needs at least one identifier: customerId, email, phone, handle, deviceId, accountNumber or senderId",
        ),
      ];
    }
    return ids;
  } catch (e) {
    if (e instanceof IdentifierError) return [fieldError(["customer", e.field], e.message)];
    throw e;
  }
}

const isFieldErrors = (v: Identifier[] | FieldError[]): v is FieldError[] => v.length > 0 && "pointer" in v[0];

/**
 * Channel fields that hold free text, masked like the body before they are stored. The rest of the
 * channel data are numbers, flags and ids the posting system gave (thread and message ids, agent id,
 * platform, post URL, author handle), kept as sent so they still match the systems they come from.
 */
export const FREE_TEXT_CHANNEL_FIELDS = [
  "queue",
  "from",
  "to",
  "quoted",
  "signature",
  "disclaimer",
  "disposition",
] as const;

function freeChannelText(channelData: Record<string, unknown>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k of FREE_TEXT_CHANNEL_FIELDS) if (channelData[k] !== undefined) (out ??= {})[k] = channelData[k];
  return out;
}

/** Channel fields into the analysis input and the channel data stored beside the text. */
function splitChannel(input: InteractionInput): {
  analysis: AnalysisInput;
  channelData: Record<string, unknown>;
  subject?: string;
} {
  switch (input.channel) {
    case "chat":
      return {
        analysis: { channel: "chat", turns: input.turns, context: { waitSeconds: input.session?.waitSeconds } },
        channelData: { ...(input.session ?? {}) },
      };
    case "email": {
      const parts = splitEmailBody(input.body);
      const { subject, from, to, threadId, inReplyTo, direction } = input;
      return {
        // Only the sender's new text is theirs: a reply with none (a bare forward) analyses nothing.
        analysis: { channel: "email", subject, text: parts.text },
        channelData: {
          from,
          to,
          threadId,
          inReplyTo,
          direction,
          quoted: parts.quoted,
          signature: parts.signature,
          disclaimer: parts.disclaimer,
        },
        subject,
      };
    }
    case "call_note": {
      const { durationSeconds, holdSeconds, disposition, agentId } = input;
      return {
        analysis: { channel: "call_note", text: input.text, turns: input.turns, context: { holdSeconds } },
        channelData: { durationSeconds, holdSeconds, disposition, agentId },
      };
    }
    case "social": {
      const { platform, url, inReplyTo, authorHandle } = input;
      return {
        analysis: { channel: "social", text: input.text, context: { public: input.public } },
        channelData: { platform, url, public: input.public, inReplyTo, authorHandle },
      };
    }
  }
}

/** An interaction that passed validation and identifier checks, waiting for its analysis. */
export interface InteractionPlan {
  input: InteractionInput;
  identifiers: Identifier[];
  analysisInput: AnalysisInput;
  channelData: Record<string, unknown>;
  subject?: string;
  /** The record as sent, hashed (content-hash.ts): what a retry must repeat. */
  contentHash: string;
}

/**
 * Plans an interaction's record. With `redactPii`, the free text stored beside the analysed text
 * (channel text fields and metadata) travels with the analysis input, to be masked where the body is.
 */
export function planInteraction(
  input: InteractionInput,
  identity: IdentityOptions,
  redactPii: boolean,
  /** False for a stored interaction analysed again: its customer is linked already. */
  readIdentifiers = true,
): { ok: true; plan: InteractionPlan } | { ok: false; errors: FieldError[] } {
  const identifiers = readIdentifiers ? identifiersFor(input, identity) : [];
  if (isFieldErrors(identifiers)) return { ok: false, errors: identifiers };
  const { analysis: analysisInput, channelData, subject } = splitChannel(input);
  if (redactPii) {
    const channelText = freeChannelText(channelData);
    if (channelText || input.metadata) analysisInput.stored = { channelData: channelText, metadata: input.metadata };
  }
  return {
    ok: true,
    plan: { input, identifiers, analysisInput, channelData, subject, contentHash: contentHash(input) },
  };
}

/** How records are stored: `redactPii` masks personal data in every free-text field by `pii`'s rules. */
export interface StoreOptions {
  redactPii: boolean;
  pii: PiiRules;
  now: Date;
}

/**
 * The stored row: with `redactPii`, every free-text field masked (text, turns, subject, channel text,
 * metadata, the customer's display name), and the analysis beside them.
 */
export function buildInteraction(plan: InteractionPlan, analysis: AnalysisRecord, opts: StoreOptions): PreparedRecord {
  const { input, identifiers, channelData, subject } = plan;
  const redact = opts.redactPii;
  const sourceTurns: Array<{ speaker: string; text: string; at?: string }> =
    "turns" in input && input.turns ? input.turns : [];
  const turns = sourceTurns.length
    ? sourceTurns.map((t, i) => ({
        speaker: t.speaker,
        text: redact ? analysis.redaction.turns[i] : t.text,
        ...(t.at ? { at: t.at } : {}),
      }))
    : undefined;
  const masked = redact
    ? (analysis.redaction.stored as
        | { channelData?: Record<string, unknown>; metadata?: Record<string, unknown> }
        | undefined)
    : undefined;
  return {
    kind: "interaction",
    identifiers,
    displayName: redact ? maskOptional(input.customer?.name, opts.pii) : input.customer?.name,
    row: {
      source: input.source,
      externalId: input.externalId,
      channel: input.channel,
      occurredAt: new Date(input.occurredAt),
      receivedAt: opts.now,
      subject: (redact && subject !== undefined ? analysis.redaction.subject : subject) ?? null,
      text: redact ? analysis.redaction.text : analysis.text,
      turns: turns ?? null,
      // Spread over the original, the masked fields keep their places.
      channelData: dropUndefined(masked?.channelData ? { ...channelData, ...masked.channelData } : channelData),
      metadata: (masked ? masked.metadata : input.metadata) ?? null,
      analysis: analysis.json,
      analysisVersion: analysis.version,
      sentimentScore: analysis.sentimentScore,
      complaintRisk: analysis.complaintRisk,
      flagged: analysis.flagged,
      needIds: analysis.needIds,
      topicIds: analysis.topicIds,
      contentHash: plan.contentHash,
      createdAt: opts.now,
    },
  };
}

/**
 * An event's record. Events are not analysed, so their free text (type, name, status, attributes) is
 * masked here, on the calling thread: they are short, and most of their strings hold no digit or @,
 * which the detectors skip at once.
 */
export function prepareEvent(input: EventInput, opts: IdentityOptions & StoreOptions): Prepared {
  const identifiers = identifiersFor(input, opts);
  if (isFieldErrors(identifiers)) return { ok: false, errors: identifiers };
  const mask = opts.redactPii
    ? <T extends string | null | undefined>(v: T) => maskOptional(v, opts.pii)
    : <T>(v: T) => v;
  return {
    ok: true,
    record: {
      kind: "event",
      identifiers,
      displayName: mask(input.customer?.name),
      row: {
        source: input.source,
        externalId: input.externalId,
        type: mask(input.type),
        name: mask(input.name) ?? null,
        status: mask(input.status) ?? null,
        amount: input.amount ?? null,
        currency: input.currency ?? null,
        occurredAt: new Date(input.occurredAt),
        receivedAt: opts.now,
        attributes:
          (opts.redactPii && input.attributes ? maskFreeJson(input.attributes, opts.pii) : input.attributes) ?? null,
        contentHash: contentHash(input),
        createdAt: opts.now,
      },
    },
  };
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ""));
}
