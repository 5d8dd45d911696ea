import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interactionColumns } from "../../src/services/exports/interactions.js";
import { queueColumns, momentColumns } from "../../src/services/exports/moments.js";
import { failedWithdrawalThenChat } from "../support/journeys.js";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput, emailInput, socialInput } from "../support/factories.js";
import { json, problem } from "../support/http.js";

// CSV exports over app.request(): the search's and the lists' filters, quoting and the formula guard
// read back by a real CSV parser, the row bound with its continuation, refusals, and the audit entry.

let h: Harness;
const now = new Date("2026-03-10T12:00:00Z");
const WINDOW = "from=2026-03-01T00:00:00Z&to=2026-03-10T00:00:00Z";
/** Texts a spreadsheet would run as formulas, and ones that need quoting. */
const HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3 cmd", "@SUM(A1:A2)"];
const ids: Record<string, string> = {};

async function post(path: string, body: Record<string, unknown>) {
  const res = await h.request("POST", path, { body });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function csvOf(res: Response) {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="earshot-[a-z]+-2026-03-10\.csv"$/);
  const text = await res.text();
  const rows = parse(text, { columns: true, record_delimiter: "\r\n" }) as Record<string, string>[];
  return { text, rows, header: text.split("\r\n")[0].split(",") };
}

beforeAll(async () => {
  h = await createHarness({}, { clock: () => now });
  ids.quiet = await post(
    "/v1/interactions",
    chatInput({ occurredAt: "2026-03-02T09:00:00Z", turns: [{ speaker: "customer", text: "Thanks, all sorted." }] }),
  );
  ids.angry = await post(
    "/v1/interactions",
    emailInput({
      occurredAt: "2026-03-03T09:00:00Z",
      subject: 'Refund, "again", for order 12',
      body: "This is the third time my refund failed.\nWrite to me at jo.bloggs@example.com, I am furious and will complain to the regulator.",
    }),
  );
  for (const [i, text] of HOSTILE.entries())
    ids[`hostile${i}`] = await post(
      "/v1/interactions",
      socialInput({ occurredAt: `2026-03-0${4 + i}T09:00:00Z`, text }),
    );
  // Outside the window: never exported.
  await post("/v1/interactions", chatInput({ occurredAt: "2026-03-11T09:00:00Z" }));
  await h.runtime.momentQueue.idle();
});
afterAll(() => h.close());

const exportInteractions = (query: string, key = h.keys.supervise) =>
  h.request("GET", `/v1/interactions/export?${query}`, { key });

