import { closeSync, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient } from "@libsql/client";
import type { Db } from "../db/client.js";

export interface BackupResult {
  path: string;
  bytes: number;
  ms: number;
  tables: Record<string, number>;
}

/** The tables whose row counts a backup reports (and its check compares). */
const COUNTED = [
  "customers",
  "identities",
  "interactions",
  "journey_events",
  "moments",
  "webhook_deliveries",
  "api_keys",
];

/**
 * An online backup of the embedded database: `VACUUM INTO` writes a consistent, compacted copy from one
 * read transaction while the server keeps reading and writing (WAL readers never block the writer).
 * The copy is then opened on its own and checked (`PRAGMA integrity_check`) before it is reported.
 * A remote libSQL server keeps its own backups; this is for `file:` databases.
 */
export async function backupDatabase(db: Db, target: string): Promise<BackupResult> {
  if (db.$client.protocol !== "file")
    throw new Error(
      "Online backup with VACUUM INTO is for file: databases; a libSQL server backs itself up (see its snapshots).",
    );
  const path = resolve(target);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // The copy is created here, empty and readable by its owner only (VACUUM INTO fills an empty file
  // and would otherwise create it with the umask's permissions); "wx" also refuses an existing file.
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST")
      throw new Error(`${path} already exists; a backup never overwrites a file.`);
    throw e;
  }
  const started = performance.now();
  try {
    await db.$client.execute({ sql: "VACUUM INTO ?", args: [path] });
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
  const ms = performance.now() - started;

  const copy = createClient({ url: `file:${path}` });
  try {
    const check = String((await copy.execute("PRAGMA integrity_check")).rows[0][0]);
    if (check !== "ok") throw new Error(`the backup at ${path} failed its integrity check: ${check}`);
    const tables: Record<string, number> = {};
    for (const t of COUNTED) tables[t] = Number((await copy.execute(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    return { path, bytes: statSync(path).size, ms: Math.round(ms), tables };
  } finally {
    copy.close();
  }
}
