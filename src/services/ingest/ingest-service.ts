import type { AnalysisRecord } from "../../workers/analysis-record.js";
import type { CountryCode } from "libphonenumber-js";
import type { z } from "zod";
import type { AnalysisInput } from "../../analysis/index.js";
import type { PiiRules } from "../../analysis/masking.js";
import type { BatchAnalyzer } from "../../workers/analysis-pool.js";
import type { Metrics } from "../../lib/metrics.js";
import { eventInputSchema, type EventInput } from "../../contracts/events.js";
import { interactionInputSchema, type InteractionInput } from "../../contracts/interactions.js";
import { DomainError, invalid } from "../../lib/domain-error.js";
import { fieldError, zodFieldErrors, type FieldError } from "../../lib/field-errors.js";
import { buildInteraction, planInteraction, prepareEvent, type InteractionPlan } from "./prepare.js";
import type { PreparedRecord } from "./records.js";
import type { IngestWriter } from "./writer.js";
import type { IdentityRules } from "../identity/rules.js";

export type RecordKind = "interaction" | "event";

/**
 * What became of one item: stored now, stored before with the same content (a retry), refused as
 * invalid, or refused because a record with its (source, externalId) and other content is stored
 * (`id` names that record).
 */
export type ItemResult =
  | { index: number; outcome: "created" | "existing"; id: string; customerId: string }
  | { index: number; outcome: "conflict"; id: string; customerId: string; errors: FieldError[]; detail: string }
  | { index: number; outcome: "invalid"; errors: FieldError[] };

export interface IngestOptions {
  analyzer: BatchAnalyzer;
  writer: IngestWriter;
  identityRules: IdentityRules;
  phoneRegion: CountryCode;
  redactPii: boolean;
  /** The masks of personal data (lexicons/pii.json), for what is masked on this thread. */
  pii: PiiRules;
  clock?: () => Date;
  metrics?: Metrics;
  /** The calibration in force applied to each analysis (its flag and version); absent: as analysed. */
  calibrate?: (analysis: AnalysisRecord, channel?: string) => AnalysisRecord;
}

const schemas: Record<RecordKind, z.ZodType> = { interaction: interactionInputSchema, event: eventInputSchema };

/**
 * Validates, normalises, analyses and stores interactions and journey events. Analysis runs before the
 * write so the database lock is never held while text is being analysed.
 */
export class IngestService {
  #identity: { phoneRegion: CountryCode; rules: IdentityRules };

  constructor(private readonly opts: IngestOptions) {
    this.#identity = { phoneRegion: opts.phoneRegion, rules: opts.identityRules };
  }

  /**
   * One record, already validated against its schema (the route's declaration does that): its result,
   * or an `invalid` error naming the identifiers that stop it.
   */
  async ingestOne(
    kind: "interaction",
    input: InteractionInput,
  ): Promise<ItemResult & { outcome: "created" | "existing" }>;
  async ingestOne(kind: "event", input: EventInput): Promise<ItemResult & { outcome: "created" | "existing" }>;
  async ingestOne(
    kind: RecordKind,
    input: InteractionInput | EventInput,
  ): Promise<ItemResult & { outcome: "created" | "existing" }> {
    const [result] = await this.#ingest(kind, [input], [], true);
    if (result.outcome === "invalid") throw invalid(`The ${kind} is invalid.`, result.errors);
    if (result.outcome === "conflict") throw new DomainError("conflict", result.detail, result.errors);
    return result;
  }

