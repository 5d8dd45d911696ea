import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "drizzle-orm/libsql/migrator";
import { describe, expect, it } from "vitest";
import { openDb } from "../src/db/client.js";
import { migrationsFolder } from "../src/db/migrate.js";

/** The committed migrations as they stood before `tag`: what an existing deployment has applied. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), "earshot-migrations-"));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.slice(
    0,
    journal.entries.findIndex((e: { tag: string }) => e.tag === tag),
  );
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe("migrations", () => {
  it("0007 keeps rows indexed before it searchable and queues rows stored after it", async () => {
    const db = await openDb({ url: `file:${join(mkdtempSync(join(tmpdir(), "earshot-mig-")), "old.db")}` });
    try {
      await migrate(db, { migrationsFolder: migrationsBefore("0007_deferred_search_index") });
      const c = db.$client;
      const insert = (id: string, text: string) =>
        c.execute({
          sql: `INSERT INTO interactions (id, source, external_id, channel, customer_id, occurred_at, received_at, text, channel_data, flagged, created_at)
            VALUES (?, 'crm', ?, 'email', 'cus_1', 0, 0, ?, '{}', 0, 0)`,
          args: [id, id, text],
        });
      await c.execute("INSERT INTO customers (id, created_at, updated_at) VALUES ('cus_1', 0, 0)");
      await insert("int_old", "Old complaint about fees");
      await migrate(db, { migrationsFolder });
      await insert("int_new", "New complaint about fees");
      const matches = async () =>
        (
          await c.execute(
            "SELECT i.id FROM interactions i WHERE i.rowid IN (SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH 'fees') ORDER BY i.id",
          )
        ).rows.map((r) => r.id);
      expect(await matches()).toEqual(["int_old"]);
      expect((await c.execute("SELECT count(*) AS n FROM interactions_fts_pending")).rows[0].n).toBe(1);
    } finally {
      db.$client.close();
    }
  });

  it("0006 back-fills need and topic ids from analyses stored before it", async () => {
    const db = await openDb({ url: `file:${join(mkdtempSync(join(tmpdir(), "earshot-mig-")), "old.db")}` });
    try {
      await migrate(db, { migrationsFolder: migrationsBefore("0006_analysis_ids") });
      const c = db.$client;
      await c.execute("INSERT INTO customers (id, created_at, updated_at) VALUES ('cus_1', 0, 0)");
      const analysis = { needs: [{ id: "refund" }, { id: "complaint" }], topics: [{ id: "fees" }] };
      await c.execute({
        sql: `INSERT INTO interactions (id, source, external_id, channel, customer_id, occurred_at, received_at, text, channel_data, analysis, flagged, created_at)
          VALUES ('int_1', 'crm', 'a', 'email', 'cus_1', 0, 0, 'Refund the fee', '{}', ?, 0, 0), ('int_2', 'crm', 'b', 'email', 'cus_1', 0, 0, 'Hello', '{}', NULL, 0, 0)`,
        args: [JSON.stringify(analysis)],
      });
      await migrate(db, { migrationsFolder });
      const rows = (await c.execute("SELECT id, need_ids, topic_ids FROM interactions ORDER BY id")).rows.map((r) => ({
        ...r,
      }));
      expect(rows).toEqual([
        { id: "int_1", need_ids: "refund,complaint", topic_ids: "fees" },
        { id: "int_2", need_ids: null, topic_ids: null },
      ]);
    } finally {
      db.$client.close();
    }
  });
});
