import type { InStatement, ResultSet, Transaction } from "@libsql/client";
import { inArray, sql } from "drizzle-orm";
import { writeTransaction, type Db } from "../../db/client.js";
import { interactions, journeyEvents, scoringBacklog } from "../../db/schema/index.js";
import { rowsAs } from "../../db/raw-rows.js";
import { insertStatements, insertValues, jsonList, type SqlValue } from "../../db/insert-values.js";
import { newId } from "../../lib/ids.js";
import { hookIdsOf, subscribedHooks, subscribedHooksStatement, type HookCache } from "../webhooks/outbox.js";
import { scoreJourney, type JourneyItem, type MomentRules, type MomentScore } from "../../journeys/journey-risk.js";
import { itemsSince, journeyStatements, journeysFrom, loadJourneys } from "./journey.js";
import { rescoreMoments } from "./rescore.js";
import { RulesInForce } from "./rules-in-force.js";
import { momentEventStatements, momentPayload, type MomentEvent } from "./lifecycle.js";
import { severityRank } from "./views.js";

// Scoring runs inside the ingest transaction, on the write path every stored record takes: its
// statements are hand-built SQL on the transaction's connection, like the ingest inserts.

/** A backlog entry with what its record's scoring needs (null once the record was erased). */
interface BacklogRow {
  record_id: string;
  kind: "interaction" | "event";
  customer_id: string | null;
  occurred_at: number | null;
  channel: string | null;
  sentiment_score: number | null;
  complaint_risk: number | null;
  flagged: number | null;
}

/** A live moment as scoring reads it (the raw row of the query in `#score`). */
interface LiveMoment {
  id: string;
  customer_id: string;
  status: string;
  severity: string;
  risk: number;
  reasons: string;
  trigger_id: string;
  trigger_at: number;
  rules_version: string;
  channels: string | null;
  needs: string | null;
}

interface Scored {
  customerId: string;
  triggerId: string;
  triggerAt: number;
  score: MomentScore;
  /** The channels and needs behind the score (workContext), which the queue filters on. */
  context: { channels: string | null; needs: string | null };
}

const customersOf = (items: StoredItem[]): Set<string> => {
  const out = new Set<string>();
  for (const i of items) out.add(i.customerId);
  return out;
};

/**
 * The live moments of `customers` triggered at or after `since`, oldest first (the moments_customer_trigger
 * index). Closed moments count: a new signal in their window opens them again. Moments folded into
 * another by a customer merge do not.
 */
const liveMomentsStatement = (customers: Set<string>, since: number): InStatement => ({
  sql: "SELECT id, customer_id, status, severity, risk, reasons, trigger_id, trigger_at, rules_version, channels, needs FROM moments WHERE customer_id IN (SELECT value FROM json_each(?)) AND status != 'resolved' AND merged_into IS NULL AND trigger_at >= ? ORDER BY trigger_at",
  args: [jsonList([...customers]), since],
});

/** Each customer's latest live moment, from the answer to liveMomentsStatement. */
function liveByCustomer(rs: ResultSet): Map<string, LiveMoment> {
  const live = new Map<string, LiveMoment>();
  for (const r of rowsAs<LiveMoment>(rs)) live.set(String(r.customer_id), r);
  return live;
}

/** Moment rows to insert, live moments to update (id first) and events to emit, for one scoring transaction. */
interface MomentChanges {
  inserts: SqlValue[][];
  updates: Array<
    [
      id: string,
      severity: string,
      risk: number,
      reasons: string,
      triggerId: string,
      triggerAt: number,
      rulesVersion: string,
      /** Set when a flagged signal arrived: the quiet period restarts and a snooze ends. */
      signalAt: number | null,
      channels: string | null,
      needs: string | null,
      /** 1 when a closed moment is opened again by a new signal. */
      reopen: 0 | 1,
    ]
  >;
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

/** Puts stored records in the scoring backlog, in the caller's transaction. */
async function addToBacklog(tx: Transaction, items: StoredItem[], at: number) {
  await insertValues(
    tx,
    "scoring_backlog",
    ["record_id", "kind", "created_at"],
    items.map((i) => [i.recordId, i.interaction ? "interaction" : "event", at]),
  );
}

/** The eleven values of a re-scored moment's row, named as a VALUES list names them. */
const UPDATE_COLUMNS = Array.from({ length: 11 }, (_, i) => `value->>${i} AS column${i + 1}`).join(", ");

/**
 * The channels and needs of the interactions behind a score's reasons (and its trigger), as the
 * comma-separated lists the queue filters on.
 */
export function workContext(window: JourneyItem[], trigger: JourneyItem, score: MomentScore) {
  const refs = new Set<string>([trigger.id]);
  for (const r of score.reasons) for (const ref of r.refs) refs.add(ref);
  const channels = new Set<string>();
  const needs = new Set<string>();
  for (const item of window) {
    if (item.kind !== "interaction" || !refs.has(item.id)) continue;
    if (item.channel) channels.add(item.channel);
    for (const n of item.needs ?? []) needs.add(n);
  }
  return { channels: [...channels].join(",") || null, needs: [...needs].join(",") || null };
}

/** Two comma-separated lists as one, each value once. */
export const unionList = (a: string | null, b: string | null) =>
  [...new Set([...(a ? a.split(",") : []), ...(b ? b.split(",") : [])])].join(",") || null;

/**
 * Scores customers' journeys after new records land and keeps one live moment per customer and
 * window: a new flag opens a moment (moment.flagged), a higher severity escalates it
 * (moment.escalated), a late record (an error that arrives after the chat it caused) re-scores it.
 */
export class MomentScorer {
  readonly #inForce: RulesInForce;
  constructor(
    private readonly db: Db,
    rules: MomentRules,
    rulesVersion: string,
    private readonly clock: () => Date,
  ) {
    this.#inForce = new RulesInForce(rules, rulesVersion);
  }

