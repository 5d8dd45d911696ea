import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";

/** A logged event as the feed reads it: the payload stays the JSON text it was stored as, framed unparsed. */
interface EventRow {
  seq: number;
  type: string;
  payload: string;
}

interface Frame {
  seq: number;
  frame: string;
}

/**
 * The moment event log as one feed per process for every live client (API stream and console). One
 * query every `pollMs` reads new events into a ring of ready-made SSE frames; clients take what
 * follows their last event id from the ring, or from the database when they are further behind (a
 * reconnect after a long gap). So the database sees a few queries a second however many agents watch.
 */
export class MomentEventFeed {
  #ring: Frame[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | null = null;
  #waiters = new Set<() => void>();
  #polling = false;

  constructor(
    private readonly db: Db,
    private readonly opts: { pollMs?: number; keep?: number } = {},
  ) {}

  /** The newest event id the feed has seen (new clients start after it). */
  get head() {
    return this.#head;
  }

  async start() {
    const [{ s }] = await this.db.all<{ s: number }>(sql`SELECT coalesce(max(seq), 0) AS s FROM moment_events`);
    this.#head = s;
    this.#timer = setInterval(() => void this.#poll(), this.opts.pollMs ?? 250);
    this.#timer.unref();
  }

  stop() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const wake of this.#waiters) wake();
  }

  /**
   * Drops from the ring the events no longer in the log, which an erasure deleted, so that no client
   * is sent them again. Run after every erasure in this process and on every poll (a count over the
   * ring's range of the primary key, ~5,000 rows at most), so that an erasure made by another process
   * sharing the database reaches this ring within a poll.
   */
  async prune() {
    if (this.#ring.length === 0) return;
    const first = this.#ring[0].seq;
    const last = this.#ring[this.#ring.length - 1].seq;
    const held = this.#ring.length;
    const [{ n }] = await this.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM moment_events WHERE seq BETWEEN ${first} AND ${last}`,
    );
    if (n >= held) return;
    const kept = new Set(
      (
        await this.db.all<{ seq: number }>(sql`SELECT seq FROM moment_events WHERE seq BETWEEN ${first} AND ${last}`)
      ).map((r) => r.seq),
    );
    // Frames read while the query ran are newer than `last`, and were in the log when read.
    this.#ring = this.#ring.filter((f) => f.seq > last || kept.has(f.seq));
  }

  async #poll() {
    if (this.#polling) return;
    this.#polling = true;
    try {
      await this.prune();
      for (;;) {
        const rows = await this.db.all<EventRow>(
          sql`SELECT seq, type, payload FROM moment_events WHERE seq > ${this.#head} ORDER BY seq LIMIT 1000`,
        );
        if (rows.length === 0) break;
        for (const r of rows) this.#ring.push({ seq: r.seq, frame: frameOf(r) });
        this.#head = rows[rows.length - 1].seq;
        const keep = this.opts.keep ?? 5000;
        if (this.#ring.length > keep) this.#ring.splice(0, this.#ring.length - keep);
        if (rows.length < 1000) break;
      }
    } catch {
      // A failed poll is retried at the next tick; clients keep their place.
    } finally {
      this.#polling = false;
    }
    if (this.#ring.length && this.#waiters.size) {
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      for (const wake of waiters) wake();
    }
  }

  /** SSE frames for the events after `seq` (at most `limit`), and the id of the last one. */
  async after(seq: number, limit = 500): Promise<{ frames: string; last: number }> {
    if (seq >= this.#head) return { frames: "", last: seq };
    const oldest = this.#ring[0]?.seq;
    if (oldest !== undefined && seq >= oldest - 1) {
      // Frames are in seq order; find the first after `seq`.
      let lo = 0;
      let hi = this.#ring.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.#ring[mid].seq <= seq) lo = mid + 1;
        else hi = mid;
      }
      const part = this.#ring.slice(lo, lo + limit);
      return { frames: part.map((f) => f.frame).join(""), last: part.length ? part[part.length - 1].seq : seq };
    }
    const rows = await this.db.all<EventRow>(
      sql`SELECT seq, type, payload FROM moment_events WHERE seq > ${seq} AND seq <= ${this.#head} ORDER BY seq LIMIT ${limit}`,
    );
    return { frames: rows.map(frameOf).join(""), last: rows.length ? rows[rows.length - 1].seq : seq };
  }

  /** Resolves when new events arrive, after `ms`, when the feed stops or when `signal` aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

/** Payloads are single-line JSON, so each event is one `data:` line. */
const frameOf = (r: EventRow) => `id: ${r.seq}\nevent: ${r.type}\ndata: ${r.payload}\n\n`;
