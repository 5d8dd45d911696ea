import { createHash } from "node:crypto";
import { join } from "node:path";
import type { InArgs, Transaction } from "@libsql/client";
import { writeTransaction, type Db } from "../../db/client.js";
import { insertValues, jsonList, type SqlValue } from "../../db/insert-values.js";
import { newId } from "../../lib/ids.js";
import { queueDeliveries, subscribedHooks, type HookCache } from "../webhooks/outbox.js";
import { ApiError } from "../../lib/problem.js";
import { momentRulesSchema, scoreJourney, type JourneyItem, type MomentRules, type MomentScore } from "../../moments/journey-risk.js";
import { defaultLexiconDir, loadRuleFile } from "../lexicons.js";
import { loadJourneys } from "./journey.js";

type Row = Record<string, string | number | null>;
const SEVERITY_RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;
const rank = (severity: string) => SEVERITY_RANK[severity as keyof typeof SEVERITY_RANK] ?? 0;

/** The journey's items at or after `from` (journeys are in time order). */
function itemsSince(journey: JourneyItem[], from: number): JourneyItem[] {
  let first = 0;
  while (first < journey.length && journey[first].occurredAt < from) first++;
  return first === 0 ? journey : journey.slice(first);
}

/** Moment rows to insert, live moments to update (id first) and events to emit, for one scoring transaction. */
interface MomentChanges {
  inserts: SqlValue[][];
  updates: Array<[id: string, severity: string, risk: number, reasons: string, triggerId: string, triggerAt: number]>;
  events: MomentEvent[];
}

export interface StoredItem {
  /** The interaction's or event's id (its scoring_backlog row). */
  recordId: string;
  customerId: string;
  occurredAt: number;
  /** Set for interactions: what an `interaction.analyzed` webhook carries. */
  interaction?: { id: string; channel: string; sentiment: number | null; risk: number | null; flagged: boolean };
}

export function loadMomentRules(dir = defaultLexiconDir): { rules: MomentRules; version: string } {
  const { data, raw } = loadRuleFile(join(dir, "moments.json"), momentRulesSchema);
  return { rules: data, version: createHash("sha256").update(raw).digest("hex").slice(0, 12) };
}

interface MomentEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** Records a moment change for the live stream and queues it for every webhook subscribed to its type. */
export async function emitMomentEvent(tx: Transaction, type: string, payload: Record<string, unknown>, at: number, onlyStream = false, hooks: HookCache = new Map()) {
  await emitMomentEvents(tx, [{ type, payload }], at, onlyStream, hooks);
}

/** Many moment changes, with one multi-row statement per table; how many webhook deliveries they queued. */
async function emitMomentEvents(tx: Transaction, events: MomentEvent[], at: number, onlyStream = false, hooks: HookCache = new Map()): Promise<number> {
  const rows: SqlValue[][] = new Array(events.length);
  for (let i = 0; i < events.length; i++) rows[i] = [String(events[i].payload.id), events[i].type, JSON.stringify(events[i].payload), at];
  await insertValues(tx, "moment_events", ["moment_id", "type", "payload", "created_at"], rows);
  if (onlyStream) return 0;
  const deliveries: Array<{ hookId: string; type: string; data: Record<string, unknown> }> = [];
  for (const e of events) for (const hookId of await subscribedHooks(tx, e.type, hooks)) deliveries.push({ hookId, type: e.type, data: e.payload });
  return queueDeliveries(tx, deliveries, at);
}

/** Puts stored records in the scoring backlog, in the caller's transaction. */
async function addToBacklog(tx: Transaction, items: StoredItem[], at: number) {
  await insertValues(tx, "scoring_backlog", ["record_id", "kind", "created_at"], items.map((i) => [i.recordId, i.interaction ? "interaction" : "event", at]));
}

/** Re-scored moments per UPDATE statement (seven parameters each, well under SQLite's limit). */
const UPDATES_PER_STATEMENT = 400;

const momentPayload = (r: Row | Record<string, unknown>) => ({
  id: r.id,
  customerId: r.customer_id ?? r.customerId,
  status: r.status,
  severity: r.severity,
  risk: r.risk,
  reasons: typeof r.reasons === "string" ? JSON.parse(r.reasons) : r.reasons,
  triggerId: r.trigger_id ?? r.triggerId,
});

/**
 * Scores customers' journeys after new records land and keeps one live moment per customer and
 * window: a new flag opens a moment (moment.flagged), a higher severity escalates it
 * (moment.escalated), a late record (an error that arrives after the chat it caused) re-scores it.
 */
export class MomentService {
  constructor(
    private readonly db: Db,
    private readonly rules: MomentRules,
    private readonly rulesVersion: string,
    private readonly clock: () => Date,
  ) {}

