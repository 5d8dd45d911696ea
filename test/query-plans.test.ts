import type { Client, InStatement } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, emailInput, socialInput } from "./support/factories.js";

// Every statement the service sends that reads the identities table must be answered from an index:
// looked up by value alone, SQLite scanned the whole table on every ingest write (unnoticed at
// thousands of customers, a full scan per write at millions).

let h: Harness;
const statements = new Set<string>();
const sqlOf = (stmt: InStatement) => (typeof stmt === "string" ? stmt : stmt.sql);

/** Records the SQL of every statement `client` runs, inside transactions too. */
function record(client: Client) {
  const execute = client.execute.bind(client);
  client.execute = ((stmt: InStatement, args?: unknown) => {
    statements.add(sqlOf(stmt));
    return (execute as (s: InStatement, a?: unknown) => ReturnType<Client["execute"]>)(stmt, args);
  }) as Client["execute"];
  const transaction = client.transaction.bind(client);
  client.transaction = (async (mode) => {
    const tx = await transaction(mode);
    const txExecute = tx.execute.bind(tx);
    tx.execute = (stmt: InStatement) => {
      statements.add(sqlOf(stmt));
      return txExecute(stmt);
    };
    return tx;
  }) as Client["transaction"];
}

beforeAll(async () => {
  h = await createHarness();
  record(h.runtime.db.$client);
  await h.runtime.db.write(async ({ client }) => record(client));
});
afterAll(() => h.close());

describe("query plans", () => {
  it("reads identities through an index when ingesting and searching customers", async () => {
    const customer = {
      customerId: "crm-plan-1",
      email: "plan.one@example.com",
      phone: "+1 202 555 0142",
      accountNumber: "12345678",
    };
    await h.request("POST", "/v1/interactions/batch", {
      body: {
        items: [
          chatInput({ customer }),
          emailInput({ customer: { email: "plan.one@example.com" } }),
          socialInput({ authorHandle: "@plan_one" }),
        ],
      },
    });
    for (const q of ["plan.one@example.com", "+1 (202) 555-0142", "@plan_one", "crm-plan-1"]) {
      expect((await h.request("GET", `/v1/customers?q=${encodeURIComponent(q)}`)).status).toBe(200);
    }
    const reads = [...statements].filter((sql) => /\bFROM identities\b/i.test(sql) && /^\s*(WITH|SELECT)/i.test(sql));
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const sql of reads) {
      const args = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => "x");
      const plan = (await h.runtime.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })).rows.map((r) =>
        String(r.detail),
      );
      expect({ sql, scans: plan.filter((d) => /^SCAN identities\b/.test(d)) }).toEqual({ sql, scans: [] });
    }
  });

  it("indexes queued interactions by looking each one up, never by scanning interactions", async () => {
    await h.request("POST", "/v1/interactions", { body: emailInput({ body: "The plan fee was charged twice." }) });
    expect(
      (await h.request("GET", "/v1/interactions?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&q=fee")).status,
    ).toBe(200);
    const inserts = [...statements].filter(
      (sql) => /INSERT INTO interactions_fts\b/i.test(sql) && /interactions_fts_pending/.test(sql),
    );
    expect(inserts).toHaveLength(1);
    const plan = (await h.runtime.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${inserts[0]}`, args: [1] })).rows.map(
      (r) => String(r.detail),
    );
    expect(plan).toEqual([
      "SEARCH p USING INTEGER PRIMARY KEY (rowid<?)",
      "SEARCH i USING INTEGER PRIMARY KEY (rowid=?)",
    ]);
  });
});