describe("GET /v1/interactions/export", () => {
  it("streams every interaction of the window, newest first, with a header row and no continuation", async () => {
    const res = await exportInteractions(WINDOW);
    expect(res.headers.get("export-rows")).toBe("6");
    expect(res.headers.get("export-next-cursor")).toBeNull();
    expect(res.headers.get("link")).toBeNull();
    const { rows, header } = await csvOf(res);
    expect(header).toEqual([...interactionColumns]);
    expect(rows.map((r) => r.id)).toEqual([
      ids.hostile3,
      ids.hostile2,
      ids.hostile1,
      ids.hostile0,
      ids.angry,
      ids.quiet,
    ]);
    // The same rows, in the same order, as the JSON search.
    const page = await json<{ items: Array<{ id: string }> }>(
      await h.request("GET", `/v1/interactions?${WINDOW}&limit=200`, { key: h.keys.read }),
    );
    expect(rows.map((r) => r.id)).toEqual(page.items.map((i) => i.id));
  });

  it("writes the stored text, masked, quoted where it must be, with its analysis", async () => {
    const { rows } = await csvOf(await exportInteractions(`${WINDOW}&channel=email`));
    expect(rows).toHaveLength(1);
    const [angry] = rows;
    expect(angry.subject).toBe('Refund, "again", for order 12');
    expect(angry.text).toContain("third time my refund failed.\n");
    expect(angry.text).not.toContain("jo.bloggs@example.com");
    expect(angry.channel).toBe("email");
    expect(angry.flagged).toBe("true");
    expect(angry.sentiment_label).toBe("negative");
    expect(Number(angry.sentiment_score)).toBeLessThan(0);
    expect(angry.reasons.length).toBeGreaterThan(0);
  });

  it("puts an apostrophe before every cell a spreadsheet would run as a formula", async () => {
    const { rows } = await csvOf(await exportInteractions(`${WINDOW}&channel=social&order=asc`));
    expect(rows.map((r) => r.text)).toEqual(HOSTILE.map((t) => `'${t}`));
    const numeric = new Set(["sentiment_score", "complaint_risk"]);
    for (const row of rows)
      for (const [column, value] of Object.entries(row))
        if (!numeric.has(column)) expect(value, column).not.toMatch(/^[=+\-@\t\r]/);
    // A negative number is a number, not a formula: it keeps its sign.
    const { rows: negative } = await csvOf(await exportInteractions(`${WINDOW}&sentiment=negative`));
    expect(negative.some((r) => r.sentiment_score.startsWith("-"))).toBe(true);
  });

  it("applies the search's filters: channel, sentiment, flagged, need, text", async () => {
    const count = async (q: string) => (await csvOf(await exportInteractions(`${WINDOW}&${q}`))).rows.length;
    expect(await count("channel=chat,social")).toBe(5);
    expect(await count("flagged=true")).toBe(1);
    expect(await count("q=refund")).toBe(1);
    expect(await count("sentiment=positive")).toBe(1);
  });

  it("holds at most `limit` rows and names the cursor of the rest, until nothing is left", async () => {
    const seen: string[] = [];
    let query = `${WINDOW}&limit=4`;
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await exportInteractions(query);
      const next = res.headers.get("export-next-cursor");
      const link = res.headers.get("link");
      const { rows } = await csvOf(res);
      expect(res.headers.get("export-rows")).toBe(String(rows.length));
      sizes.push(rows.length);
      seen.push(...rows.map((r) => r.id));
      if (!next) {
        expect(link).toBeNull();
        break;
      }
      expect(link).toBe(
        `</v1/interactions/export?${query.replace(/:/g, "%3A").replace(/&cursor=.*$/, "")}&cursor=${next}>; rel="next"`,
      );
      query = `${WINDOW}&limit=4&cursor=${next}`;
    }
    expect(sizes).toEqual([4, 2]);
    const all = (await csvOf(await exportInteractions(WINDOW))).rows.map((r) => r.id);
    expect(seen).toEqual(all);
    // Exactly `limit` rows left: one export, and no cursor pointing at nothing.
    const exact = await exportInteractions(`${WINDOW}&limit=6`);
    expect(exact.headers.get("export-next-cursor")).toBeNull();
    expect((await csvOf(exact)).rows).toHaveLength(6);
  });

  it("refuses bad input with a problem naming the field", async () => {
    for (const [query, field] of [
      [`${WINDOW}&limit=10001`, "limit"],
      [`${WINDOW}&limit=0`, "limit"],
      [`${WINDOW}&channel=fax`, "channel"],
      [`${WINDOW}&cursor=not-a-cursor`, "cursor"],
      ["from=2026-03-10T00:00:00Z&to=2026-03-01T00:00:00Z", "to"],
      ["from=yesterday", "from"],
    ] as const) {
      const res = await exportInteractions(query);
      expect(res.status, query).toBe(422);
      const body = await problem(res, "validation_failed");
      expect(
        body.errors?.map((e) => e.field.split(".")[0]),
        query,
      ).toContain(field);
    }
  });

  it("is a supervisor's: read and act keys and agents are refused, supervise and admin keys and supervisors let in", async () => {
    expect((await exportInteractions(WINDOW, "")).status).toBe(401);
    for (const key of [h.keys.read, h.keys.act, h.keys.ingest])
      await problem(await exportInteractions(WINDOW, key), "forbidden");
    for (const key of [h.keys.supervise, h.keys.admin])
      expect((await exportInteractions(WINDOW, key)).status).toBe(200);
    const asPerson = async (role: "agent" | "supervisor" | "admin") =>
      h.request("GET", `/v1/interactions/export?${WINDOW}`, {
        key: null,
        headers: { cookie: (await h.person(role)).cookie },
      });
    expect((await asPerson("agent")).status).toBe(403);
    expect((await asPerson("supervisor")).status).toBe(200);
    expect((await asPerson("admin")).status).toBe(200);
  });

  it("audits each export: who, what, the filters and the rows", async () => {
    const boss = await h.person("supervisor", { name: "Sam Supervisor" });
    const res = await h.request("GET", `/v1/interactions/export?${WINDOW}&channel=social&limit=3`, {
      key: null,
      headers: { cookie: boss.cookie },
    });
    await res.text();
    const audit = await json<{ items: Array<{ action: string; by: { id: string; name: string }; details: any }> }>(
      await h.request("GET", "/v1/audit?action=data_exported&limit=1", { key: h.keys.admin }),
    );
    const [entry] = audit.items;
    expect(entry.by).toEqual({ id: `user:${boss.id}`, name: "Sam Supervisor" });
    expect(entry.details).toMatchObject({
      what: "interactions",
      filters: { channel: ["social"], from: "2026-03-01T00:00:00.000Z", to: "2026-03-10T00:00:00.000Z", order: "desc" },
      rows: 3,
      continued: false,
      more: true,
    });
  });
});

