import { fileURLToPath } from "node:url";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrate } from "drizzle-orm/libsql/migrator";
import { sql } from "drizzle-orm";
import type { Db } from "./client.js";

export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

/** Applies the committed drizzle-kit migrations (the same ones users run). */
export async function runMigrations(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder });
}

/** True when every committed migration has been applied (served by /readyz). */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const expected = readMigrationFiles({ migrationsFolder }).length;
  try {
    const rows = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM __drizzle_migrations`);
    return Number(rows[0]?.n ?? 0) >= expected;
  } catch {
    return false;
  }
}
