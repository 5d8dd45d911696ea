import type { Transaction } from "@libsql/client";
import { writeTransaction, type Db } from "../../db/client.js";
import { rowsAs } from "../../db/raw-rows.js";
import type { Logger } from "../../lib/logger.js";
import { emitMomentEvents, momentPayload } from "./lifecycle.js";

/** Moments one pass closes at most: each pass is one write transaction, and ingest waits meanwhile. */
export const SWEEP_BATCH = 500;

interface ClosedRow {
  id: string;
  customer_id: string;
  status: string;
  severity: string;
  risk: number;
  reasons: string;
  trigger_id: string;
}

/**
 * Closes live moments that had no new signal for the quiet period, in one transaction: the moments
 * (`closed`, reason `quiet`) and their `moment.closed` events and webhook deliveries together. A
 * snoozed moment counts from the end of its snooze. Returns how many it closed (at most `limit`).
 */
export async function closeQuietMoments(db: Db, quietMs: number, now: Date, limit = SWEEP_BATCH) {
  const at = now.getTime();
  const cutoff = at - quietMs;
  return writeTransaction(db, async (tx: Transaction) => {
    // The (status, signal_at) index finds the candidates; the snooze is checked on those few rows.
    const rows = rowsAs<ClosedRow>(
      await tx.execute({
        sql: `UPDATE moments SET status = 'closed', closed_at = ?, closed_reason = 'quiet', snoozed_until = NULL, updated_at = ?
          WHERE id IN (SELECT id FROM moments WHERE status IN ('open', 'acknowledged') AND signal_at < ? AND merged_into IS NULL
            AND (snoozed_until IS NULL OR snoozed_until < ?) ORDER BY signal_at LIMIT ?)
          RETURNING id, customer_id, status, severity, risk, reasons, trigger_id`,
        args: [at, at, cutoff, cutoff, limit],
      }),
    );
    if (rows.length === 0) return { closed: 0, deliveries: 0 };
    const deliveries = await emitMomentEvents(
      tx,
      rows.map((r) => ({
        type: "moment.closed",
        payload: { ...momentPayload(r), reason: "quiet", at: now.toISOString() },
      })),
      at,
    );
    return { closed: rows.length, deliveries };
  });
}

/** Runs the sweep every `intervalMs` like the other background workers; a pass that closed a full batch goes again at once. */
export class QuietSweep {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(
    private readonly db: Db,
    private readonly opts: {
      quietMs: number;
      intervalMs: number;
      clock: () => Date;
      logger: Logger;
      onClosed?: (deliveries: number) => void;
    },
  ) {}

  start() {
    if (this.opts.quietMs <= 0) return;
    this.#stopped = false;
    this.#schedule(this.opts.intervalMs);
  }

  async stop() {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One pass (tests call it with the clock they set). */
  async runOnce(): Promise<number> {
    const { closed, deliveries } = await closeQuietMoments(this.db, this.opts.quietMs, this.opts.clock());
    if (closed) {
      this.opts.logger.info({ closed }, "quiet moments closed");
      this.opts.onClosed?.(deliveries);
    }
    return closed;
  }

  #schedule(ms: number) {
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .then((closed) => {
          if (!this.#stopped) this.#schedule(closed >= SWEEP_BATCH ? 0 : this.opts.intervalMs);
        })
        .catch((e) => {
          this.opts.logger.error({ err: (e as Error).message }, "quiet-moment sweep failed");
          if (!this.#stopped) this.#schedule(this.opts.intervalMs);
        })
        .finally(() => {
          this.#running = null;
        });
    }, ms);
    this.#timer.unref();
  }
}