describe("GET /v1/moments/export and /v1/moments/queue/export", () => {
  beforeAll(async () => {
    for (const crm of ["crm-a", "crm-b", "crm-c"]) {
      const customer = { customerId: crm };
      await failedWithdrawalThenChat(h, customer, {
        failedAt: "2026-03-09T09:00:00Z",
        chatAt: "2026-03-09T09:01:00Z",
        session: { waitSeconds: 900 },
        turns: [
          { speaker: "customer", text: "My withdrawal failed, I waited 15 minutes and nobody helps. Ridiculous!" },
        ],
      });
    }
    await h.runtime.momentQueue.idle();
  });

  it("exports the moment list with its filters, in pieces as small as asked", async () => {
    const all = await csvOf(await h.request("GET", "/v1/moments/export", { key: h.keys.supervise }));
    expect(all.header).toEqual([...momentColumns]);
    const list = await json<{ items: Array<{ id: string }> }>(
      await h.request("GET", "/v1/moments?limit=200", { key: h.keys.read }),
    );
    expect(all.rows.map((r) => r.id)).toEqual(list.items.map((m) => m.id));
    expect(all.rows.length).toBeGreaterThanOrEqual(3);
    expect(all.rows.every((r) => r.status === "open" && r.reason_codes.length > 0)).toBe(true);

    const first = await h.request("GET", "/v1/moments/export?limit=2", { key: h.keys.supervise });
    const cursor = first.headers.get("export-next-cursor");
    expect(cursor).toBeTruthy();
    const rest = await csvOf(await h.request("GET", `/v1/moments/export?cursor=${cursor}`, { key: h.keys.supervise }));
    expect([...(await csvOf(first)).rows, ...rest.rows].map((r) => r.id)).toEqual(all.rows.map((r) => r.id));

    const none = await csvOf(await h.request("GET", "/v1/moments/export?status=resolved", { key: h.keys.supervise }));
    expect(none.rows).toEqual([]);
    expect(none.header).toEqual([...momentColumns]);
    const bad = await h.request("GET", "/v1/moments/export?severity=huge", { key: h.keys.supervise });
    expect((await problem(bad, "validation_failed")).errors?.[0].field).toMatch(/^severity\b/);
    await problem(await h.request("GET", "/v1/moments/export", { key: h.keys.act }), "forbidden");
  });

  it("exports a queue view in queue order with each moment's target, continuing with the queue's cursor", async () => {
    const page = await json<{ items: Array<{ id: string }> }>(
      await h.request("GET", "/v1/moments/queue?view=unassigned&limit=100", { key: h.keys.read }),
    );
    const all = await csvOf(
      await h.request("GET", "/v1/moments/queue/export?view=unassigned", { key: h.keys.supervise }),
    );
    expect(all.header).toEqual([...queueColumns]);
    expect(all.rows.map((r) => r.id)).toEqual(page.items.map((m) => m.id));
    expect(all.rows.every((r) => r.ack_breached === "true" || r.ack_breached === "false")).toBe(true);

    const first = await h.request("GET", "/v1/moments/queue/export?view=unassigned&limit=1", { key: h.keys.supervise });
    const cursor = first.headers.get("export-next-cursor");
    const rest = await csvOf(
      await h.request("GET", `/v1/moments/queue/export?view=unassigned&cursor=${cursor}`, { key: h.keys.supervise }),
    );
    expect([...(await csvOf(first)).rows, ...rest.rows].map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
    const bad = await h.request("GET", "/v1/moments/queue/export?view=everything", { key: h.keys.supervise });
    expect((await problem(bad, "validation_failed")).errors?.[0].field).toBe("view");
    await problem(await h.request("GET", "/v1/moments/queue/export", { key: h.keys.read }), "forbidden");
  });
});
