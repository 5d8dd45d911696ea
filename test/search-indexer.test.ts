import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "../src/db/client.js";
import { indexPendingInteractions, SEARCH_CATCH_UP_MAX_ROWS } from "../src/services/search-indexer.js";
import { chatInput, emailInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";

// Ingest queues interactions for the full-text index; the indexer adds them in bulk, and a search
// indexes whatever is waiting before it runs (migration 0007, src/services/search-indexer.ts).

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const pending = async () =>
  Number((await h.runtime.db.$client.execute("SELECT count(*) AS n FROM interactions_fts_pending")).rows[0].n);
const search = async (q: string) => {
  const res = await h.request(
    "GET",
    `/v1/interactions?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&q=${encodeURIComponent(q)}`,
    { key: h.keys.read },
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id);
};
const post = async (body: unknown) => {
  const res = await h.request("POST", "/v1/interactions", { key: h.keys.ingest, body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};
/** A harness whose background indexer does not run during the test (after its first pass at start). */
const quietIndexer = () => createHarness({ SEARCH_INDEX_INTERVAL_MS: "60000" });

/** Writes `count` interactions numbered from `from` straight into the database (no analysis); `textSql` makes each one's text from its number `k`. */
async function insertInteractions(from: number, count: number, textSql: string, args: unknown[] = []) {
  const c = h.runtime.db.$client;
  await c.execute("INSERT OR IGNORE INTO customers (id, created_at, updated_at) VALUES ('cus_bulk', 0, 0)");
  const at = Date.parse("2026-03-01T12:00:00Z");
  await c.execute({
    sql: `WITH RECURSIVE n(k) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT k + 1 FROM n WHERE k < ?)
      INSERT INTO interactions (id, source, external_id, channel, customer_id, occurred_at, received_at, text, channel_data, flagged, created_at)
      SELECT 'int_bulk_' || k, 'bulk', 'b' || k, 'email', 'cus_bulk', ?, ?, ${textSql}, '{}', 0, 0 FROM n`,
    args: [from, from + count - 1, at, at, ...args] as never,
  });
}

describe("deferred full-text indexing", () => {
  it("queues stored interactions and finds them in a search made right after the write", async () => {
    h = await quietIndexer();
    const id = await post(emailInput({ subject: "Overdraft fee", body: "Why was I charged an overdraft fee twice?" }));
    expect(await pending()).toBe(1);
    expect(await search("overdraft")).toEqual([id]);
    expect(await pending()).toBe(0);
    // Stemmed, prefix on the last word, as before the index was deferred.
    expect(await search("charging overdr")).toEqual([id]);
  });

  it("leaves a long queue (heavy ingest) to the background indexer instead of indexing it first", async () => {
    h = await quietIndexer();
    const insertRows = (from: number, count: number, word: string) =>
      insertInteractions(from, count, "'queued ' || ? || ' message'", [word]);
    // Up to SEARCH_CATCH_UP_MAX_ROWS queued: the search indexes them first.
    await insertRows(1, SEARCH_CATCH_UP_MAX_ROWS, "parcel");
    expect(await search("parcel")).toHaveLength(50);
    expect(await pending()).toBe(0);
    // More: the search answers from the index as it is and leaves them queued.
    await insertRows(SEARCH_CATCH_UP_MAX_ROWS + 1, SEARCH_CATCH_UP_MAX_ROWS + 1, "crate");
    expect(await search("crate")).toEqual([]);
    expect(await pending()).toBe(SEARCH_CATCH_UP_MAX_ROWS + 1);
    expect(await indexPendingInteractions(h.runtime.db)).toBe(SEARCH_CATCH_UP_MAX_ROWS + 1);
    expect(await search("crate")).toHaveLength(50);
  });

  it("indexes in the background without a search, and counts what it indexed", async () => {
    h = await createHarness({ SEARCH_INDEX_INTERVAL_MS: "20" });
    await post(chatInput());
    await expect.poll(pending, { timeout: 5000, interval: 20 }).toBe(0);
    const metrics = await (await h.request("GET", "/metrics", { key: h.keys.admin })).text();
    expect(metrics).toMatch(/^earshot_search_indexed_total 1$/m);
    expect(metrics).toMatch(/^earshot_search_index_pending 0$/m);
  });

  it("drops an erased interaction whether or not it was indexed yet", async () => {
    h = await quietIndexer();
    const customer = { email: "erase-me@example.com" };
    await post(emailInput({ customer, body: "Please refund the duplicate payment." }));
    await search("refund"); // the first is indexed now
    await post(emailInput({ customer, body: "Refund still missing, second message." }));
    expect(await pending()).toBe(1);
    const [{ customer_id: customerId }] = (
      await h.runtime.db.$client.execute("SELECT customer_id FROM interactions LIMIT 1")
    ).rows;
    expect((await h.request("DELETE", `/v1/customers/${customerId}`, { key: h.keys.admin })).status).toBe(200);
    expect(await pending()).toBe(0);
    expect(await search("refund")).toEqual([]);
    const other = await post(emailInput({ body: "A refund for someone else." }));
    expect(await search("refund")).toEqual([other]);
  });

  it("indexes a text changed while waiting as it is when indexed, and re-indexes one changed after", async () => {
    h = await quietIndexer();
    const waiting = await post(emailInput({ body: "The parcel arrived broken." }));
    const c = h.runtime.db.$client;
    await c.execute({ sql: "UPDATE interactions SET text = 'The courier lost it.' WHERE id = ?", args: [waiting] });
    expect(await search("parcel")).toEqual([]);
    expect(await search("courier")).toEqual([waiting]);
    await c.execute({
      sql: "UPDATE interactions SET text = 'Replaced by a new parcel.' WHERE id = ?",
      args: [waiting],
    });
    expect(await search("courier")).toEqual([]);
    expect(await search("parcel")).toEqual([waiting]);
  });

  it("indexes a long queue in bounded transactions, and a second process indexes nothing twice", async () => {
    h = await quietIndexer();
    await insertInteractions(
      1,
      4500,
      "'bulk message number ' || k || CASE WHEN k % 1000 = 0 THEN ' milestone' ELSE '' END",
    );
    expect(await pending()).toBe(4500);
    // Another process on the same file indexes at the same time as this one.
    const other = await openDb({ url: `file:${join(h.dir, "test.db")}` });
    try {
      const [a, b] = await Promise.all([indexPendingInteractions(h.runtime.db), indexPendingInteractions(other)]);
      expect(a + b).toBe(4500);
    } finally {
      other.$client.close();
    }
    expect(await pending()).toBe(0);
    const hits = await search("milestone");
    expect(hits.sort()).toEqual(["int_bulk_1000", "int_bulk_2000", "int_bulk_3000", "int_bulk_4000"]);
  });
});