  /**
   * Scores stored records inside the write transaction that stores them: a flag commits with the
   * records that raised it (and its webhooks with both), nothing waits in a queue, and scoring reads
   * the journey on the writing connection, where the records just written are still cached, under the
   * same lock as the write, so two processes can never score one customer from stale reads.
   *
   * Scoring runs in a savepoint. If it fails, its changes are undone and the records go to the backlog
   * in the same transaction instead (`deferred` says why), to be scored by `evaluate` later: a fault in
   * scoring never costs ingest a record, and never a record its evaluation.
   */
  async scoreInTransaction(tx: Transaction, items: StoredItem[]): Promise<{ deliveries: number; deferred?: unknown }> {
    if (items.length === 0) return { deliveries: 0 };
    await tx.execute("SAVEPOINT moment_scoring");
    try {
      const deliveries = await this.#score(tx, items, await this.#journeys(tx, items));
      await tx.execute("RELEASE moment_scoring");
      return { deliveries };
    } catch (e) {
      await tx.execute("ROLLBACK TO moment_scoring");
      await tx.execute("RELEASE moment_scoring");
      await addToBacklog(tx, items, this.clock().getTime());
      return { deliveries: 0, deferred: e };
    }
  }

  /** Scores records in a transaction of its own: the backlog's (left by a crash or a deferred scoring). */
  async evaluate(items: StoredItem[]): Promise<void> {
    const journeys = await this.#journeys(this.db.$client, items);
    // The reads above and the transaction below are synchronous SQLite work; let waiting requests in
    // between them so scoring never blocks the event loop for its whole length.
    await new Promise((r) => setImmediate(r));
    await writeTransaction(this.db, async (tx) => {
      await this.#score(tx, items, journeys);
      // Scored, so out of the backlog, in the same commit as the scores and the webhooks they cause.
      await tx.execute({ sql: "DELETE FROM scoring_backlog WHERE record_id IN (SELECT value FROM json_each(?))", args: [jsonList(items.map((p) => p.recordId))] });
    });
  }

