import type { CountryCode } from "libphonenumber-js";
import type { z } from "zod";
import type { BatchAnalyzer } from "../../workers/analysis-pool.js";
import type { Metrics } from "../../lib/metrics.js";
import { ApiError, zodFieldErrors, type FieldError, type ProblemBody } from "../../lib/problem.js";
import { eventInputSchema } from "../../routes/events/schemas.js";
import { interactionInputSchema } from "../../routes/interactions/schemas.js";
import { buildInteraction, planInteraction, prepareEvent, type InteractionPlan } from "./prepare.js";
import type { PreparedRecord } from "./records.js";
import type { IngestWriter } from "./writer.js";
import type { IdentityRules } from "../identity/rules.js";

export type RecordKind = "interaction" | "event";

export interface ItemResult {
  index: number;
  status: 200 | 201 | 422;
  id?: string;
  customerId?: string;
  problem?: ProblemBody;
}

export interface IngestOptions {
  analyzer: BatchAnalyzer;
  writer: IngestWriter;
  identityRules: IdentityRules;
  phoneRegion: CountryCode;
  redactPii: boolean;
  clock?: () => Date;
  metrics?: Metrics;
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

  /** One record: answers its result or throws the 422 that names every bad field. */
  async ingestOne(kind: RecordKind, body: unknown): Promise<ItemResult> {
    const [result] = await this.ingestMany(kind, [body], []);
    if (result.status === 422) throw new ApiError("validation_failed", `The ${kind} is invalid.`, result.problem!.errors);
    return result;
  }

  /** Many records: one result per item, in order; bad items do not stop the good ones. */
  async ingestMany(kind: RecordKind, items: unknown[], pathPrefix: PropertyKey[] = ["items"]): Promise<ItemResult[]> {
    const now = (this.opts.clock ?? (() => new Date()))();
    const pathOf = (index: number) => (pathPrefix.length ? [...pathPrefix, index] : []);
    type Step = { ok: false; errors: FieldError[] } | { ok: true; record?: PreparedRecord; plan?: InteractionPlan };
    const steps: Step[] = items.map((item, index) => {
      const parsed = schemas[kind].safeParse(item);
      if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error, pathOf(index)) };
      const step = kind === "interaction" ? planInteraction(parsed.data as never, this.#identity) : prepareEvent(parsed.data as never, { ...this.#identity, now });
      if (!step.ok && pathPrefix.length) return { ok: false, errors: step.errors.map((e) => prefixed(e, pathOf(index))) };
      return step;
    });

    // Analysis happens before the write, off the event loop when a worker pool is configured.
    const plans = steps.flatMap((s) => (s.ok && s.plan ? [s.plan] : []));
    const analysisStarted = performance.now();
    const analyses = await this.opts.analyzer.analyzeMany(plans.map((p) => p.analysisInput));
    if (plans.length) {
      this.opts.metrics?.analysisDuration.observe((performance.now() - analysisStarted) / 1000);
      this.opts.metrics?.analysed.inc(plans.length);
    }
    let analysed = 0;
    const prepared = steps.map((s) => {
      if (!s.ok || s.record) return s;
      return { ok: true as const, record: buildInteraction(s.plan!, analyses[analysed++], { redactPii: this.opts.redactPii, now }) };
    });

    const records = prepared.flatMap((p) => (p.ok && p.record ? [p.record] : []));
    const stored = await this.opts.writer.write(records);
    const m = this.opts.metrics;
    if (m) {
      const created = stored.filter((s) => s.created).length;
      if (created) m.ingested.inc({ kind, outcome: "created" }, created);
      if (stored.length - created) m.ingested.inc({ kind, outcome: "duplicate" }, stored.length - created);
      if (items.length - stored.length) m.ingested.inc({ kind, outcome: "invalid" }, items.length - stored.length);
    }
    let at = 0;
    return prepared.map((p, index): ItemResult => {
      if (!p.ok) {
        return { index, status: 422, problem: new ApiError("validation_failed", `Item ${index} is invalid.`, p.errors).toBody() };
      }
      if (!p.record) {
        throw new Error("unreachable: a valid item without a record");
      }
      const s = stored[at++];
      return { index, status: s.created ? 201 : 200, id: s.id, customerId: s.customerId };
    });
  }
}

function prefixed(e: FieldError, prefix: PropertyKey[]): FieldError {
  const parts = [...prefix.map(String), ...e.field.split(".")];
  return { ...e, field: parts.join("."), pointer: "/" + parts.join("/") };
}