  /** The rules scoring uses from now on (an activated calibration, or the shipped file again). */
  useRules(rules: MomentRules, version: string) {
    this.#inForce.use(rules, version);
  }

  /** The rules in force and their version. */
  get currentRules(): { rules: MomentRules; version: string } {
    return this.#inForce.current;
  }

  get #rules(): MomentRules {
    return this.#inForce.current.rules;
  }

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
    // Two batches, whatever the number of customers: every read scoring needs (the journeys, the live
    // moments, the subscribers of its events), then every change. The live moments are read from the
    // earliest window any item opens, a superset of the windows their triggers open (#plan ignores a
    // moment outside its trigger's window), so that read needs no answer of the journeys' one.
    const window = this.#inForce.windowMs;
    let since = Infinity;
    for (const i of items) since = Math.min(since, i.occurredAt - window);
    try {
      const answers = await tx.batch([
        "SAVEPOINT moment_scoring",
        ...journeyStatements(this.#windows(items)),
        liveMomentsStatement(customersOf(items), since),
        subscribedHooksStatement("moment.flagged"),
        subscribedHooksStatement("moment.escalated"),
        subscribedHooksStatement("moment.reopened"),
      ]);
      const hooks: HookCache = new Map([
        ["moment.flagged", hookIdsOf(answers[4])],
        ["moment.escalated", hookIdsOf(answers[5])],
        ["moment.reopened", hookIdsOf(answers[6])],
      ]);
      const at = this.clock().getTime();
      const { statements, deliveries } = this.#changes(
        tx,
        this.#scoreJourneys(items, journeysFrom(answers[1], answers[2])),
        liveByCustomer(answers[3]),
        at,
        hooks,
      );
      statements.push("RELEASE moment_scoring");
      await tx.batch(statements);
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
      await tx.execute({
        sql: "DELETE FROM scoring_backlog WHERE record_id IN (SELECT value FROM json_each(?))",
        args: [jsonList(items.map((p) => p.recordId))],
      });
    });
  }

  /** The journeys of the items' customers, each around its items' times. */
  #journeys(reader: Pick<Transaction, "execute">, items: StoredItem[]): Promise<Map<string, JourneyItem[]>> {
    return loadJourneys(reader, this.#windows(items));
  }

  /** Each of the items' customers' window: from its earliest item less the rules' window to its latest plus it. */
  #windows(items: StoredItem[]): Array<{ customerId: string; from: number; to: number }> {
    const byCustomer = new Map<string, { min: number; max: number }>();
    for (const i of items) {
      const r = byCustomer.get(i.customerId);
      if (r) {
        r.min = Math.min(r.min, i.occurredAt);
        r.max = Math.max(r.max, i.occurredAt);
      } else byCustomer.set(i.customerId, { min: i.occurredAt, max: i.occurredAt });
    }
    const window = this.#inForce.windowMs;
    const windows: Array<{ customerId: string; from: number; to: number }> = [];
    for (const [customerId, { min, max }] of byCustomer)
      windows.push({ customerId, from: min - window, to: max + window });
    return windows;
  }

  /** Each of the items' customers' journey scored at its latest item. */
  #scoreJourneys(items: StoredItem[], journeys: Map<string, JourneyItem[]>): Scored[] {
    const window = this.#inForce.windowMs;
    const scored: Scored[] = [];
    for (const customerId of customersOf(items)) {
      const journey = journeys.get(customerId) ?? [];
      const trigger = journey[journey.length - 1];
      if (!trigger) continue;
      const inWindow = itemsSince(journey, trigger.occurredAt - window);
      const score = scoreJourney(trigger, inWindow, this.#rules);
      scored.push({
        customerId,
        triggerId: trigger.id,
        triggerAt: trigger.occurredAt,
        score,
        context: workContext(inWindow, trigger, score),
      });
    }
    return scored;
  }

  /**
   * Scores each customer's journey at its latest item and applies the changes in `tx`: one statement
   * per kind of change for all customers. Returns the webhook deliveries queued.
   */
  async #score(tx: Transaction, items: StoredItem[], journeys: Map<string, JourneyItem[]>): Promise<number> {
    const window = this.#inForce.windowMs;
    const scored = this.#scoreJourneys(items, journeys);
    const at = this.clock().getTime();
    const hooks: HookCache = new Map();
    // Every scored customer's live moment in one query (the moments_customer_trigger index), then
    // statements only for what changes: most scored customers are not flagged and have none.
    let live = new Map<string, LiveMoment>();
    if (scored.length) {
      let since = Infinity;
      for (const x of scored) since = Math.min(since, x.triggerAt - window);
      live = liveByCustomer(await tx.execute(liveMomentsStatement(customersOf(items), since)));
    }
    for (const type of ["moment.flagged", "moment.escalated", "moment.reopened"])
      await subscribedHooks(tx, type, hooks);
    const { statements, deliveries } = this.#changes(tx, scored, live, at, hooks);
    if (statements.length > 0) await tx.batch(statements);
    return deliveries;
  }

  /** The statements that apply the scores (one per kind of change for all customers) and the deliveries they queue. */
  #changes(
    tx: Transaction,
    scored: Scored[],
    live: Map<string, LiveMoment>,
    at: number,
    hooks: HookCache,
  ): { statements: InStatement[]; deliveries: number } {
    const window = this.#inForce.windowMs;
    const changes: MomentChanges = { inserts: [], updates: [], events: [] };
    for (const s of scored) {
      const current = live.get(s.customerId);
      this.#plan(
        changes,
        s.customerId,
        s.triggerId,
        s.triggerAt,
        s.score,
        s.context,
        at,
        current && Number(current.trigger_at) >= s.triggerAt - window ? current : undefined,
      );
    }
    const statements = insertStatements(
      tx,
      "moments",
      [
        "id",
        "customer_id",
        "status",
        "severity",
        "risk",
        "reasons",
        "trigger_id",
        "trigger_at",
        "rules_version",
        "created_at",
        "updated_at",
        "opened_at",
        "signal_at",
        "channels",
        "needs",
      ],
      changes.inserts,
    );
    if (changes.updates.length > 0)
      // UPDATE ... FROM the re-scored moments as one JSON parameter (insertStatement's shape, for the
      // same reason): every live moment re-scored in one statement.
      statements.push({
        // A re-opened moment waits anew: its acknowledgement, snooze and closing are cleared, and its
        // time to acknowledge counts from now.
        sql: `UPDATE moments SET severity = v.column2, risk = v.column3, reasons = v.column4, trigger_id = v.column5, trigger_at = v.column6, rules_version = v.column7,
            signal_at = coalesce(v.column8, signal_at), snoozed_until = CASE WHEN v.column8 IS NULL THEN snoozed_until END,
            channels = v.column9, needs = v.column10,
            status = CASE WHEN v.column11 = 1 THEN 'open' ELSE status END,
            opened_at = CASE WHEN v.column11 = 1 THEN ?1 ELSE opened_at END,
            closed_at = CASE WHEN v.column11 = 1 THEN NULL ELSE closed_at END,
            closed_reason = CASE WHEN v.column11 = 1 THEN NULL ELSE closed_reason END,
            acknowledged_at = CASE WHEN v.column11 = 1 THEN NULL ELSE acknowledged_at END,
            acknowledged_by = CASE WHEN v.column11 = 1 THEN NULL ELSE acknowledged_by END,
            acknowledged_by_name = CASE WHEN v.column11 = 1 THEN NULL ELSE acknowledged_by_name END,
            updated_at = ?1
          FROM (SELECT ${UPDATE_COLUMNS} FROM json_each(?2)) AS v WHERE moments.id = v.column1`,
        args: [at, JSON.stringify(changes.updates)],
      });
    const events = momentEventStatements(tx, changes.events, at, hooks);
    for (const st of events.statements) statements.push(st);
    return { statements, deliveries: events.deliveries };
  }

  /**
   * What ingest committed but scoring never applied (the process died in between), as queue items,
   * oldest first. Records erased meanwhile are dropped from the backlog.
   */
  async backlog(limit = 100_000): Promise<StoredItem[]> {
    const rows = await this.db.all<BacklogRow>(sql`
      SELECT b.record_id, b.kind, coalesce(i.customer_id, e.customer_id) AS customer_id, coalesce(i.occurred_at, e.occurred_at) AS occurred_at,
          i.channel, i.sentiment_score, i.complaint_risk, i.flagged
        FROM ${scoringBacklog} b
        LEFT JOIN ${interactions} i ON b.kind = 'interaction' AND i.id = b.record_id
        LEFT JOIN ${journeyEvents} e ON b.kind = 'event' AND e.id = b.record_id
        ORDER BY b.created_at LIMIT ${limit}`);
    const gone = rows.filter((r) => r.customer_id === null).map((r) => r.record_id);
    if (gone.length)
      await this.db.write(({ orm }) => orm.delete(scoringBacklog).where(inArray(scoringBacklog.recordId, gone)));
    const items: StoredItem[] = [];
    for (const r of rows) {
      if (r.customer_id === null || r.occurred_at === null) continue;
      const base = { recordId: r.record_id, customerId: r.customer_id, occurredAt: r.occurred_at };
      items.push(
        r.kind === "interaction"
          ? {
              ...base,
              interaction: {
                id: r.record_id,
                channel: String(r.channel),
                sentiment: r.sentiment_score,
                risk: r.complaint_risk,
                flagged: r.flagged === 1,
              },
            }
          : base,
      );
    }
    return items;
  }

  /**
   * What scoring one customer changes. `current`: the customer's live moment in the window, if any
   * (the latest, read in this transaction). Changes are gathered and written together: one statement
   * per kind of change instead of several per customer kept scoring on the event loop's critical path.
   */
  #plan(
    changes: MomentChanges,
    customerId: string,
    triggerId: string,
    triggerAt: number,
    score: MomentScore,
    context: { channels: string | null; needs: string | null },
    at: number,
    current: LiveMoment | undefined,
  ) {
    if (!current && !score.flagged) return;
    // A closed moment stays closed until a flagged signal arrives.
    if (current?.status === "closed" && !score.flagged) return;
    const severity = score.severity ?? "low";
    if (!current) {
      const id = newId("mom");
      changes.inserts.push([
        id,
        customerId,
        "open",
        severity,
        score.risk,
        JSON.stringify(score.reasons),
        triggerId,
        triggerAt,
        this.#inForce.current.version,
        at,
        at,
        at,
        at,
        context.channels,
        context.needs,
      ]);
      changes.events.push({
        type: "moment.flagged",
        payload: momentPayload({
          id,
          customerId,
          status: "open",
          severity,
          risk: score.risk,
          reasons: score.reasons,
          triggerId,
        }),
      });
      return;
    }
    // A moment's severity only rises while it is live; a calmer later record does not hide it.
    const escalated = score.flagged && severityRank(severity) > severityRank(current.severity);
    const newSeverity = escalated ? severity : String(current.severity);
    const risk = Math.max(score.risk, Number(current.risk));
    const reasons = score.flagged ? JSON.stringify(score.reasons) : String(current.reasons);
    const reopen = current.status === "closed";
    changes.updates.push([
      String(current.id),
      newSeverity,
      risk,
      reasons,
      triggerId,
      Math.max(triggerAt, Number(current.trigger_at)),
      this.#inForce.versionAfter(score.flagged, String(current.rules_version)),
      score.flagged ? at : null,
      unionList(current.channels, context.channels),
      unionList(current.needs, context.needs),
      reopen ? 1 : 0,
    ]);
    if (reopen)
      changes.events.push({
        type: "moment.reopened",
        payload: momentPayload({
          ...momentPayload(current),
          status: "open",
          severity: newSeverity,
          risk,
          reasons: score.reasons,
          triggerId,
        }),
      });
    if (escalated)
      changes.events.push({
        type: "moment.escalated",
        payload: momentPayload({ ...momentPayload(current), severity, risk, reasons: score.reasons, triggerId }),
      });
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
  async rescoreAfterErasure(
    tx: Transaction,
    customerId: string,
    erased: Array<{ id: string; occurredAt: number }>,
  ): Promise<{ rescored: string[]; removed: string[] }> {
    return rescoreMoments(tx, this.#inForce, this.clock(), customerId, erased, true);
  }

  /**
   * After some of a customer's records were analysed again (in `tx`, already updated): every moment
   * whose window holds one is scored again from the journey as it now reads. A moment the new scores
   * no longer flag is kept as it was (agents may have acted on it) and named in `unflagged`; no moment
   * is opened and no event is sent, since re-analysis rewrites history rather than reporting news.
   */
  async rescoreAfterReanalysis(
    tx: Transaction,
    customerId: string,
    records: Array<{ id: string; occurredAt: number }>,
  ): Promise<{ rescored: string[]; unflagged: string[] }> {
    const { rescored, removed } = await rescoreMoments(tx, this.#inForce, this.clock(), customerId, records, false);
    return { rescored, unflagged: removed };
  }
}
