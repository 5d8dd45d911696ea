import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema/index.js";

import type { Transaction } from "@libsql/client";

/**
 * Serialises every write of this process. Two write transactions on two pooled connections of one
 * process deadlock: the second waits for the lock in SQLite's busy handler, which blocks the event
 * loop, so the first can never finish (the trap the foundation issue warns about). Every write path
 * (ingest, moments, identity admin, erasure, webhooks) goes through this lock.
 */
export class WriteLock {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work, work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

export type Db = LibSQLDatabase<typeof schema> & { $client: Client; writeLock: WriteLock };

/** Runs `work` in a write transaction (BEGIN IMMEDIATE) under the process's write lock; commits if it returns. */
export function writeTransaction<T>(db: Db, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.writeLock.run(async () => {
    const tx = await db.$client.transaction("write");
    try {
      const result = await work(tx);
      await tx.commit();
      return result;
    } finally {
      tx.close();
    }
  });
}

export interface DbOptions {
  url: string;
  authToken?: string;
}

/** Busy timeout for local files: a writer waits this long for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export async function openDb({ url, authToken }: DbOptions): Promise<Db> {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).split("?")[0];
    if (path && path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
  if (url.startsWith("file:")) {
    // WAL lets readers run beside the single writer; the mode is stored in the file, so once is enough.
    await client.execute("PRAGMA journal_mode = WAL");
  }
  return Object.assign(drizzle(client, { schema, casing: "snake_case" }), { writeLock: new WriteLock() }) as Db;
}
