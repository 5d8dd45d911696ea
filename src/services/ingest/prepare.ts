import type { CountryCode } from "libphonenumber-js";
import type { AnalysisInput } from "../../analysis/index.js";
import type { AnalysisRecord } from "../../workers/analysis-pool.js";
import { splitEmailBody } from "../../channels/email-body.js";
import { fieldError, type FieldError } from "../../lib/field-errors.js";
import type { EventInput } from "../../contracts/events.js";
import type { InteractionInput } from "../../contracts/interactions.js";
import { IdentifierError, identifiersOf, normaliseHandle, type Identifier } from "../identity/normalise.js";
import type { PreparedRecord } from "./records.js";
import type { IdentityRules } from "../identity/rules.js";

export type Prepared = { ok: true; record: PreparedRecord } | { ok: false; errors: FieldError[] };

/** Resolves the identifiers of an item, or the field errors that stop it. */
export interface IdentityOptions {
  phoneRegion: CountryCode;
  rules: IdentityRules;
}

function identifiersFor(input: InteractionInput | EventInput, { phoneRegion, rules }: IdentityOptions): Identifier[] | FieldError[] {
  try {
    const given = identifiersOf(input.customer, phoneRegion);
    // Placeholder and shared values (identity rules) are neither stored nor matched.
    const ids = given.filter((i) => !rules.isBlocked(i));
    if ("channel" in input && input.channel === "social" && input.authorHandle) {
      const value = normaliseHandle(input.platform, input.authorHandle);
      if (!ids.some((i) => i.kind === "handle" && i.value === value)) ids.push({ kind: "handle", value });
    }
    if (ids.length === 0 && given.length > 0) {
      return [fieldError(["customer"], "has only placeholder or shared identifiers (blocked by the identity rules); send one that identifies this customer")];
    }
    if (ids.length === 0) {
      return [fieldError(["customer"], "needs at least one identifier: customerId, email, phone, handle, deviceId or accountNumber")];
    }
    return ids;
  } catch (e) {
    if (e instanceof IdentifierError) return [fieldError(["customer", e.field], e.message)];
    throw e;
  }
}

const isFieldErrors = (v: Identifier[] | FieldError[]): v is FieldError[] => v.length > 0 && "pointer" in v[0];

/** Channel fields into the analysis input and the channel data stored beside the text. */
function splitChannel(input: InteractionInput): { analysis: AnalysisInput; channelData: Record<string, unknown>; subject?: string } {
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
        analysis: { channel: "email", subject, text: parts.text || parts.quoted },
        channelData: { from, to, threadId, inReplyTo, direction, quoted: parts.quoted, signature: parts.signature, disclaimer: parts.disclaimer },
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
}

export function planInteraction(input: InteractionInput, identity: IdentityOptions): { ok: true; plan: InteractionPlan } | { ok: false; errors: FieldError[] } {
  const identifiers = identifiersFor(input, identity);
  if (isFieldErrors(identifiers)) return { ok: false, errors: identifiers };
  const { analysis: analysisInput, channelData, subject } = splitChannel(input);
  return { ok: true, plan: { input, identifiers, analysisInput, channelData, subject } };
}

/** The stored row: redacted text and turns (when configured) and the analysis beside them. */
export function buildInteraction(plan: InteractionPlan, analysis: AnalysisRecord, opts: { redactPii: boolean; now: Date }): PreparedRecord {
  const { input, identifiers, channelData, subject } = plan;
  const sourceTurns: Array<{ speaker: string; text: string; at?: string }> = "turns" in input && input.turns ? input.turns : [];
  const turns = sourceTurns.length
    ? sourceTurns.map((t, i) => ({ speaker: t.speaker, text: opts.redactPii ? analysis.redaction.turns[i] : t.text, ...(t.at ? { at: t.at } : {}) }))
    : undefined;
  return {
    kind: "interaction",
    identifiers,
    displayName: input.customer?.name,
    row: {
      source: input.source,
      externalId: input.externalId,
      channel: input.channel,
      occurredAt: new Date(input.occurredAt),
      receivedAt: opts.now,
      subject: subject ?? null,
      text: opts.redactPii ? analysis.redaction.text : analysis.text,
      turns: turns ?? null,
      channelData: dropUndefined(channelData),
      metadata: input.metadata ?? null,
      analysis: analysis.json,
      analysisVersion: analysis.version,
      sentimentScore: analysis.sentimentScore,
      complaintRisk: analysis.complaintRisk,
      flagged: analysis.flagged,
      needIds: analysis.needIds,
      topicIds: analysis.topicIds,
      createdAt: opts.now,
    },
  };
}

export function prepareEvent(input: EventInput, opts: IdentityOptions & { now: Date }): Prepared {
  const identifiers = identifiersFor(input, opts);
  if (isFieldErrors(identifiers)) return { ok: false, errors: identifiers };
  return {
    ok: true,
    record: {
      kind: "event",
      identifiers,
      displayName: input.customer?.name,
      row: {
        source: input.source,
        externalId: input.externalId,
        type: input.type,
        name: input.name ?? null,
        status: input.status ?? null,
        amount: input.amount ?? null,
        currency: input.currency ?? null,
        occurredAt: new Date(input.occurredAt),
        receivedAt: opts.now,
        attributes: input.attributes ?? null,
        createdAt: opts.now,
      },
    },
  };
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ""));
}
