import type { InStatement } from "@libsql/client";
import { Webhook } from "standardwebhooks";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { sqlList } from "../../db/sql-list.js";
import type { Logger } from "../../lib/logger.js";
import type { Metrics } from "../../lib/metrics.js";
import { createDeliveryAgents, postPinned } from "./pinned-post.js";
import { resolveWebhookTarget, type HostResolver } from "./ssrf.js";
import type { PiiRules } from "../../analysis/masking.js";
import { momentAlert } from "./alert-context.js";
import { slackMessage, teamsMessage } from "./chat-messages.js";

/** A claimed delivery with its webhook's address and secret; `payload` is the JSON text that is signed and sent. */
interface DueDelivery {
  id: string;
  payload: string;
  attempts: number;
  created_at: number;
  url: string;
  secret: string;
  format: "standard" | "slack" | "teams";
}

export interface DeliveryOptions {
  allowPrivate: boolean;
  /** How receivers' host names are resolved (the system resolver unless a test hands one in). */
  resolveHost?: HostResolver;
  /** How often due deliveries are looked for when nothing signals new work. */
  pollMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  clock?: () => Date;
  metrics?: Metrics;
  /** The console's address, for the links in Slack and Teams messages. */
  consoleUrl?: string;
  /** Masks for the excerpts Slack and Teams messages quote. */
  pii?: PiiRules;
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at one hour. */
export const backoffMs = (attempt: number) =>
  Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempt - 1)) * (0.8 + Math.random() * 0.4);

/**
 * Passes that may run at once. A pass waits for its receivers' answers and a write to record them
 * (~150–250 ms under load); with one pass at a time, deliveries queued meanwhile would wait for it to
 * end. Claims lease what each pass takes, so overlapping passes never send the same delivery.
 */
const MAX_PASSES_IN_FLIGHT = 4;

/**
 * How long a shutdown keeps sending due deliveries. With the rest of a shutdown (the requests in flight,
 * the writer's queue, closing the threads and the database) it keeps the exit within 5 s.
 */
export const DRAIN_MS = 2000;

/** `work`, or a rejection as soon as `signal` aborts (what it waits for is left to settle on its own). */
function untilHalted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error("shutting down"));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error("shutting down"));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * Sends pending deliveries from the outbox table, signed per Standard Webhooks (webhook-id,
 * webhook-timestamp, webhook-signature). A delivery stays pending until a 2xx arrives; failures are
 * retried with backoff, so a restart or a receiver that is down for a while loses nothing.
 */
