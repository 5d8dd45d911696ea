import { AsyncLocalStorage } from "node:async_hooks";
import type { Client, InArgs, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";

// Reads off the primary: with a replica configured (DATABASE_REPLICA_URL), the reads of a request
// that only reads (GET and HEAD: timelines, search, dashboards, the console) go to the replica, and
// everything else to the primary. A request's reads move to the primary for good once it writes,
// so it reads its own writes; background work (the outbox sender, moment scoring, indexing, jobs)
// runs outside any request and always reads the primary, so a stale row never decides a write.
// How stale a replica read can be is docs/scaling.md's "Replicas".

interface ReadScope {
  replica: boolean;
}

const scope = new AsyncLocalStorage<ReadScope>();

/** Runs `work` (one read-only request) with its reads served by the replica until it writes. */
export function withReplicaReads<T>(work: () => Promise<T>): Promise<T> {
  return scope.run({ replica: true }, work);
}

/**
 * Runs `work` with its reads on the primary whatever the request: API key checks, whose answer is
 * cached (a key created a moment ago on another node is not refused for the cache's lifetime).
 */
export function onPrimary<T>(work: () => PromiseLike<T>): Promise<T> {
  // Awaited inside the scope: a Drizzle query runs when awaited, not when built.
  return scope.run({ replica: false }, async () => await work());
}

/** The current request writes: its later reads go to the primary. Called by every write path. */
export function markWrite(): void {
  const s = scope.getStore();
  if (s) s.replica = false;
}

/** Whether a read made now goes to the replica. */
export const readsFromReplica = (): boolean => scope.getStore()?.replica === true;

/**
 * The read client of a database with a replica: execute and batch go where readsFromReplica says;
 * transactions, migrations and scripts always to the primary.
 */
export class RoutingClient implements Client {
  constructor(
    private readonly primary: Client,
    private readonly replica: Client,
  ) {}
  get protocol() {
    return this.primary.protocol;
  }
  get closed() {
    return this.primary.closed;
  }
  #reader(): Client {
    return readsFromReplica() ? this.replica : this.primary;
  }
  execute(stmt: InStatement): Promise<ResultSet>;
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const reader = this.#reader();
    return typeof stmtOrSql === "string" ? reader.execute(stmtOrSql, args) : reader.execute(stmtOrSql);
  }
  batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode): Promise<ResultSet[]> {
    // A batch that writes is a write, whoever sends it.
    if (mode === "write") return this.primary.batch(stmts, mode);
    return this.#reader().batch(stmts, mode);
  }
  migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return this.primary.migrate(stmts);
  }
  transaction(mode?: TransactionMode): Promise<Transaction> {
    return this.primary.transaction(mode);
  }
  executeMultiple(sql: string): Promise<void> {
    return this.primary.executeMultiple(sql);
  }
  sync() {
    return this.primary.sync();
  }
  reconnect() {
    return this.primary.reconnect();
  }
  close(): void {
    this.replica.close();
    this.primary.close();
  }
}