  /** The journeys of the items' customers, each around its items' times. */
  #journeys(reader: Pick<Transaction, "execute">, items: StoredItem[]): Promise<Map<string, JourneyItem[]>> {
    const byCustomer = new Map<string, { min: number; max: number }>();
    for (const i of items) {
      const r = byCustomer.get(i.customerId);
      if (r) {
        r.min = Math.min(r.min, i.occurredAt);
        r.max = Math.max(r.max, i.occurredAt);
      } else byCustomer.set(i.customerId, { min: i.occurredAt, max: i.occurredAt });
    }
    const window = this.rules.windowHours * 3_600_000;
    const windows: Array<{ customerId: string; from: number; to: number }> = [];
    for (const [customerId, { min, max }] of byCustomer) windows.push({ customerId, from: min - window, to: max + window });
    return loadJourneys(reader, windows);
  }

  /**
   * Scores each customer's journey at its latest item and applies the changes in `tx`: one statement
   * per kind of change for all customers. Returns the webhook deliveries queued.
   */
  async #score(tx: Transaction, items: StoredItem[], journeys: Map<string, JourneyItem[]>): Promise<number> {
    const window = this.rules.windowHours * 3_600_000;
    const scored: Array<{ customerId: string; triggerId: string; triggerAt: number; score: MomentScore }> = [];
    const customers = new Set<string>();
    for (const i of items) customers.add(i.customerId);
    for (const customerId of customers) {
      const journey = journeys.get(customerId) ?? [];
      const trigger = journey[journey.length - 1];
      if (!trigger) continue;
      const score = scoreJourney(trigger, itemsSince(journey, trigger.occurredAt - window), this.rules);
      scored.push({ customerId, triggerId: trigger.id, triggerAt: trigger.occurredAt, score });
    }
    const at = this.clock().getTime();
    const hooks: HookCache = new Map();
    // Every scored customer's live moment in one query (the moments_customer_trigger index), then
    // statements only for what changes: most scored customers are not flagged and have none.
    const live = new Map<string, Row>();
    if (scored.length) {
      let since = Infinity;
      for (const x of scored) since = Math.min(since, x.triggerAt - window);
      const rows = (await tx.execute({
        sql: "SELECT id, customer_id, status, severity, risk, reasons, trigger_id, trigger_at FROM moments WHERE customer_id IN (SELECT value FROM json_each(?)) AND status != 'resolved' AND trigger_at >= ? ORDER BY trigger_at",
        args: [jsonList([...customers]), since],
      })).rows as unknown as Row[];
      for (const r of rows) live.set(String(r.customer_id), r);
    }
    const changes: MomentChanges = { inserts: [], updates: [], events: [] };
    for (const s of scored) {
      const current = live.get(s.customerId);
      this.#plan(changes, s.customerId, s.triggerId, s.triggerAt, s.score, at, current && Number(current.trigger_at) >= s.triggerAt - window ? current : undefined);
    }
    return this.#apply(tx, changes, at, hooks);
  }

  /**
   * What ingest committed but scoring never applied (the process died in between), as queue items,
   * oldest first. Records erased meanwhile are dropped from the backlog.
   */
  async backlog(limit = 100_000): Promise<StoredItem[]> {
    const rows = (await this.db.$client.execute({
      sql: `SELECT b.record_id, b.kind, coalesce(i.customer_id, e.customer_id) AS customer_id, coalesce(i.occurred_at, e.occurred_at) AS occurred_at,
          i.channel, i.sentiment_score, i.complaint_risk, i.flagged
        FROM scoring_backlog b
        LEFT JOIN interactions i ON b.kind = 'interaction' AND i.id = b.record_id
        LEFT JOIN journey_events e ON b.kind = 'event' AND e.id = b.record_id
        ORDER BY b.created_at LIMIT ?`,
      args: [limit],
    })).rows as unknown as Row[];
    const gone = rows.filter((r) => r.customer_id === null).map((r) => String(r.record_id));
    if (gone.length) await this.db.write(({ client }) => client.execute({ sql: "DELETE FROM scoring_backlog WHERE record_id IN (SELECT value FROM json_each(?))", args: [jsonList(gone)] }));
    return rows
      .filter((r) => r.customer_id !== null)
      .map((r) => ({
        recordId: String(r.record_id),
        customerId: String(r.customer_id),
        occurredAt: Number(r.occurred_at),
        ...(r.kind === "interaction"
          ? { interaction: { id: String(r.record_id), channel: String(r.channel), sentiment: r.sentiment_score === null ? null : Number(r.sentiment_score), risk: r.complaint_risk === null ? null : Number(r.complaint_risk), flagged: Number(r.flagged) === 1 } }
          : {}),
      }));
  }

  /**
   * What scoring one customer changes. `current`: the customer's live moment in the window, if any
   * (the latest, read in this transaction). Changes are gathered and written together: one statement
   * per kind of change instead of several per customer kept scoring on the event loop's critical path.
   */
  #plan(changes: MomentChanges, customerId: string, triggerId: string, triggerAt: number, score: MomentScore, at: number, current: Row | undefined) {
    if (!current && !score.flagged) return;
    const severity = score.severity ?? "low";
    if (!current) {
      const id = newId("mom");
      changes.inserts.push([id, customerId, "open", severity, score.risk, JSON.stringify(score.reasons), triggerId, triggerAt, this.rulesVersion, at, at]);
      changes.events.push({ type: "moment.flagged", payload: momentPayload({ id, customerId, status: "open", severity, risk: score.risk, reasons: score.reasons, triggerId }) });
      return;
    }
    // A moment's severity only rises while it is live; a calmer later record does not hide it.
    const escalated = score.flagged && rank(severity) > rank(String(current.severity));
    const newSeverity = escalated ? severity : String(current.severity);
    const risk = Math.max(score.risk, Number(current.risk));
    const reasons = score.flagged ? JSON.stringify(score.reasons) : String(current.reasons);
    changes.updates.push([String(current.id), newSeverity, risk, reasons, triggerId, Math.max(triggerAt, Number(current.trigger_at))]);
    if (escalated) changes.events.push({ type: "moment.escalated", payload: momentPayload({ ...momentPayload(current), severity, risk, reasons: score.reasons, triggerId }) });
  }

  async #apply(tx: Transaction, changes: MomentChanges, at: number, hooks: HookCache): Promise<number> {
    await insertValues(tx, "moments", ["id", "customer_id", "status", "severity", "risk", "reasons", "trigger_id", "trigger_at", "rules_version", "created_at", "updated_at"], changes.inserts);
    for (let i = 0; i < changes.updates.length; i += UPDATES_PER_STATEMENT) {
      const part = changes.updates.slice(i, i + UPDATES_PER_STATEMENT);
      // UPDATE ... FROM a VALUES list (SQLite 3.33+): every live moment re-scored in one statement.
      await tx.execute({
        sql: `UPDATE moments SET severity = v.column2, risk = v.column3, reasons = v.column4, trigger_id = v.column5, trigger_at = v.column6, updated_at = ?
          FROM (VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?)").join(",")}) AS v WHERE moments.id = v.column1`,
        args: [at, ...part.flat()] as InArgs,
      });
    }
    return emitMomentEvents(tx, changes.events, at, false, hooks);
  }

  /**
   * After some of a customer's records were erased (in `tx`, already deleted): every moment of the
   * customer (or of a customer merged into it, whose records it now holds) whose window held an erased
   * record, or whose reasons name one, is scored again from the records that remain, at the latest of
   * them in its window, or removed when they no longer flag it.
   * A re-scored moment takes the new severity even when lower: what it showed came from erased data.
   * Returns the moments touched; their event log and webhook deliveries are the caller's to remove,
   * since every one of them was computed with the erased records.
   */
  async rescoreAfterErasure(tx: Transaction, customerId: string, erased: Array<{ id: string; occurredAt: number }>): Promise<{ rescored: string[]; removed: string[] }> {
    const window = this.rules.windowHours * 3_600_000;
    const erasedIds = new Set(erased.map((e) => e.id));
    const rows = (await tx.execute({
      sql: "SELECT id, trigger_id, trigger_at, reasons FROM moments WHERE customer_id = ?1 OR customer_id IN (SELECT id FROM customers WHERE merged_into = ?1)",
      args: [customerId],
    })).rows as unknown as Row[];
    const rescored: string[] = [];
    const removed: string[] = [];
    const at = this.clock().getTime();
    for (const m of rows) {
      const triggerAt = Number(m.trigger_at);
      const reasons = JSON.parse(String(m.reasons)) as Array<{ refs?: string[] }>;
      const touched =
        erasedIds.has(String(m.trigger_id)) ||
        reasons.some((r) => r.refs?.some((ref) => erasedIds.has(ref))) ||
        erased.some((e) => e.occurredAt >= triggerAt - window && e.occurredAt <= triggerAt);
      if (!touched) continue;
      // One window per query: loadJourneys keys its answer by customer.
      const journey = (await loadJourneys(tx, [{ customerId, from: triggerAt - window, to: triggerAt }])).get(customerId) ?? [];
      const trigger = journey[journey.length - 1];
      const score = trigger ? scoreJourney(trigger, itemsSince(journey, trigger.occurredAt - window), this.rules) : undefined;
      if (!trigger || !score?.flagged) {
        removed.push(String(m.id));
        continue;
      }
      await tx.execute({
        sql: "UPDATE moments SET severity = ?, risk = ?, reasons = ?, trigger_id = ?, trigger_at = ?, updated_at = ? WHERE id = ?",
        args: [score.severity ?? "low", score.risk, JSON.stringify(score.reasons), trigger.id, trigger.occurredAt, at, String(m.id)],
      });
      rescored.push(String(m.id));
    }
    if (removed.length) await tx.execute({ sql: "DELETE FROM moments WHERE id IN (SELECT value FROM json_each(?))", args: [jsonList(removed)] });
    return { rescored, removed };
  }

  /** open → acknowledged → resolved, with who and when. */
  async transition(id: string, to: "acknowledged" | "resolved", actor: string) {
    const at = this.clock().getTime();
    await writeTransaction(this.db, async (tx) => {
      const [m] = (await tx.execute({ sql: "SELECT * FROM moments WHERE id = ?", args: [id] })).rows as unknown as Row[];
      if (!m) throw new ApiError("not_found", `No moment ${id}.`);
      if (m.status === "resolved") throw new ApiError("conflict", `Moment ${id} is already resolved.`);
      if (to === "acknowledged" && m.status === "acknowledged") return;
      const set = to === "acknowledged" ? "status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?" : "status = 'resolved', resolved_by = ?, resolved_at = ?";
      await tx.execute({ sql: `UPDATE moments SET ${set}, updated_at = ? WHERE id = ?`, args: [actor, at, at, id] });
      const payload = { ...momentPayload(m), status: to, by: actor, at: new Date(at).toISOString() };
      await emitMomentEvent(tx, to === "resolved" ? "moment.resolved" : "moment.acknowledged", payload, at, to === "acknowledged");
    });
    return getMoment(this.db, id);
  }
}

export async function getMoment(db: Db, id: string) {
  const [m] = (await db.$client.execute({ sql: "SELECT * FROM moments WHERE id = ?", args: [id] })).rows as unknown as Row[];
  return m ? momentView(m) : null;
}

export function momentView(m: Row) {
  const iso = (v: string | number | null) => (v === null ? null : new Date(Number(v)).toISOString());
  return {
    id: String(m.id),
    customerId: String(m.customer_id),
    status: String(m.status),
    severity: String(m.severity),
    risk: Number(m.risk),
    reasons: JSON.parse(String(m.reasons)) as Array<{ code: string; text: string; weight: number; refs: string[] }>,
    triggerId: String(m.trigger_id),
    triggerAt: iso(m.trigger_at),
    acknowledged: m.acknowledged_at ? { by: String(m.acknowledged_by), at: iso(m.acknowledged_at) } : null,
    resolved: m.resolved_at ? { by: String(m.resolved_by), at: iso(m.resolved_at) } : null,
    createdAt: iso(m.created_at),
    updatedAt: iso(m.updated_at),
  };
}
