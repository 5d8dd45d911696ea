import { and, gt, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys, userSessions } from "../db/schema/index.js";

/** Who a live stream acts for: an API key, or a person and the console session the stream was opened in. */
export interface StreamHolder {
  /** The key's id, or the person's. */
  holderId: string;
  kind: "key" | "person";
  /** SHA-256 of the console session's token (user_sessions.hash). */
  sessionHash?: string;
}

interface OpenStream extends StreamHolder {
  ended: AbortController;
}

export interface LiveStreamOptions {
  /** Streams one key, or one person, may hold open at once. */
  maxPerKey: number;
  /** How often the keys and sessions of open streams are checked, in ms. */
  checkMs?: number;
  now?: () => number;
}

/**
 * Every open live stream of this process, by the key (and console session) it acts for. A stream is
 * authorised once, when it opens, and then lasts for hours; so while any are open, the keys behind
 * them are checked against the database every `checkMs`, and a stream ends as soon as its key is
 * revoked or its session has expired, was signed out or its person disabled (which ends their sessions). The check reads the database, not this
 * process's memory, because `keys revoke` runs in another process (the CLI) or on another server.
 */
export class LiveStreams {
  #open = new Set<OpenStream>();
  #perKey = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #checking = false;

  constructor(
    private readonly db: Db,
    private readonly opts: LiveStreamOptions,
  ) {}

  get size() {
    return this.#open.size;
  }

  /**
   * Registers a stream: the signal aborts when the stream must end (revocation, expiry, sign-out or
   * `release`), and `release` is called when it ends for any reason. Null when the key already holds
   * `maxPerKey` streams.
   */
  open(holder: StreamHolder): { signal: AbortSignal; release: () => void } | null {
    const held = this.#perKey.get(holder.holderId) ?? 0;
    if (held >= this.opts.maxPerKey) return null;
    const entry: OpenStream = { ...holder, ended: new AbortController() };
    this.#open.add(entry);
    this.#perKey.set(holder.holderId, held + 1);
    this.#timer ??= setInterval(() => void this.check(), this.opts.checkMs ?? 250).unref();
    let released = false;
    return {
      signal: entry.ended.signal,
      release: () => {
        if (released) return;
        released = true;
        this.#end(entry);
      },
    };
  }

  /** Ends every stream (shutdown). */
  endAll() {
    for (const s of [...this.#open]) this.#end(s);
  }

  /** Ends the streams whose key was revoked or whose console session is over; answers how many. */
  async check(): Promise<number> {
    if (this.#checking || this.#open.size === 0) return 0;
    this.#checking = true;
    try {
      const open = [...this.#open];
      const keyIds = [...new Set(open.flatMap((s) => (s.kind === "key" ? [s.holderId] : [])))];
      const sessionHashes = [...new Set(open.flatMap((s) => (s.sessionHash ? [s.sessionHash] : [])))];
      const revoked = new Set<string>();
      for (const ids of chunks(keyIds)) {
        const rows = await this.db
          .select({ id: apiKeys.id })
          .from(apiKeys)
          .where(and(inArray(apiKeys.id, ids), isNotNull(apiKeys.revokedAt)));
        for (const r of rows) revoked.add(r.id);
      }
      const live = new Set<string>();
      const now = new Date((this.opts.now ?? Date.now)());
      for (const hashes of chunks(sessionHashes)) {
        const rows = await this.db
          .select({ hash: userSessions.hash })
          .from(userSessions)
          .where(and(inArray(userSessions.hash, hashes), gt(userSessions.expiresAt, now)));
        for (const r of rows) live.add(r.hash);
      }
      let ended = 0;
      for (const s of open) {
        if ((s.kind === "key" && revoked.has(s.holderId)) || (s.sessionHash && !live.has(s.sessionHash))) {
          this.#end(s);
          ended++;
        }
      }
      return ended;
    } catch {
      // A failed check (a busy or unreachable database) is made again at the next tick.
      return 0;
    } finally {
      this.#checking = false;
    }
  }

  #end(s: OpenStream) {
    if (!this.#open.delete(s)) return;
    const held = (this.#perKey.get(s.holderId) ?? 1) - 1;
    if (held > 0) this.#perKey.set(s.holderId, held);
    else this.#perKey.delete(s.holderId);
    s.ended.abort();
    if (this.#open.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}

/** Lists of at most 500: each id is a bound parameter, and SQLite allows a few thousand per statement. */
function chunks<T>(all: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}
