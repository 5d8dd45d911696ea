import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { emailInput, eventInput } from "./support/factories.js";

// Personal data of every detected kind, placed in every free-text field an email and an event carry
// outside the analysed body. The customer is identified by a CRM id only, so none of these values is
// an identifier the service must keep.
const CARD = "4111 1111 1111 1111";
const SECRETS = [
  CARD,
  "4111111111111111",
  "jo.secret@example.com",
  "help.desk@bank.example",
  "07700 900457",
  "07700900457",
  "123-45-6789",
  "12-34-56",
  "12/03/1985",
];
const WINDOW = "from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z";

let h: Harness;
let interactionId: string;
let eventId: string;
let customerId: string;
let cookie: string;

beforeAll(async () => {
  h = await createHarness({}, { clock: () => new Date("2026-03-05T12:00:00Z") });
  const customer = { customerId: "crm-privacy-1", name: "Jo 07700 900457" };
  const body = [
    "Hello,",
    "",
    "My card keeps getting blocked and I am fed up with it.",
    "",
    "--",
    "Jo | 07700 900457 | jo.secret@example.com",
    "This email is confidential. My SSN 123-45-6789 is on file.",
    "",
    "On Mon, 2 Mar 2026 at 09:00, Help Desk <help.desk@bank.example> wrote:",
    `> Card ${CARD} blocked. Sort code 12-34-56, DOB 12/03/1985.`,
  ].join("\n");
  const res = await h.request("POST", "/v1/interactions", {
    body: emailInput({
      customer,
      occurredAt: "2026-03-04T10:00:00Z",
      subject: `Card ${CARD} blocked`,
      body,
      from: "jo.secret@example.com",
      to: ["help.desk@bank.example"],
      metadata: {
        ticket: { note: "DOB 12/03/1985, sort code 12-34-56", card: 4111111111111111 },
        tags: ["call 07700 900457"],
        "jo.secret@example.com": "owner",
      },
    }),
  });
  expect(res.status).toBe(201);
  ({ id: interactionId, customerId } = await res.json());
  const ev = await h.request("POST", "/v1/events", {
    body: eventInput({
      customer: { customerId: "crm-privacy-1" },
      occurredAt: "2026-03-04T09:55:00Z",
      type: "error",
      name: `card ${CARD} declined`,
      status: "shown",
      attributes: {
        message: "SSN 123-45-6789 mismatch",
        contact: { phone: "07700 900457", email: "jo.secret@example.com" },
        card: 4111111111111111,
        history: ["DOB 12/03/1985", "sort code 12-34-56"],
      },
    }),
  });
  expect(ev.status).toBe(201);
  eventId = (await ev.json()).id;
  cookie = (await h.person("supervisor")).cookie;
});
afterAll(() => h.close());

const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

