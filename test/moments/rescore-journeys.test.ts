import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Transaction } from "@libsql/client";
import { journeyPerMoment, rescoreCustomersMoments } from "../../src/services/moments/rescore.js";
import { RulesInForce } from "../../src/services/moments/rules-in-force.js";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput, eventInput, socialInput } from "../support/factories.js";
import { json } from "../support/http.js";

// Re-scoring reads each customer's journey once for all of its moments; this checks, on a journey with
// several moments per customer, a fold and acknowledged moments, that it scores every moment exactly
// as reading each moment's window by a query of its own does.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const post = async (path: string, body: unknown) =>
  json<{ id: string; customerId: string }>(await h.request("POST", path, { body }));
const rows = async (tx: Transaction, sql: string) => (await tx.execute(sql)).rows.map((r) => ({ ...r }));

/** One episode of trouble on `day`: a failed payment, an angry post about it, a chat after. */
async function episode(email: string, day: string, angry: boolean) {
  await post(
    "/v1/events",
    eventInput({
      customer: { email },
      type: "transaction",
      name: "payment",
      status: "failed",
      occurredAt: `${day}T08:00:00Z`,
    }),
  );
  await post(
    "/v1/interactions",
    socialInput({
      customer: { email },
      authorHandle: `@${email.split("@")[0].replace(/\W/g, "_")}`,
      occurredAt: `${day}T08:10:00Z`,
      text: angry
        ? "Payment failed AGAIN and you took the money twice. I am closing my account. Disgraceful!"
        : "Payment did not go through this morning, can someone look?",
    }),
  );
  await post(
    "/v1/interactions",
    chatInput({
      customer: { email },
      occurredAt: `${day}T09:00:00Z`,
      turns: [{ speaker: "customer", text: angry ? "Still no refund. This is the worst service." : "Thanks." }],
    }),
  );
}

/** Every moment re-scored (in a transaction rolled back after) for every stored record, as `journeys` reads them. */
async function rescoredWith(perMoment: boolean) {
  const tx = await h.runtime.db.$client.transaction("write");
  try {
    const records = await rows(tx, "SELECT id, customer_id, occurred_at FROM interactions ORDER BY rowid");
    const byCustomer = new Map<string, Array<{ id: string; occurredAt: number }>>();
    for (const r of records) {
      const list = byCustomer.get(String(r.customer_id)) ?? [];
      list.push({ id: String(r.id), occurredAt: Number(r.occurred_at) });
      byCustomer.set(String(r.customer_id), list);
    }
    const { rules, version } = h.runtime.momentScorer.currentRules;
    const done = await rescoreCustomersMoments(
      tx,
      new RulesInForce(rules, version),
      new Date("2026-06-01T00:00:00Z"),
      byCustomer,
      false,
      perMoment ? journeyPerMoment(tx) : undefined,
    );
    const moments = await rows(tx, "SELECT * FROM moments ORDER BY id");
    return { done: Object.fromEntries(done), moments };
  } finally {
    await tx.rollback();
  }
}

describe("re-scoring moments from one journey read per customer", () => {
  it("scores every moment as reading its own window does: several per customer, a fold, acknowledged ones", async () => {
    // Three customers, each with episodes far enough apart (beyond the rules' window) to open moments of their own.
    const days = ["2026-05-01", "2026-05-06", "2026-05-11", "2026-05-16"];
    for (const [n, email] of ["ana.rs@example.com", "ben.rs@example.com", "cai.rs@example.com"].entries())
      for (const [d, day] of days.entries()) await episode(email, day, (n + d) % 3 !== 2);
    // A fourth customer, known by phone, with moments of its own, folded into Ana's by a record carrying both.
    for (const day of ["2026-05-06", "2026-05-20"]) {
      await post(
        "/v1/interactions",
        chatInput({
          customer: { phone: "+447700900123" },
          occurredAt: `${day}T07:00:00Z`,
          turns: [
            {
              speaker: "customer",
              text: "My card was charged twice and nobody answers. Unacceptable, I want a refund now!",
            },
          ],
        }),
      );
    }
    await post(
      "/v1/interactions",
      chatInput({
        customer: { email: "ana.rs@example.com", phone: "+447700900123" },
        occurredAt: "2026-05-20T07:30:00Z",
        turns: [{ speaker: "customer", text: "Same person, both problems still open." }],
      }),
    );
    await h.runtime.momentQueue.idle();
    const before = (await h.runtime.db.$client.execute("SELECT id, customer_id, merged_into FROM moments ORDER BY id"))
      .rows;
    expect(before.length).toBeGreaterThanOrEqual(8);
    expect(before.some((m) => m.merged_into !== null)).toBe(true);
    const perCustomer = new Map<string, number>();
    for (const m of before) perCustomer.set(String(m.customer_id), (perCustomer.get(String(m.customer_id)) ?? 0) + 1);
    expect(Math.max(...perCustomer.values())).toBeGreaterThanOrEqual(3);
    // Some acknowledged.
    for (const m of before.slice(0, 3))
      expect((await h.request("POST", `/v1/moments/${m.id}/ack`, { key: h.keys.act })).status).toBe(200);
    // As a re-analysis would leave them: some records now read calm, others angrier, so moments change and some are no longer flagged.
    await h.runtime.db.$client.execute(
      "UPDATE interactions SET complaint_risk = 0.02, sentiment_score = 0.6, need_ids = NULL WHERE rowid % 3 = 0",
    );
    await h.runtime.db.$client.execute(
      "UPDATE interactions SET complaint_risk = 0.97, sentiment_score = -0.9 WHERE rowid % 3 = 1",
    );

    const perMoment = await rescoredWith(true);
    const perJourney = await rescoredWith(false);
    expect(perJourney).toEqual(perMoment);
    // Not vacuous: moments were re-scored, some are no longer flagged, and what was stored changed.
    const all = Object.values(perMoment.done);
    expect(all.flatMap((d) => d.rescored).length).toBeGreaterThanOrEqual(4);
    expect(all.flatMap((d) => d.removed).length).toBeGreaterThanOrEqual(1);
    const stored = (await h.runtime.db.$client.execute("SELECT * FROM moments ORDER BY id")).rows.map((r) => ({
      ...r,
    }));
    expect(perMoment.moments).not.toEqual(stored);
  });
});
