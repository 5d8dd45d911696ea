import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { callNoteInput, chatInput, emailInput, socialInput } from "./support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("POST /v1/interactions", () => {
  it.each([
    ["chat", chatInput],
    ["email", emailInput],
    ["call_note", callNoteInput],
    ["social", socialInput],
  ])("stores a %s interaction with its analysis and answers 201", async (channel, make) => {
    const res = await h.request("POST", "/v1/interactions", { body: make() });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      id: expect.stringMatching(/^int_/),
      customerId: expect.stringMatching(/^cus_/),
      status: "created",
    });
    expect(res.headers.get("location")).toBe(`/v1/interactions/${body.id}`);

    const stored = await (await h.request("GET", `/v1/interactions/${body.id}`)).json();
    expect(stored.channel).toBe(channel);
    expect(stored.analysis.version).toBe(h.runtime.analyzer.version);
    expect(stored.analysisVersion).toBe(h.runtime.analyzer.version);
    expect(stored.analysis.sentiment.label).toMatch(/positive|neutral|negative/);
  });

  it("stores every field so that it reads back through the schema", async () => {
    const input = chatInput({ metadata: { ticket: "T-9", tags: ["vip"] }, occurredAt: "2026-03-01T10:00:00+02:00" });
    const { id, customerId } = await (await h.request("POST", "/v1/interactions", { body: input })).json();
    const stored = await (await h.request("GET", `/v1/interactions/${id}`)).json();
    expect(stored).toMatchObject({
      id,
      customerId,
      source: input.source,
      externalId: input.externalId,
      channel: "chat",
      occurredAt: "2026-03-01T08:00:00.000Z",
      subject: null,
      turns: input.turns,
      channelData: input.session,
      metadata: input.metadata,
      analysisVersion: h.runtime.analyzer.version,
      sentimentScore: stored.analysis.sentiment.score,
      complaintRisk: stored.analysis.complaint.risk,
      flagged: stored.analysis.complaint.flagged,
    });
    expect(stored.text).toBe(
      "customer: Hi, my card payment failed twice today.\nagent: Sorry about that, let me check.",
    );
    // The analysis's need and topic ids are also kept as columns for journey scoring and filters.
    const [ids] = (
      await h.runtime.db.$client.execute({
        sql: "SELECT need_ids, topic_ids FROM interactions WHERE id = ?",
        args: [id],
      })
    ).rows;
    const idList = (xs: Array<{ id: string }>) => (xs.length ? xs.map((x) => x.id).join(",") : null);
    expect({ ...ids }).toEqual({ need_ids: idList(stored.analysis.needs), topic_ids: idList(stored.analysis.topics) });
    expect(stored.analysis.topics.length).toBeGreaterThan(0);
    expect(stored).not.toHaveProperty("needIds");
    expect(Date.parse(stored.receivedAt)).toBeGreaterThan(Date.parse("2026-01-01"));
  });

  it("answers the original with 200 when the same record comes again (another body: 409, test/idempotency.test.ts)", async () => {
    const input = chatInput();
    const first = await (await h.request("POST", "/v1/interactions", { body: input })).json();
    const again = await h.request("POST", "/v1/interactions", { body: input });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: first.id, customerId: first.customerId, status: "existing" });
  });

  it("makes no duplicate under concurrent retries", async () => {
    const input = emailInput();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => h.request("POST", "/v1/interactions", { body: input })),
    );
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    const rows = await h.runtime.db.$client.execute({
      sql: "SELECT count(*) AS n FROM interactions WHERE external_id = ?",
      args: [input.externalId],
    });
    expect(Number(rows.rows[0].n)).toBe(1);
  });

  it("links interactions that share an identifier to the same customer", async () => {
    const email = "shared.person@example.com";
    const a = await (
      await h.request("POST", "/v1/interactions", { body: chatInput({ customer: { email: email.toUpperCase() } }) })
    ).json();
    const b = await (
      await h.request("POST", "/v1/interactions", {
        body: callNoteInput({ customer: { email, phone: "+1 202 555 0143" } }),
      })
    ).json();
    const c = await (
      await h.request("POST", "/v1/interactions", { body: callNoteInput({ customer: { phone: "(202) 555-0143" } }) })
    ).json();
    expect(b.customerId).toBe(a.customerId);
    expect(c.customerId).toBe(a.customerId);
  });

  it("uses the social author handle as an identifier", async () => {
    const a = await (
      await h.request("POST", "/v1/interactions", { body: socialInput({ authorHandle: "@Maria_G" }) })
    ).json();
    const b = await (
      await h.request("POST", "/v1/interactions", {
        body: chatInput({ customer: { handle: { platform: "Twitter", value: "maria_g" } } }),
      })
    ).json();
    expect(b.customerId).toBe(a.customerId);
  });

  it("keeps an email's quoted history and signature apart from its new text", async () => {
    const body =
      "I still have not received my refund.\n\nRegards,\nAna\n\nOn Mon, 2 Mar 2026, Support <help@bank.example> wrote:\n> Your refund is on its way, thank you!";
    const { id } = await (await h.request("POST", "/v1/interactions", { body: emailInput({ body }) })).json();
    const stored = await (await h.request("GET", `/v1/interactions/${id}`)).json();
    expect(stored.text).toBe("I still have not received my refund.");
    expect(stored.channelData.quoted).toContain("Your refund is on its way");
    expect(stored.channelData.signature).toContain("Ana");
    expect(stored.analysis.sentiment.label).toBe("negative");
  });

  it("converts an HTML email body to text", async () => {
    const body =
      "<html><body><p>Please <b>close</b> my account.</p><blockquote>older message</blockquote></body></html>";
    const { id } = await (await h.request("POST", "/v1/interactions", { body: emailInput({ body }) })).json();
    const stored = await (await h.request("GET", `/v1/interactions/${id}`)).json();
    expect(stored.text).toBe("Please close my account.");
  });

  it("takes the text of HTML nested thousands of tags deep without parsing it, and keeps sloppy real HTML parsed", async () => {
    // Parsing this overflowed the stack (a 500) and spent seconds in the parser's tag list before.
    const hostile = "<html><body>" + "<div>".repeat(20_000) + "Please close my account &amp; refund me.";
    const res = await h.request("POST", "/v1/interactions", { body: emailInput({ body: hostile }) });
    expect(res.status).toBe(201);
    const stored = await (await h.request("GET", `/v1/interactions/${(await res.json()).id}`)).json();
    expect(stored.text).toBe("Please close my account & refund me.");
    // Thousands of paragraphs and line breaks left open are not nesting: still converted as HTML.
    const sloppy = "<html><body>" + "<p>Line <br>".repeat(3000) + "<blockquote>older message</blockquote>";
    const { id } = await (await h.request("POST", "/v1/interactions", { body: emailInput({ body: sloppy }) })).json();
    const parsed = await (await h.request("GET", `/v1/interactions/${id}`)).json();
    expect(parsed.text.startsWith("Line\n")).toBe(true);
    expect(parsed.text).not.toContain("<p>");
    expect(parsed.channelData.quoted).toContain("older message");
    // Tens of thousands of tags never closed by ">": a pattern that scans each to the end of the body is
    // quadratic (about 27 s for 50,000); the test's time limit is the guard.
    for (const body of [
      "<div".repeat(50_000),
      "<html><body>" + "<a".repeat(100_000),
      "<html>" + "<div>".repeat(1001) + "<b".repeat(100_000),
    ]) {
      expect((await h.request("POST", "/v1/interactions", { body: emailInput({ body }) })).status).toBe(201);
    }
  });

  it("redacts personal data in the stored text but scores the original", async () => {
    const text = "My card 4111 1111 1111 1111 was charged twice, call me on +44 7700 900123 or mail jo@example.com";
    const { id } = await (await h.request("POST", "/v1/interactions", { body: socialInput({ text }) })).json();
    const stored = await (await h.request("GET", `/v1/interactions/${id}`)).json();
    expect(stored.text).toBe("My card [CARD] was charged twice, call me on [PHONE] or mail [EMAIL]");
    expect(JSON.stringify(stored)).not.toContain("4111");
    expect(JSON.stringify(stored.analysis)).not.toContain("jo@example.com");
    expect(stored.analysis.sentiment.label).toBe("negative");
  });
});

