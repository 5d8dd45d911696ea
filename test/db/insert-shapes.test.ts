import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client, InStatement } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../src/db/client.js";
import { insertStatements, jsonRowsStatements, type SqlValue, valuesStatements } from "../../src/db/insert-values.js";
import { readStatement, rowsFrom } from "../../src/db/json-rows.js";
import { hasSqld, startSqld, type SqldServer } from "../support/sqld.js";

// Both shapes of a multi-row insert (src/db/insert-values.ts) store exactly the rows they were given,
// on an embedded file and through a libSQL server over http and ws: the same values, the same SQL types.
// Reads packed as one JSON text (src/db/json-rows.ts) give back the rows a plain read gives.

const columns = ["id", "label", "body", "score", "count", "flag", "note"];
const ddl = (table: string) =>
  `CREATE TABLE ${table} (id TEXT PRIMARY KEY, label TEXT NOT NULL, body TEXT, score REAL, count INTEGER, flag INTEGER NOT NULL, note TEXT)`;

const awkward = [
  `it's "quoted" and \\backslashed\\`,
  "ünïcödé — naïve café, 日本語, עברית, 🙂👍🏽 (emoji with a skin tone)",
  "line\nbreak\ttab\r\ncarriage \u2028 separator \u2029",
  '{"looks":"like json"}',
  "[1, 2, 3]",
  "null",
  "42",
  "",
];
/** Every 50th row's body: 2,000 rows pass the longest JSON text one statement carries. */
const long = `${"é ".repeat(15_000)}\u{1F600}`;
const floats = [0.1, 1 / 3, -2.5e-300, 1e300, 123456.789, Math.PI, 0.30000000000000004];
const ints = [0, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 1_700_000_000_000];

function rowsOf(count: number): SqlValue[][] {
  return Array.from({ length: count }, (_, i) => [
    `row-${i}`,
    awkward[i % awkward.length],
    i % 5 === 0 ? null : i % 50 === 1 ? long : `${awkward[(i + 3) % awkward.length]} #${i}`,
    i % 7 === 0 ? null : floats[i % floats.length],
    i % 11 === 0 ? null : ints[i % ints.length],
    i % 2,
    null,
  ]);
}

const readBack = async (client: Client, table: string) => {
  const rs = await client.execute(
    `SELECT ${columns.join(", ")}, ${columns.map((c) => `typeof(${c})`).join(", ")} FROM ${table} ORDER BY rowid`,
  );
  return rs.rows.map((r) => Array.prototype.slice.call(r) as unknown[]);
};

const targets: Array<[string, () => Promise<{ url: string; stop: () => Promise<void> }>]> = [
  [
    "an embedded file",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "earshot-shapes-"));
      return { url: `file:${join(dir, "t.db")}`, stop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
];
if (hasSqld())
  for (const scheme of ["http", "ws"])
    targets.push([
      `sqld over ${scheme}`,
      async () => {
        const sqld: SqldServer = await startSqld();
        return { url: scheme === "ws" ? sqld.url.replace(/^http/, "ws") : sqld.url, stop: () => sqld.stop() };
      },
    ]);

describe.each(targets)("multi-row inserts on %s", (_name, start) => {
  let db: Db;
  let stop: () => Promise<void>;
  let table = 0;
  beforeAll(async () => {
    const target = await start();
    stop = target.stop;
    db = await openDb({ url: target.url });
  }, 30_000);
  afterAll(async () => {
    db?.$client.close();
    await stop?.();
  });

  /** Writes rows into a new table with `statements`, in one write batch, and reads them back. */
  async function roundTrip(statements: (table: string) => InStatement[]) {
    const name = `t${++table}`;
    await db.$client.execute(ddl(name));
    await db.write(({ client }) => client.batch(statements(name), "write"));
    return readBack(db.$client, name);
  }

  const expected = (rows: SqlValue[][]) =>
    rows.map((r) => [
      ...r,
      ...r.map((v, i) =>
        v === null ? "null" : ["score"].includes(columns[i]) ? "real" : typeof v === "number" ? "integer" : "text",
      ),
    ]);

  it.each([1, 37, 2_000])(
    "stores %i rows identically in both shapes",
    async (count) => {
      const rows = rowsOf(count);
      if (count === 2_000) expect(jsonRowsStatements("t", columns, rows).length).toBeGreaterThan(1);
      const asJson = await roundTrip((t) => jsonRowsStatements(t, columns, rows));
      const asValues = await roundTrip((t) => valuesStatements(t, columns, rows));
      expect(asJson).toEqual(expected(rows));
      expect(asValues).toEqual(asJson);
    },
    60_000,
  );

  it("shapes a transaction's inserts for its driver", async () => {
    const rows = rowsOf(3);
    const name = `t${++table}`;
    await db.$client.execute(ddl(name));
    const sent = await db.write(async ({ client }) => {
      const tx = await client.transaction("write");
      try {
        const statements = insertStatements(tx, name, columns, rows);
        await tx.batch(statements);
        await tx.commit();
        return statements;
      } finally {
        tx.close();
      }
    });
    // Three rows: one JSON text through a server, VALUES statements of 2 and 1 rows on a file.
    expect(sent.map((s) => (typeof s === "string" ? s : s.sql).includes("json_each"))).toEqual(
      db.$client.protocol === "file" ? [false, false] : [true],
    );
    expect(await readBack(db.$client, name)).toEqual(expected(rows));
  });

  it("reads rows back as a plain read does when a transaction packs them as one JSON text", async () => {
    const rows = rowsOf(300);
    const name = `t${++table}`;
    await db.$client.execute(ddl(name));
    await db.write(({ client }) => client.batch(valuesStatements(name, columns, rows), "write"));
    const read = { columns, floats: ["score"] };
    const sql = `SELECT ${columns.join(", ")} FROM ${name} WHERE id != ? ORDER BY count DESC, id`;
    const plain = await db.$client.execute({ sql, args: ["row-3"] });
    const [packed, sent] = await db.write(async ({ client }) => {
      const tx = await client.transaction("write");
      try {
        const statement = readStatement(tx, { sql, args: ["row-3"] }, read);
        const [rs] = await tx.batch([statement]);
        await tx.commit();
        return [rs, statement] as const;
      } finally {
        tx.close();
      }
    });
    expect(typeof sent !== "string" && sent.sql.includes("json_group_array")).toBe(db.$client.protocol !== "file");
    const asObjects = plain.rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])));
    // Every value as it was stored (floats to the last bit), in the order asked for.
    expect(rowsFrom(packed, read)).toEqual(asObjects);
    expect(asObjects).toHaveLength(299);
  });
});
