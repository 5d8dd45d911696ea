import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { backupDatabase } from "../../src/services/backup.js";

const dir = mkdtempSync(join(tmpdir(), "earshot-modes-"));
const mode = (path: string) => statSync(path).mode & 0o777;
let umask: number;
// The usual umask, under which files are created 0644 unless the code says otherwise.
beforeAll(() => {
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

describe("database files", () => {
  it("creates the database, its WAL and shared-memory files and backups readable by their owner only", async () => {
    const path = join(dir, "new", "earshot.db");
    const db = await openDb({ url: `file:${path}` });
    await runMigrations(db);
    await db.write(({ client }) =>
      client.execute("INSERT INTO customers (id, created_at, updated_at) VALUES ('cus_1', 0, 0)"),
    );
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(`${path}-shm`)).toBe(0o600);
    expect(mode(join(dir, "new"))).toBe(0o700);

    const backup = join(dir, "backups", "copy.db");
    const result = await backupDatabase(db, backup);
    expect(result.tables.customers).toBe(1);
    expect(mode(backup)).toBe(0o600);
    await expect(backupDatabase(db, backup)).rejects.toThrow(/already exists/);
    db.$client.close();
  });

  it("makes an existing database file 0600 when it opens it", async () => {
    const path = join(dir, "old.db");
    writeFileSync(path, "");
    chmodSync(path, 0o644);
    const db = await openDb({ url: `file:${path}` });
    await runMigrations(db);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    db.$client.close();
  });
});
