import type { Transaction } from "@libsql/client";
import { writeTransaction, type Db } from "../../db/client.js";
import { jsonList } from "../../db/insert-values.js";
import { hookIdsOf, subscribedHooks, subscribedHooksStatement, type HookCache } from "../webhooks/outbox.js";
import { scoreJourney, type JourneyItem, type MomentRules } from "../../journeys/journey-risk.js";
import { itemsSince, journeyStatements, journeysFrom, loadJourneys } from "./journey.js";
import {
  changeStatements,
  liveByCustomer,
  liveMomentsStatement,
  type LiveMoment,
  type Scored,
} from "./moment-changes.js";
import { rescoreCustomersMoments, rescoreMoments } from "./rescore.js";
import { RulesInForce } from "./rules-in-force.js";
import { addToBacklog, readBacklog } from "./scoring-backlog.js";
import { customersOf, type StoredItem } from "./stored-item.js";
import { workContext } from "./work-context.js";

// Scoring runs inside the ingest transaction, on the write path every stored record takes. The
// statements it writes are built in moment-changes.ts; the backlog of records left unscored is
// scoring-backlog.ts's.

export type { StoredItem };

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
        ...journeyStatements(this.#windows(items), tx),
        liveMomentsStatement(customersOf(items), since, tx),
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
      const { statements, deliveries } = changeStatements(
        tx,
        this.#inForce,
        this.#scoreJourneys(items, journeysFrom(answers[1], answers[2])),
        liveByCustomer(answers[3]),
        at,
        hooks,
      );
      statements.push("RELEASE moment_scoring");
      await tx.batch(statements);
      return { deliveries };
    } catch (e) {
      try {
        await tx.execute("ROLLBACK TO moment_scoring");
        await tx.execute("RELEASE moment_scoring");
      } catch {
        // The transaction itself is gone (e.g. sqld rolled it back: it held the write lock past sqld's
        // transaction timeout while another connection waited). Nothing was committed; the first error
        // says why.
        throw e;
      }
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
    const { statements, deliveries } = changeStatements(tx, this.#inForce, scored, live, at, hooks);
    if (statements.length > 0) await tx.batch(statements);
    return deliveries;
  }

  /**
   * What ingest committed but scoring never applied (the process died in between), as queue items,
   * oldest first. Records erased meanwhile are dropped from the backlog.
   */
  backlog(limit = 100_000): Promise<StoredItem[]> {
    return readBacklog(this.db, limit);
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
   * After some customers' records were analysed again (in `tx`, already updated; `byCustomer` names
   * them per customer): every moment whose window holds one is scored again from the journey as it now
   * reads, each customer's journey read once for all its moments. A moment the new scores no longer
   * flag is kept as it was (agents may have acted on it) and named in `unflagged`; no moment is opened
   * and no event is sent, since re-analysis rewrites history rather than reporting news.
   */
  async rescoreAfterReanalysis(
    tx: Transaction,
    byCustomer: Map<string, Array<{ id: string; occurredAt: number }>>,
  ): Promise<{ rescored: string[]; unflagged: string[] }> {
    const done = await rescoreCustomersMoments(tx, this.#inForce, this.clock(), byCustomer, false);
    const rescored: string[] = [];
    const unflagged: string[] = [];
    for (const r of done.values()) {
      rescored.push(...r.rescored);
      unflagged.push(...r.removed);
    }
    return { rescored, unflagged };
  }
}