  /**
   * One interaction validated, normalised, analysed and built into its row, not written: for callers
   * that write it themselves (a conversation that grows rewrites its row in place).
   */
  async prepareInteraction(
    item: unknown,
    opts: { linked?: boolean } = {},
  ): Promise<
    { ok: true; record: Extract<PreparedRecord, { kind: "interaction" }> } | { ok: false; errors: FieldError[] }
  > {
    const now = (this.opts.clock ?? (() => new Date()))();
    let step: Step;
    if (opts.linked) {
      // A stored interaction analysed again (a conversation's final analysis): its customer is linked.
      const parsed = interactionInputSchema.safeParse(item);
      if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error) };
      step = planInteraction(parsed.data, this.#identity, this.opts.redactPii, false);
    } else step = this.#plan("interaction", item, 0, [], now, false);
    if (!step.ok) return step;
    const [analysis] = await this.opts.analyzer.analyzeMany([step.plan!.analysisInput]);
    // The calibration in force flags a conversation's analysis as it flags any record's.
    const calibrated = this.opts.calibrate ? this.opts.calibrate(analysis, step.plan!.analysisInput.channel) : analysis;
    const record = buildInteraction(step.plan!, calibrated, {
      redactPii: this.opts.redactPii,
      pii: this.opts.pii,
      now,
    });
    return { ok: true, record: record as Extract<PreparedRecord, { kind: "interaction" }> };
  }

  /** Writes prepared records through the writer (idempotent on source and externalId). */
  writePrepared(records: PreparedRecord[]) {
    return this.opts.writer.write(records);
  }

  /** Many records, each validated here: one result per item, in order; bad items do not stop the good ones. */
  ingestMany(kind: RecordKind, items: unknown[], pathPrefix: PropertyKey[] = ["items"]): Promise<ItemResult[]> {
    return this.#ingest(kind, items, pathPrefix, false);
  }

  async #ingest(
    kind: RecordKind,
    items: unknown[],
    pathPrefix: PropertyKey[],
    validated: boolean,
  ): Promise<ItemResult[]> {
    const now = (this.opts.clock ?? (() => new Date()))();
    // Loops, not closures made per request: V8 drops a closure's optimised code once the closure is
    // garbage, so per-item callbacks made per batch were compiled again every few batches.
    const steps: Step[] = new Array(items.length);
    const analysisInputs: AnalysisInput[] = [];
    for (let index = 0; index < items.length; index++) {
      const step = this.#plan(kind, items[index], index, pathPrefix, now, validated);
      steps[index] = step;
      if (step.ok && step.plan) analysisInputs.push(step.plan.analysisInput);
    }

    // Analysis happens before the write, off the event loop when a worker pool is configured.
    const analysisStarted = performance.now();
    const analyses = await this.opts.analyzer.analyzeMany(analysisInputs);
    if (analysisInputs.length) {
      this.opts.metrics?.analysisDuration.observe((performance.now() - analysisStarted) / 1000);
      this.opts.metrics?.analysed.inc(analysisInputs.length);
    }
    const records: PreparedRecord[] = [];
    let analysed = 0;
    for (const step of steps) {
      if (!step.ok) continue;
      if (step.plan) {
        const analysis = analyses[analysed++];
        const calibrated = this.opts.calibrate
          ? this.opts.calibrate(analysis, step.plan.analysisInput.channel)
          : analysis;
        step.record = buildInteraction(step.plan, calibrated, {
          redactPii: this.opts.redactPii,
          pii: this.opts.pii,
          now,
        });
      }
      records.push(step.record!);
    }

    const stored = await this.opts.writer.write(records);
    let created = 0;
    let conflicts = 0;
    for (const s of stored) {
      if (s.created) created++;
      else if (s.conflict) conflicts++;
    }
    const m = this.opts.metrics;
    if (m) {
      if (created) m.ingested.inc({ kind, outcome: "created" }, created);
      if (conflicts) m.ingested.inc({ kind, outcome: "conflict" }, conflicts);
      if (stored.length - created - conflicts)
        m.ingested.inc({ kind, outcome: "duplicate" }, stored.length - created - conflicts);
      if (items.length - stored.length) m.ingested.inc({ kind, outcome: "invalid" }, items.length - stored.length);
    }
    const results: ItemResult[] = new Array(steps.length);
    let at = 0;
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index];
      if (!step.ok) {
        results[index] = { index, outcome: "invalid", errors: step.errors };
        continue;
      }
      const s = stored[at++];
      if (s.conflict) {
        const { source, externalId } = records[at - 1].row;
        const detail = `A${kind === "interaction" ? "n interaction" : " journey event"} with source "${source}" and externalId "${externalId}" is already stored (${s.id}) with different content; a retry must repeat the original body, and a new record needs a new externalId.`;
        const field = pathPrefixed(pathPrefix, index, "externalId");
        results[index] = {
          index,
          outcome: "conflict",
          id: s.id,
          customerId: s.customerId,
          detail,
          errors: [fieldError(field, `is already used by ${s.id} with different content`)],
        };
        continue;
      }
      results[index] = { index, outcome: s.created ? "created" : "existing", id: s.id, customerId: s.customerId };
    }
    return results;
  }

  /** Validates one item (unless `validated`) and plans its record (an event's is ready; an interaction's waits for its analysis). */
  #plan(
    kind: RecordKind,
    item: unknown,
    index: number,
    pathPrefix: PropertyKey[],
    now: Date,
    validated: boolean,
  ): Step {
    const path = pathPrefix.length ? [...pathPrefix, index] : [];
    let input = item;
    if (!validated) {
      const parsed = schemas[kind].safeParse(item);
      if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error, path) };
      input = parsed.data;
    }
    const step =
      kind === "interaction"
        ? planInteraction(input as InteractionInput, this.#identity, this.opts.redactPii)
        : prepareEvent(input as EventInput, {
            ...this.#identity,
            redactPii: this.opts.redactPii,
            pii: this.opts.pii,
            now,
          });
    if (step.ok) return step;
    return { ok: false, errors: path.length ? step.errors.map((e) => prefixed(e, path)) : step.errors };
  }
}

const pathPrefixed = (prefix: PropertyKey[], index: number, field: string): PropertyKey[] =>
  prefix.length ? [...prefix, index, field] : [field];

type Step = { ok: false; errors: FieldError[] } | { ok: true; record?: PreparedRecord; plan?: InteractionPlan };

function prefixed(e: FieldError, prefix: PropertyKey[]): FieldError {
  const parts = [...prefix.map(String), ...e.field.split(".")];
  return { ...e, field: parts.join("."), pointer: "/" + parts.join("/") };
}
