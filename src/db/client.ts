import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { databaseBusy, DomainError } from "../lib/domain-error.js";
import * as schema from "./schema/index.js";
import { RoutingClient, markWrite } from "./read-routing.js";
import { LocalFileClient } from "./local-client.js";
import { hranaTransport } from "./hrana-fetch.js";

import type { Transaction } from "@libsql/client";

export const isBusyError = (e: unknown) =>
  /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(String((e as Error)?.message ?? e));

/** Counts what went wrong with the database, for /metrics (set by the runtime). */
export interface DbErrorObserver {
  busyRetry(): void;
  error(kind: "busy_exhausted" | "other"): void;
}

/** Where writes go: a client (and its Drizzle view) used only under the write lock. */
export interface WriteHandle {
  client: Client;
  orm: LibSQLDatabase<typeof schema>;
}

/**
 * Serialises every write of this process. Two write transactions on two pooled connections of one
 * process deadlock: the second waits for the lock in SQLite's busy handler, which blocks the event
 * loop, so the first can never finish. Every write path (ingest, moments, identity admin, erasure,
 * webhooks, sessions) goes through `db.write`.
 *
 * Another process (EARSHOT_WORKERS, a backup, an operator's shell) may hold the file's write lock.
 * SQLite's own busy wait is kept short because it blocks the event loop; beyond it the work is retried
 * here with jittered backoff until `busyDeadlineMs`, then refused as `database_busy` (a 503 with
 * Retry-After) — never a
 * 500, never a half-done write (every unit of work is one statement or one transaction, rolled back on
 * failure). A statement that failed with SQLITE_BUSY could stay "in progress" on its connection and
 * make every later COMMIT there fail, so the writer's connection is reopened before each retry;
 * readers use their own client and are not disturbed.
 */
export class WriteLock {
  #tail: Promise<unknown> = Promise.resolve();
  #pragmas = new Map<string, string>();
  #pragmasApplied = true;

  constructor(
    private readonly handle: WriteHandle,
    private readonly busyDeadlineMs = 30_000,
    public observer?: DbErrorObserver,
  ) {}

  run<T>(work: (w: WriteHandle) => Promise<T>): Promise<T> {
    markWrite();
    const attempt = () => this.#withBusyRetry(work);
    const result = this.#tail.then(attempt, attempt);
    // The local client's calls are synchronous, so a run of write units would otherwise never let
    // the event loop reach its I/O phase: one macrotask between units lets reads and new requests in.
    this.#tail = result.catch(() => undefined).then(() => new Promise((r) => setImmediate(r)));
    return result;
  }

  /**
   * Sets a per-connection PRAGMA (`name = value`) on the write connection before the next unit of
   * work, and again whenever the connection is reopened. A local file's write client has exactly one
   * connection (src/db/local-client.ts), so the setting reaches every statement it runs.
   */
  setPragma(name: string, value: string | number) {
    this.#pragmas.set(name, `PRAGMA ${name} = ${value}`);
    this.#pragmasApplied = false;
  }