describe("masking every stored free-text field", () => {
  it("stores no personal data in any column of any table", async () => {
    const tables = (
      await h.runtime.db.$client.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      )
    ).rows.map((r) => String(r.name));
    expect(tables).toEqual(expect.arrayContaining(["interactions", "journey_events", "customers"]));
    for (const table of tables) {
      const rows = (await h.runtime.db.$client.execute(`SELECT * FROM "${table}"`)).rows;
      const dump = rows
        .map((r) =>
          Object.values(r)
            .map((v) => (v instanceof ArrayBuffer ? Buffer.from(v).toString("latin1") : String(v)))
            .join("\u0000"),
        )
        .join("\n");
      expect({ table, leaks: leaks(dump) }).toEqual({ table, leaks: [] });
    }
    // The fields are there, masked, not dropped.
    const [row] = (
      await h.runtime.db.$client.execute({
        sql: "SELECT subject, channel_data, metadata FROM interactions WHERE id = ?",
        args: [interactionId],
      })
    ).rows;
    expect(row.subject).toBe("Card [CARD] blocked");
    const channelData = JSON.parse(String(row.channel_data));
    expect(channelData).toMatchObject({
      from: "[EMAIL]",
      to: ["[EMAIL]"],
      signature: expect.stringContaining("[PHONE]"),
      disclaimer: expect.stringContaining("[SSN]"),
    });
    expect(channelData.quoted).toContain("Card [CARD] blocked. Sort code [SORT_CODE], DOB [DOB].");
    expect(JSON.parse(String(row.metadata))).toEqual({
      ticket: { note: "DOB [DOB], sort code [SORT_CODE]", card: "[CARD]" },
      tags: ["call [PHONE]"],
      "[EMAIL]": "owner",
    });
    const [event] = (
      await h.runtime.db.$client.execute({
        sql: "SELECT name, attributes FROM journey_events WHERE id = ?",
        args: [eventId],
      })
    ).rows;
    expect(event.name).toBe("card [CARD] declined");
    expect(JSON.parse(String(event.attributes))).toEqual({
      message: "SSN [SSN] mismatch",
      contact: { phone: "[PHONE]", email: "[EMAIL]" },
      card: "[CARD]",
      history: ["DOB [DOB]", "sort code [SORT_CODE]"],
    });
  });

  it("answers no personal data from the API", async () => {
    const paths = [
      `/v1/interactions/${interactionId}`,
      `/v1/events/${eventId}`,
      `/v1/customers/${customerId}`,
      `/v1/customers/${customerId}/timeline`,
      `/v1/interactions?${WINDOW}`,
      `/v1/interactions?${WINDOW}&q=blocked`,
    ];
    for (const path of paths) {
      const res = await h.request("GET", path);
      expect(res.status).toBe(200);
      expect({ path, leaks: leaks(await res.text()) }).toEqual({ path, leaks: [] });
    }
  });

  it("finds nothing by full-text search for the raw number, and the masked record by its words", async () => {
    for (const q of ["4111", CARD, "4111111111111111", "07700", "jo.secret"]) {
      const res = await h.request("GET", `/v1/interactions?${WINDOW}&q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect({ q, items: (await res.json()).items }).toEqual({ q, items: [] });
    }
    const found = (await (await h.request("GET", `/v1/interactions?${WINDOW}&q=blocked`)).json()).items;
    expect(found.map((i: { id: string }) => i.id)).toEqual([interactionId]);
    // The index itself holds no token of the number.
    const hits = await h.runtime.db.$client.execute(
      `SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH '"4111" OR "1111" OR "07700" OR "900457" OR "6789"'`,
    );
    expect(hits.rows).toEqual([]);
  });

  it("shows no personal data in the console", async () => {
    for (const path of [
      `/console/customers/${customerId}`,
      `/console?${WINDOW}&q=blocked`,
      `/console?${WINDOW}&q=4111`,
    ]) {
      const res = await h.app.request(`http://localhost${path}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect({ path, leaks: leaks(html.replaceAll('value="4111"', "")) }).toEqual({ path, leaks: [] });
    }
    const search = await (
      await h.app.request(`http://localhost/console?${WINDOW}&q=4111`, { headers: { cookie } })
    ).text();
    expect(search).not.toContain(interactionId);
  });
});

describe("with REDACT_PII=false", () => {
  it("stores the free text as sent", async () => {
    const raw = await createHarness({ REDACT_PII: "false" });
    try {
      const { id } = await (
        await raw.request("POST", "/v1/interactions", {
          body: emailInput({ subject: `Card ${CARD} blocked`, metadata: { note: "SSN 123-45-6789" } }),
        })
      ).json();
      const [row] = (
        await raw.runtime.db.$client.execute({
          sql: "SELECT subject, metadata FROM interactions WHERE id = ?",
          args: [id],
        })
      ).rows;
      expect(row.subject).toBe(`Card ${CARD} blocked`);
      expect(JSON.parse(String(row.metadata))).toEqual({ note: "SSN 123-45-6789" });
    } finally {
      await raw.close();
    }
  });
});
