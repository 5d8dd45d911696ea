import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, emailInput, socialInput } from "./support/factories.js";
import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ ANALYSIS_WORKERS: "2" });
});
afterAll(() => h.close());

describe("ingest with analysis on worker threads", () => {
  it("stores the same analysis the engine gives in-process, for every item of a batch", async () => {
    const items: Array<Record<string, any>> = Array.from(
      { length: 120 },
      (_, i) => [chatInput(), emailInput(), socialInput({ text: `Charged twice again, order ${i}. Furious!` })][i % 3],
    );
    const body = await (await h.request("POST", "/v1/interactions/batch", { body: { items } })).json();
    expect(body.created).toBe(120);
    const local = createAnalyzer(loadLexicons());
    for (const i of [0, 1, 2, 119]) {
      const stored = await (await h.request("GET", `/v1/interactions/${body.results[i].id}`)).json();
      expect(stored.analysisVersion).toBe(local.version);
      expect(stored.analysis.sentiment.score).toBe(
        local.analyze(
          stored.channel === "chat"
            ? { channel: "chat", turns: items[i].turns }
            : { channel: stored.channel, subject: stored.subject ?? undefined, text: stored.text },
        ).stored.sentiment.score,
      );
    }
  });
});

describe("batches with analysis on worker threads", () => {
  it("names each bad item by its place in the batch, whichever worker chunk it fell in, and stores the rest", async () => {
    const items: unknown[] = Array.from({ length: 130 }, () => chatInput());
    items[0] = { ...chatInput(), channel: "fax" };
    items[51] = { ...chatInput(), occurredAt: "yesterday" };
    items[100] = { ...chatInput(), customer: {} };
    items[129] = "not an object";
    const body = await (await h.request("POST", "/v1/interactions/batch", { body: { items } })).json();
    expect(body.created).toBe(126);
    const fields = (i: number) => body.results[i].problem.errors.map((e: { field: string }) => e.field);
    expect(fields(0)).toEqual(["items.0.channel"]);
    expect(fields(51)).toEqual(["items.51.occurredAt"]);
    expect(fields(100)).toEqual(["items.100.customer"]);
    expect(fields(129)).toEqual(["items.129"]);
    expect(
      body.results.filter((r: { status: number }) => r.status === 201).map((r: { index: number }) => r.index),
    ).toEqual(Array.from({ length: 130 }, (_, i) => i).filter((i) => ![0, 51, 100, 129].includes(i)));
  });

  it("refuses items nested too deep with the field validation names, without a 5xx", async () => {
    const deep = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
    const good = () => JSON.stringify(chatInput());
    const deepMetadata = JSON.stringify({ ...chatInput(), metadata: "§" }).replace('"§"', deep(5000));
    const deepItem = "[".repeat(5000) + "]".repeat(5000);
    const res = await h.request("POST", "/v1/interactions/batch", {
      body: `{"items":[${good()},${deepMetadata},${deepItem},${good()}]}`,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results.map((r: { status: number }) => r.status)).toEqual([201, 422, 422, 201]);
    expect(body.results[1].problem.errors.map((e: { field: string }) => e.field)).toEqual(["items.1.metadata"]);
    expect(body.results[2].problem.errors.map((e: { field: string }) => e.field)).toEqual(["items.2"]);
    const single = await h.request("POST", "/v1/interactions", { body: deepMetadata });
    expect(single.status).toBe(422);
    expect((await single.json()).errors.map((e: { field: string }) => e.field)).toEqual(["metadata"]);
  });

  it("stores the text and turns redacted by the worker, with the JSON columns as sent", async () => {
    const input = chatInput({
      turns: [{ speaker: "customer", text: "Call me on +44 7700 900123 about my refund." }],
      metadata: { ticket: 42, tags: ["vip"] },
    });
    const created = await (await h.request("POST", "/v1/interactions", { body: input })).json();
    const stored = await (await h.request("GET", `/v1/interactions/${created.id}`)).json();
    expect(stored.text).not.toContain("7700 900123");
    expect(stored.turns[0].text).not.toContain("7700 900123");
    expect(stored.metadata).toEqual({ ticket: 42, tags: ["vip"] });
    expect(stored.channelData).toEqual(input.session);
  });

  it("masks the subject, the email's other parts and metadata on the worker too", async () => {
    const input = emailInput({
      subject: "Card 4111 1111 1111 1111 blocked",
      body: "My card is blocked.\n\nOn Mon, 2 Mar 2026, Bank wrote:\n> SSN 123-45-6789 on file",
      metadata: { note: "DOB 12/03/1985", card: 4111111111111111 },
    });
    const created = await (await h.request("POST", "/v1/interactions", { body: input })).json();
    const stored = await (await h.request("GET", `/v1/interactions/${created.id}`)).json();
    expect(stored.subject).toBe("Card [CARD] blocked");
    expect(stored.channelData.quoted).toBe("On Mon, 2 Mar 2026, Bank wrote:\n> SSN [SSN] on file");
    expect(stored.metadata).toEqual({ note: "DOB [DOB]", card: "[CARD]" });
  });
});
