import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase } from "../src/services/backup.js";
import { chatInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("online backup", () => {
  it("copies a consistent, checked database while ingest keeps writing", async () => {
    for (let i = 0; i < 3; i++)
      await h.request("POST", "/v1/interactions/batch", {
        body: { items: Array.from({ length: 50 }, () => chatInput()) },
      });
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) n += (await h.request("POST", "/v1/interactions", { body: chatInput() })).status === 201 ? 1 : 0;
      return n;
    })();
    const result = await backupDatabase(h.runtime.db, join(h.dir, "backups", "earshot-backup.db"));
    writing = false;
    const writtenDuring = await writer;
    expect(result.tables.interactions).toBeGreaterThanOrEqual(150);
    expect(result.bytes).toBeGreaterThan(0);
    // The copy opens on its own and answers queries, FTS included.
    const copy = createClient({ url: `file:${result.path}` });
    expect(Number((await copy.execute("SELECT count(*) AS n FROM interactions")).rows[0].n)).toBe(
      result.tables.interactions,
    );
    expect(
      (await copy.execute("SELECT count(*) AS n FROM interactions_fts WHERE interactions_fts MATCH 'card'")).rows[0].n,
    ).toBeDefined();
    copy.close();
    expect(writtenDuring).toBeGreaterThan(0);
    await expect(backupDatabase(h.runtime.db, result.path)).rejects.toThrow(/already exists/);
  });

  it("is a CLI command that prints what it wrote", () => {
    const out = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "backup", join(h.dir, "cli-backup.db")], {
      cwd: join(import.meta.dirname, ".."),
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: `file:${join(h.dir, "test.db")}`, LOG_LEVEL: "silent" },
    });
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.tables.interactions).toBeGreaterThanOrEqual(150);
    const again = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "backup"], {
      cwd: join(import.meta.dirname, ".."),
      encoding: "utf8",
    });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("usage: earshot backup <file>");
  });
});
