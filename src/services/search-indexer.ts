import { writeTransaction, type Db } from "../db/client.js";
import type { Logger } from "../lib/logger.js";

/**
 * Interactions indexed per transaction (~20 ms of work, during which the event loop serves nothing
 * else; the write lock lets requests in between transactions). With 2,000, text searches during
 * batch ingest took p50 86-105 ms; with 500, 61-72 ms, at the same ingest rate within noise.
 */
const ROWS_PER_TRANSACTION = 500;

/** The hour and day tokens a row is indexed with (see migrations/0001_interaction_search.sql). */
const BUCKET_SQL =
  "'h' || strftime('%Y%m%d%H', i.occurred_at / 1000, 'unixepoch') || ' d' || strftime('%Y%m%d', i.occurred_at / 1000, 'unixepoch')";

/**
 * Adds the interactions waiting in `interactions_fts_pending` to the full-text index, in bulk; how many
 * it added. Any process may run it: each batch is one write transaction, so two processes never index
 * a row twice. Rows committed before the call are indexed when it returns.
 */
export async function indexPendingInteractions(db: Db): Promise<number> {
  let indexed = 0;
  for (;;) {
    // Most calls find nothing waiting: a read, no write transaction.
    const waiting = await db.$client.execute("SELECT 1 FROM interactions_fts_pending LIMIT 1");
    if (waiting.rows.length === 0) return indexed;
    const added = await writeTransaction(db, async (tx) => {
      const [range] = (
        await tx.execute({
          sql: "SELECT max(interaction_rowid) AS upto, count(*) AS n FROM (SELECT interaction_rowid FROM interactions_fts_pending ORDER BY interaction_rowid LIMIT ?)",
          args: [ROWS_PER_TRANSACTION],
        })
      ).rows;
      const count = Number(range.n);
      if (count === 0) return 0;
      // CROSS JOIN keeps the queue as the outer loop: with a plain JOIN SQLite carried the rowid bound
      // over to interactions and scanned the whole table up to it on every pass.
      await tx.execute({
        sql: `INSERT INTO interactions_fts(rowid, subject, text, bucket)
          SELECT i.rowid, i.subject, i.text, ${BUCKET_SQL} FROM interactions_fts_pending p CROSS JOIN interactions i ON i.rowid = p.interaction_rowid
          WHERE p.interaction_rowid <= ?`,
        args: [range.upto],
      });
      await tx.execute({
        sql: "DELETE FROM interactions_fts_pending WHERE interaction_rowid <= ?",
        args: [range.upto],
      });
      return count;
    });
    indexed += added;
    if (added < ROWS_PER_TRANSACTION) return indexed;
  }
}

/**
 * Most queued interactions a search indexes itself before it runs (~20 ms of work). More are queued
 * only under heavy ingest; then a search answers from the index as it is, at most
 * SEARCH_INDEX_INTERVAL_MS behind, instead of queueing a write behind ingest's: indexing every time
 * made text searches during batch ingest take p50 230-320 ms instead of ~110 ms.
 */
export const SEARCH_CATCH_UP_MAX_ROWS = 500;

/**
 * Before a text search: indexes what is queued when that is little. True when everything stored
 * before the call is in the index; false when the queue was too long (or indexing failed, which the
 * background indexer reports and retries).
 */
export async function catchUpForSearch(db: Db): Promise<boolean> {
  const [queued] = (
    await db.$client.execute({
      sql: "SELECT count(*) AS n FROM (SELECT 1 FROM interactions_fts_pending LIMIT ?)",
      args: [SEARCH_CATCH_UP_MAX_ROWS + 1],
    })
  ).rows;
  const n = Number(queued.n);
  if (n === 0) return true;
  if (n > SEARCH_CATCH_UP_MAX_ROWS) return false;
  try {
    await indexPendingInteractions(db);
    return true;
  } catch {
    // The search still answers, from the index as it is; the background indexer logs the failure
    // and retries it on its next pass.
    return false;
  }
}

/**
 * Keeps the full-text index a moment behind ingest: every `intervalMs` it indexes what is waiting.
 * Searches do not wait for it: while little is queued they index it themselves, so a search finds
 * what was stored before it began (see catchUpForSearch).
 */
export class SearchIndexer {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly intervalMs = 250,
    private readonly onIndexed: (rows: number) => void = () => {},
  ) {}

  start() {
    this.#schedule(0);
  }

  /** Stops the timer and waits for a pass in progress (rows still waiting are indexed by the next start). */
  async stop() {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delay: number) {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#pass().finally(() => {
        this.#running = null;
        this.#schedule(this.intervalMs);
      });
    }, delay);
    this.#timer.unref();
  }

  async #pass() {
    try {
      const rows = await indexPendingInteractions(this.db);
      if (rows > 0) this.onIndexed(rows);
    } catch (e) {
      // Retried at the next pass; searches index what they need themselves meanwhile.
      this.logger.error({ err: (e as Error).message }, "search indexing failed");
    }
  }
}