  async #withBusyRetry<T>(work: (w: WriteHandle) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.busyDeadlineMs;
    for (let i = 0; ; i++) {
      try {
        if (!this.#pragmasApplied) {
          for (const sql of this.#pragmas.values()) await this.handle.client.execute(sql);
          this.#pragmasApplied = true;
        }
        return await work(this.handle);
      } catch (e) {
        if (!isBusyError(e)) {
          if (!(e instanceof DomainError)) this.observer?.error("other");
          throw e;
        }
        if (this.handle.client.protocol === "file") {
          await this.handle.client.reconnect();
          this.#pragmasApplied = this.#pragmas.size === 0;
        }
        const wait = Math.min(1000, 10 * 2 ** i) * (0.5 + Math.random());
        if (Date.now() + wait > deadline) {
          this.observer?.error("busy_exhausted");
          throw databaseBusy();
        }
        this.observer?.busyRetry();
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}

export type Db = LibSQLDatabase<typeof schema> & {
  $client: Client;
  writeLock: WriteLock;
  /** Runs `work` under the process's write lock with the write client, retrying while the file is busy. */
  write<T>(work: (w: WriteHandle) => Promise<T>): Promise<T>;
};

/**
 * Drizzle over an open transaction, for typed queries beside raw statements in the same transaction.
 * Drizzle's libSQL session sends a query through its client's `execute` alone, which a transaction
 * has; the cast says only that.
 */
export function ormFor(tx: Transaction): LibSQLDatabase<typeof schema> {
  return drizzle(tx as unknown as Client, { schema, casing: "snake_case" });
}

/**
 * Runs `work` in a write transaction (BEGIN IMMEDIATE) under the process's write lock; commits if it returns.
 *
 * `rederivable`: the writes can be made again from what is already stored (a re-analysis job's, whose
 * position commits with them). On a local file its COMMIT then skips the fsync (synchronous = NORMAL
 * for that transaction, set before BEGIN since SQLite refuses to change it inside one): a commit
 * stays atomic and survives a crash of the process, and a power failure loses at most the latest such
 * transactions, position included, which are then made again. The fsync is most of a small
 * transaction's time (about 6 ms against 0.05 ms) and it blocks the main thread, where live requests wait.
 */
export function writeTransaction<T>(
  db: Db,
  work: (tx: Transaction) => Promise<T>,
  opts: { rederivable?: boolean } = {},
): Promise<T> {
  return db.write(async ({ client }) => {
    const relaxed = opts.rederivable === true && client instanceof LocalFileClient;
    let restore: unknown = null;
    if (relaxed) {
      restore = (await client.execute("PRAGMA synchronous")).rows[0]?.[0] ?? 2;
      await client.execute("PRAGMA synchronous = NORMAL");
    }
    try {
      const tx = await client.transaction("write");
      try {
        const result = await work(tx);
        await tx.commit();
        return result;
      } finally {
        tx.close();
      }
    } finally {
      if (relaxed) await client.execute(`PRAGMA synchronous = ${Number(restore)}`);
    }
  });
}

export interface DbOptions {
  url: string;
  authToken?: string;
  /** A replica of the primary at `url` (an sqld started with --primary-grpc-url) for read-only requests. */
  replicaUrl?: string;
  /** How long a write keeps retrying while another process holds the lock (then 503). */
  busyDeadlineMs?: number;
}

/**
 * SQLite's own busy wait for a write, per attempt. It blocks the event loop while it waits, so it stays
 * short; the WriteLock retries beyond it without blocking.
 */
const WRITE_BUSY_TIMEOUT_MS = 100;
/** Readers in WAL mode almost never wait (only around WAL recovery); when they do, waiting beats a 500. */
const READ_BUSY_TIMEOUT_MS = 5000;

/** The database file a `file:` URL names, or null for in-memory and remote databases. */
export function localDbPath(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const path = url.slice("file:".length).split("?")[0];
  return path && path !== ":memory:" ? resolve(path) : null;
}

/**
 * Makes a local database file readable by its owner only (0600), creating it so if it is new, whatever
 * the umask. SQLite gives the `-wal` and `-shm` files it creates the database file's permissions, so
 * they follow; any left by an earlier run are set too. The file holds customers' messages and
 * identifiers, and API key hashes.
 */
export function restrictDbFiles(path: string) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      chmodSync(file, 0o600);
    } catch (e) {
      // Absent (no WAL yet), or not ours to change (a read-only mount): SQLite opens it as it is.
      if (!["ENOENT", "EPERM", "EROFS"].includes((e as NodeJS.ErrnoException).code ?? "")) throw e;
    }
  }
}

export async function openDb({ url, authToken, replicaUrl, busyDeadlineMs }: DbOptions): Promise<Db> {
  const path = localDbPath(url);
  if (path) restrictDbFiles(path);
  // A local file gets a client that keeps its prepared statements (src/db/local-client.ts); its reads
  // are synchronous calls whichever connection serves them, so one connection serves them all (reads
  // use no transactions). A remote server's client is @libsql/client's own.
  const remote = (at: string, timeout: number): Client =>
    createClient({
      url: at,
      authToken,
      timeout,
      ...(/^https?:/.test(at) ? { fetch: (request: Request) => hranaTransport.fetch(request) } : {}),
    });
  const open = (timeout: number): Client => (path ? new LocalFileClient(path, { timeout }) : remote(url, timeout));
  if (replicaUrl && path) throw new Error("DATABASE_REPLICA_URL needs a libSQL server at DATABASE_URL, not a file");
  const client = replicaUrl
    ? new RoutingClient(open(READ_BUSY_TIMEOUT_MS), remote(replicaUrl, READ_BUSY_TIMEOUT_MS))
    : open(READ_BUSY_TIMEOUT_MS);
  if (url.startsWith("file:")) {
    // WAL lets readers run beside the single writer; the mode is stored in the file, so once is enough.
    await client.execute("PRAGMA journal_mode = WAL");
  }
  // Writes get their own client so that reopening it after SQLITE_BUSY never touches a reader.
  // An in-memory database exists once per connection set, so there the two must be one.
  const writer = url.includes(":memory:") ? client : open(WRITE_BUSY_TIMEOUT_MS);
  const writeLock = new WriteLock(
    { client: writer, orm: drizzle(writer, { schema, casing: "snake_case" }) },
    busyDeadlineMs,
  );
  const db = Object.assign(drizzle(client, { schema, casing: "snake_case" }), { writeLock }) as Db;
  db.write = (work) => writeLock.run(work);
  const closeReader = client.close.bind(client);
  // Closing the database closes both clients.
  client.close = () => {
    if (writer !== client) writer.close();
    closeReader();
  };
  return db;
}
