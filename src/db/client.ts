import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema/index.js";

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

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
  return drizzle(client, { schema, casing: "snake_case" }) as Db;
}