describe("POST /v1/interactions/batch", () => {
  it("answers one result per item in order, storing the good ones", async () => {
    const good = chatInput();
    const items = [
      good,
      { ...emailInput(), channel: "fax" },
      socialInput(),
      good,
      { ...callNoteInput(), occurredAt: "yesterday" },
    ];
    const res = await h.request("POST", "/v1/interactions/batch", { body: { items } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results.map((r: { status: number }) => r.status)).toEqual([201, 422, 201, 200, 422]);
    expect(body.results[3].id).toBe(body.results[0].id);
    expect(body.results[1].problem.errors[0]).toMatchObject({
      field: "items.1.channel",
      message: expect.stringContaining("chat, email, call_note, social"),
    });
    expect(body.results[4].problem.errors[0].field).toBe("items.4.occurredAt");
    expect(body).toMatchObject({ created: 2, existing: 1, failed: 2 });
  });

  it("refuses more items than the limit", async () => {
    const res = await h.request("POST", "/v1/interactions/batch", {
      body: { items: Array.from({ length: 1001 }, () => chatInput()) },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].field).toBe("items");
  });

  it("refuses a body without items", async () => {
    const res = await h.request("POST", "/v1/interactions/batch", { body: { interactions: [] } });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].field).toBe("items");
  });
});
