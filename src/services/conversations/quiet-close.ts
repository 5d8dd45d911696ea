import type { Logger } from "../../lib/logger.js";
import { closeConversation, type ConversationDeps } from "./grow.js";
import { quietConversations } from "./store.js";

export interface QuietCloseOptions {
  /** Minutes after its latest turn an open conversation is closed; 0 turns the sweep off. */
  quietMinutes: number;
  intervalMs: number;
  /** Conversations closed at most per run: each is analysed once more, so a backlog drains over runs. */
  batch: number;
  clock: () => Date;
  logger: Logger;
}

/**
 * Closes conversations nobody has written in for the quiet period, and analyses each a last time
 * (`closedBy: "quiet"`). What is open lives in the rows themselves (their `lastTurnAt`), so a restart
 * loses nothing: the next process's first run finds the same conversations. Runs never overlap; a
 * close that races a new message loses to it, and the conversation stays open.
 */
export class QuietCloser {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly deps: ConversationDeps,
    private readonly opts: QuietCloseOptions,
  ) {}

  start() {
    if (this.opts.quietMinutes === 0 || this.#timer) return;
    this.#timer = setInterval(() => void this.run(), this.opts.intervalMs);
    this.#timer.unref();
  }

  /** One run: closes up to `batch` quiet conversations; resolves to how many it closed. */
  run(): Promise<number> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sweep(): Promise<number> {
    if (this.opts.quietMinutes === 0) return 0;
    const now = this.opts.clock();
    const before = new Date(now.getTime() - this.opts.quietMinutes * 60_000).toISOString();
    let closed = 0;
    try {
      for (const c of await quietConversations(this.deps.db, before, this.opts.batch))
        if (await closeConversation(this.deps, c.source, c.externalId, "quiet", now.toISOString())) closed++;
    } catch (e) {
      this.opts.logger.error({ err: (e as Error).message }, "quiet-period sweep failed; the next run retries");
    }
    if (closed) this.opts.logger.info({ closed }, "conversations closed after their quiet period");
    return closed;
  }

  async stop() {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
