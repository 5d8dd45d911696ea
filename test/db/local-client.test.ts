import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, LibsqlError, type Client, type ResultSet } from "@libsql/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalFileClient } from "../../src/db/local-client.js";

// LocalFileClient stands in for @libsql/client's local client wherever Earshot reads or writes a
// file, so these tests hold it to the answers @libsql/client itself gives on the same database.

let dir: string;
let ours: LocalFileClient;
let theirs: Client;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "earshot-local-client-"));
  const path = join(dir, "t.db");
  theirs = createClient({ url: `file:${path}` });
  await theirs.execute("PRAGMA journal_mode = WAL");
  ours = new LocalFileClient(path, { timeout: 50 });
  await ours.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, data BLOB, big INTEGER)");
});

afterEach(() => {
  ours.close();
  theirs.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What a result set holds, in the forms callers read it: named rows, indexed rows, counts. */
const shape = (rs: ResultSet) => ({
  columns: rs.columns,
  columnTypes: rs.columnTypes,
  named: rs.rows.map((r) => ({ ...r })),
  indexed: rs.rows.map((r) => Array.prototype.slice.call(r)),
  rowsAffected: rs.rowsAffected,
  lastInsertRowid: rs.lastInsertRowid,
});

describe("LocalFileClient", () => {
  it("answers statements as @libsql/client does: values, rows, counts and ids", async () => {
    const blob = new Uint8Array([1, 2, 3, 250]).buffer;
    const insert = {
      sql: "INSERT INTO t (name, score, data, big) VALUES (?, ?, ?, ?)",
      args: ["a", 1.5, blob, 9_007_199_254_740_991],
    };
    const [a, b] = [
      await ours.execute(insert),
      await theirs.execute({ ...insert, args: ["b", 1.5, blob, 9_007_199_254_740_991] }),
    ];
    expect({ ...shape(a), lastInsertRowid: 1n }).toEqual({ ...shape(b), lastInsertRowid: 1n });
    expect(a.lastInsertRowid).toBe(1n);
    expect(b.lastInsertRowid).toBe(2n);

    // Booleans and dates are bound as @libsql/client binds them; named arguments too.
    await ours.execute({
      sql: "INSERT INTO t (name, score, big) VALUES (:name, :score, @big)",
      args: { name: "c", score: true, big: new Date(5) },
    });
    const select = "SELECT id, name, score, data, big, score * 2 AS doubled FROM t ORDER BY id";
    const mine = shape(await ours.execute(select));
    expect(mine).toEqual(shape(await theirs.execute(select)));
    expect(mine.named[2]).toMatchObject({ name: "c", score: 1, big: 5 });
    expect(new Uint8Array(mine.named[0].data as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3, 250]));
    // A row's columns are enumerable by name only, as in @libsql/client (Drizzle relies on it).
    expect(Object.keys((await ours.execute(select)).rows[0])).toEqual([
      "id",
      "name",
      "score",
      "data",
      "big",
      "doubled",
    ]);

    // Column lists that name a column twice, or by an index or `length`, read the same too.
    for (const odd of [
      "SELECT id, name, id FROM t ORDER BY id",
      "SELECT 1, 0, 2",
      "SELECT 7 AS length, 8 AS x",
      "SELECT t.id, u.id FROM t JOIN t AS u ON u.id = t.id",
    ]) {
      expect(shape(await ours.execute(odd))).toEqual(shape(await theirs.execute(odd)));
    }

    const update = await ours.execute({ sql: "UPDATE t SET score = score + 1 WHERE score IS NOT NULL", args: [] });
    expect(update.rowsAffected).toBe(3);
  });

  it("refuses what @libsql/client refuses, with the same errors", async () => {
    await ours.execute({ sql: "INSERT INTO t (name, big) VALUES ('x', 9223372036854775807)", args: [] });
    await expect(ours.execute("SELECT big FROM t")).rejects.toThrow(RangeError);
    await expect(theirs.execute("SELECT big FROM t")).rejects.toThrow(RangeError);
    await expect(ours.execute({ sql: "SELECT ?", args: [undefined as never] })).rejects.toThrow(TypeError);
    await expect(ours.execute({ sql: "SELECT ?", args: [Number.NaN] })).rejects.toThrow(RangeError);

    const duplicate = { sql: "INSERT INTO t (name) VALUES ('x')", args: [] };
    const mine = await ours.execute(duplicate).catch((e) => e);
    const reference = await theirs.execute(duplicate).catch((e) => e);
    expect(mine).toBeInstanceOf(LibsqlError);
    expect({ code: mine.code, extendedCode: mine.extendedCode, rawCode: mine.rawCode, message: mine.message }).toEqual({
      code: reference.code,
      extendedCode: reference.extendedCode,
      rawCode: reference.rawCode,
      message: reference.message,
    });
    expect(mine.code).toBe("SQLITE_CONSTRAINT");
    await expect(ours.execute("SELEC nonsense")).rejects.toMatchObject({ code: "SQLITE_ERROR" });
  });

  it("reports a locked database as SQLITE_BUSY after its busy timeout, and works again after reconnect", async () => {
    const holder = await theirs.transaction("write");
    await holder.execute("INSERT INTO t (name) VALUES ('held')");
    const busy = await ours.transaction("write").catch((e) => e);
    expect(busy).toBeInstanceOf(LibsqlError);
    expect(busy.code).toBe("SQLITE_BUSY");
    expect(String(busy.message)).toMatch(/^SQLITE_BUSY: /);
    await holder.commit();
    holder.close();
    ours.reconnect();
    const tx = await ours.transaction("write");
    await tx.execute("INSERT INTO t (name) VALUES ('after')");
    await tx.commit();
    expect((await theirs.execute("SELECT count(*) AS n FROM t")).rows[0].n).toBe(2);
  });

  it("commits, rolls back, and rolls back what a closed transaction left uncommitted", async () => {
    const committed = await ours.transaction("write");
    await committed.execute("INSERT INTO t (name) VALUES ('kept')");
    await committed.commit();
    committed.close();

    const rolledBack = await ours.transaction("write");
    await rolledBack.execute("INSERT INTO t (name) VALUES ('undone')");
    await rolledBack.rollback();

    const abandoned = await ours.transaction("write");
    await abandoned.batch([{ sql: "INSERT INTO t (name) VALUES ('abandoned')", args: [] }]);
    abandoned.close();
    await expect(abandoned.execute("SELECT 1")).rejects.toMatchObject({ code: "TRANSACTION_CLOSED" });

    // A failing statement undoes the whole batch.
    await expect(
      ours.batch(["INSERT INTO t (name) VALUES ('first')", "INSERT INTO t (name) VALUES ('kept')"], "write"),
    ).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    expect((await theirs.execute("SELECT name FROM t ORDER BY id")).rows.map((r) => r.name)).toEqual(["kept"]);
  });

  it("leaves a transaction whose COMMIT failed to close(), which rolls it back", async () => {
    await ours.executeMultiple(
      "PRAGMA foreign_keys = ON; CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED);",
    );
    const tx = await ours.transaction("write");
    await tx.execute("INSERT INTO c VALUES (1)");
    // A deferred foreign key is checked at COMMIT, which fails and leaves the transaction open.
    await expect(tx.commit()).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    expect(tx.closed).toBe(false);
    tx.close();
    expect(tx.closed).toBe(true);
    expect(ours.inTransaction).toBe(false);
    const next = await ours.transaction("write");
    await next.execute("INSERT INTO p VALUES (1)");
    await next.commit();
    expect(
      (await theirs.execute("SELECT (SELECT count(*) FROM p) AS p, (SELECT count(*) FROM c) AS c")).rows[0],
    ).toMatchObject({ p: 1, c: 0 });
  });

  it("keeps statements prepared without going stale after a schema change, and beyond its cache size", async () => {
    await ours.execute("INSERT INTO t (name) VALUES ('a')");
    const star = "SELECT * FROM t";
    const none = "SELECT * FROM t WHERE id < 0";
    expect((await ours.execute(star)).columns).toEqual(["id", "name", "score", "data", "big"]);
    expect((await ours.execute(none)).columns).toEqual(["id", "name", "score", "data", "big"]);
    await theirs.execute("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n'");
    const after = await ours.execute(star);
    expect(after.columns).toEqual(["id", "name", "score", "data", "big", "note"]);
    expect(after.rows[0].note).toBe("n");
    expect((await ours.execute(none)).columns).toEqual(after.columns);

    // Three hundred distinct statements (more than are kept), each answering its own value.
    for (let i = 0; i < 300; i++) expect((await ours.execute(`SELECT ${i} AS v`)).rows[0].v).toBe(i);
    expect((await ours.execute(star)).rows).toHaveLength(1);
  });

  it("reads a kept statement's columns once unless they depend on the schema (t.*, RETURNING *)", async () => {
    await ours.execute("INSERT INTO t (name) VALUES ('a')");
    const named = "SELECT id, name AS who FROM t";
    const qualified = "SELECT id, t.* FROM t";
    const returning = "INSERT INTO t (name) VALUES (?) RETURNING *";
    const count = "SELECT count(*) AS n, 2 * 3 AS six FROM t";
    expect((await ours.execute(named)).columns).toEqual(["id", "who"]);
    expect((await ours.execute(qualified)).columns).toEqual(["id", "id", "name", "score", "data", "big"]);
    expect((await ours.execute({ sql: returning, args: ["b"] })).columns).toEqual([
      "id",
      "name",
      "score",
      "data",
      "big",
    ]);
    expect((await ours.execute(count)).rows[0]).toMatchObject({ n: 2, six: 6 });

    await theirs.execute("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n'");
    expect(shape(await ours.execute(named))).toEqual(shape(await theirs.execute(named)));
    expect(shape(await ours.execute(qualified))).toEqual(shape(await theirs.execute(qualified)));
    expect((await ours.execute({ sql: returning, args: ["c"] })).rows[0]).toMatchObject({ name: "c", note: "n" });
    expect((await ours.execute(count)).rows[0]).toMatchObject({ n: 3, six: 6 });

    // A kept statement naming a column that is renamed fails rather than answering under the old name.
    await theirs.execute("ALTER TABLE t RENAME COLUMN name TO label");
    await expect(ours.execute(named)).rejects.toBeInstanceOf(LibsqlError);
  });

  it("leaves no read open behind a kept statement that failed part-way through its rows", async () => {
    await theirs.execute("INSERT INTO t (name, big) VALUES ('a', 1), ('b', 2), ('c', 3)");
    // Overflows on the second row, after the first has been read.
    const failing = "SELECT CASE WHEN big > 1 THEN abs(-9223372036854775807 - 1) ELSE big END AS v FROM t ORDER BY big";
    for (let round = 0; round < 2; round++) {
      await expect(ours.execute(failing)).rejects.toMatchObject({ code: "SQLITE_ERROR" });
      await theirs.execute("INSERT INTO t (name) VALUES (?)", [`after-${round}`]);
      // A read left open would see the old snapshot and keep a checkpoint from finishing.
      expect((await ours.execute("SELECT count(*) AS n FROM t")).rows[0].n).toBe(4 + round);
      const [busy] = Array.prototype.slice.call((await theirs.execute("PRAGMA wal_checkpoint(TRUNCATE)")).rows[0]);
      expect(busy).toBe(0);
    }
  });

  it("refuses work once closed", async () => {
    ours.close();
    expect(ours.closed).toBe(true);
    await expect(ours.execute("SELECT 1")).rejects.toMatchObject({ code: "CLIENT_CLOSED" });
  });
});