export class DeliveryWorker {
  #timer: NodeJS.Timeout | null = null;
  #running = new Set<Promise<void>>();
  #stopped = false;
  /** Set when new work arrives while every pass slot is busy: go again as soon as one frees up. */
  #again = false;
  /** Aborted when a shutdown's drain runs out of time: requests in flight are cut, their deliveries released. */
  readonly #halt = new AbortController();
  readonly #agents = createDeliveryAgents();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly opts: DeliveryOptions,
  ) {}

  start() {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** New work was written: look now rather than at the next poll. */
  nudge() {
    if (this.#stopped) return;
    if (this.#running.size >= MAX_PASSES_IN_FLIGHT) this.#again = true;
    else this.#schedule(0);
  }

  async stop() {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await Promise.all(this.#running);
  }

  /**
   * At shutdown: stop polling, then keep sending what is due until nothing is or `deadlineMs` passes.
   * At the deadline every request still in flight is cut off (a receiver that never answers must not
   * hold the exit), and its delivery is released: it stays pending, its attempt uncounted, due at once
   * for the next start (or another process).
   */
  async drain(deadlineMs = DRAIN_MS): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const halt = setTimeout(() => this.#halt.abort(), deadlineMs);
    try {
      await Promise.all(this.#running);
      while (!this.#halt.signal.aborted) {
        const attempted = await this.runOnce().catch(() => 0);
        if (attempted === 0) return;
      }
    } finally {
      clearTimeout(halt);
    }
  }

  #schedule(ms: number) {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      // Every slot busy: have the first pass that ends go again rather than lose this wake-up.
      if (this.#running.size >= MAX_PASSES_IN_FLIGHT) {
        this.#again = true;
        return;
      }
      this.#again = false;
      let attempted = 0;
      const pass: Promise<void> = this.runOnce()
        .then((n) => {
          attempted = n;
        })
        .catch((e) => this.logger.error({ err: (e as Error).message }, "webhook delivery pass failed"))
        .finally(() => {
          this.#running.delete(pass);
          if (this.#stopped) return;
          // A full pass may have left more due work behind, and nudges may have come in meanwhile.
          if (attempted >= 100 || this.#again) this.#schedule(0);
          else if (this.#running.size === 0 && !this.#timer) this.#schedule(this.opts.pollMs ?? 250);
        });
      this.#running.add(pass);
    }, ms);
    this.#timer.unref();
  }

  /**
   * One pass over the due deliveries; returns how many were attempted. Deliveries are claimed first:
   * one UPDATE moves their next attempt past a lease, so another process (EARSHOT_WORKERS, another
   * node on a shared libSQL server) does not pick the same ones. A process that dies mid-delivery
   * leaves them to be retried when the lease runs out (at-least-once; receivers dedupe on webhook-id).
   */
  async runOnce(): Promise<number> {
    if (this.#halt.signal.aborted) return 0;
    const now = (this.opts.clock ?? (() => new Date()))().getTime();
    // Most passes find nothing due (a nudge follows every moment-scoring pass). Asking the reader says
    // so without the write lock, where the claim would queue behind ingest for nothing.
    const anyDue = await this.db.all(
      sql`SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ${now} LIMIT 1`,
    );
    if (anyDue.length === 0) return 0;
    const lease = now + (this.opts.timeoutMs ?? 5000) + 30_000;
    const claimed = await this.db.write(({ orm }) =>
      orm.all<{ id: string }>(sql`UPDATE webhook_deliveries SET next_attempt_at = ${lease} WHERE id IN (
            SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ${now} ORDER BY next_attempt_at LIMIT 100
          ) RETURNING id`),
    );
    if (claimed.length === 0) return 0;
    const due =
      await this.db.all<DueDelivery>(sql`SELECT d.id, d.payload, d.attempts, d.created_at, w.url, w.secret, w.format FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.id IN ${sqlList(claimed.map((r) => r.id))}`);
    const started = performance.now();
    const outcomes = await Promise.all(due.map((d) => this.#deliver(d)));
    const sent = performance.now();
    // One write records the whole pass: a write per delivery would queue each behind ingest.
    await this.db.write(({ client }) => client.batch(outcomes, "write"));
    this.logger.debug(
      { deliveries: due.length, sendMs: Math.round(sent - started), recordMs: Math.round(performance.now() - sent) },
      "webhook pass",
    );
    return due.length;
  }

  /** The Slack or Teams message for a delivery's event, from what the database holds now. */
  async #chatBody(d: DueDelivery): Promise<string> {
    const event = JSON.parse(d.payload) as { type: string; data: Record<string, never> };
    const alert = await momentAlert(this.db, event, {
      consoleUrl: this.opts.consoleUrl ?? "http://localhost:3000",
      pii: this.opts.pii ?? new Map(),
    });
    return JSON.stringify(d.format === "slack" ? slackMessage(alert) : teamsMessage(alert));
  }

  /** Sends one delivery; answers the statement that records how it went. */
  async #deliver(d: DueDelivery): Promise<InStatement> {
    const id = d.id;
    const body = d.payload;
    const attempt = d.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked at every attempt, not only at registration: what a name resolves to changes. The
      // request connects only to the addresses checked here (no second lookup to rebind).
      const target = await untilHalted(
        resolveWebhookTarget(d.url, { allowPrivate: this.opts.allowPrivate, resolve: this.opts.resolveHost }),
        this.#halt.signal,
      );
      const timestamp = new Date();
      // A chat tool's incoming webhook takes its own message shape and checks no signature: its URL is the secret.
      const standard = d.format === "standard";
      const headers: Record<string, string> = standard
        ? {
            "content-type": "application/json",
            "webhook-id": id,
            "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
            "webhook-signature": new Webhook(d.secret).sign(id, timestamp, body),
          }
        : { "content-type": "application/json" };
      status = await postPinned(target, {
        headers,
        body: standard ? body : await this.#chatBody(d),
        timeoutMs: this.opts.timeoutMs ?? 5000,
        agents: this.#agents,
        signal: this.#halt.signal,
      });
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const now = Date.now();
    if (this.#halt.signal.aborted && (error || status === null)) {
      // Cut off by the shutdown, not refused by the receiver: released, not counted as an attempt.
      return {
        sql: "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending'",
        args: [now, id],
      };
    }
    if (!error) {
      this.opts.metrics?.webhookDeliveries.inc({ outcome: "delivered" });
      return {
        sql: "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?",
        args: [attempt, status, now, id],
      };
    }
    const giveUp = attempt >= (this.opts.maxAttempts ?? 15);
    this.opts.metrics?.webhookDeliveries.inc({ outcome: giveUp ? "gave_up" : "failed" });
    this.logger.warn(
      { deliveryId: id, attempt, status, error: error.slice(0, 200), giveUp },
      "webhook delivery failed",
    );
    return {
      sql: "UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
      args: [giveUp ? "failed" : "pending", attempt, status, error.slice(0, 500), now + backoffMs(attempt), id],
    };
  }
}
