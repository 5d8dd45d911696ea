import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailInput, eventInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";

const root = join(import.meta.dirname, "..");
const CARD = "4111 1111 1111 1111";
const WINDOW = "from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z";

// Records stored unmasked (REDACT_PII off, as rows stored before a field was masked are), then
// masked in place by `earshot mask-stored`.
let h: Harness;
let interactionId: string;
let eventId: string;
beforeAll(async () => {
  h = await createHarness({ REDACT_PII: "false" });
  ({ id: interactionId } = await (
    await h.request("POST", "/v1/interactions", {
      body: emailInput({
        customer: { customerId: "crm-mask-later", name: "Jo jo.later@example.com" },
        occurredAt: "2026-03-04T10:00:00Z",
        subject: `Card ${CARD} blocked`,
        body: `Please help, my card is blocked.\n\nOn Mon, 2 Mar 2026, Bank wrote:\n> Sort code 12-34-56 on file`,
        metadata: { note: "DOB 12/03/1985" },
      }),
    })
  ).json());
  // A verdict's note, stored as written while masking was off.
  // "missed" is for an unflagged interaction, "confirmed" for a flagged one: whichever the analysis made it.
  const { analysis } = await (await h.request("GET", `/v1/interactions/${interactionId}`)).json();
  const verdict = analysis.complaint.flagged ? "confirmed" : "missed";
  const given = await h.request("POST", `/v1/interactions/${interactionId}/verdict`, {
    body: { verdict, note: `Card ${CARD} was the issue` },
  });
  if (given.status >= 300) throw new Error(`verdict refused: ${given.status} ${await given.text()}`);
  ({ id: eventId } = await (
    await h.request("POST", "/v1/events", {
      body: eventInput({
        customer: { customerId: "crm-mask-later" },
        name: `card ${CARD}`,
        attributes: { ssn: "123-45-6789" },
      }),
    })
  ).json());
});
afterAll(() => h.close());

const maskStored = () =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "mask-stored"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `file:${join(h.dir, "test.db")}`, LOG_LEVEL: "silent" },
  });
const search = async (q: string) =>
  (await (await h.request("GET", `/v1/interactions?${WINDOW}&q=${encodeURIComponent(q)}`)).json()).items;

describe("earshot mask-stored", () => {
  it("masks records stored unmasked, takes them out of the search index, and changes nothing the second time", async () => {
    expect(await search("4111")).toHaveLength(1);
    const out = maskStored();
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ interactions: 1, events: 1, customers: 1, verdicts: 1 });

    const stored = await (await h.request("GET", `/v1/interactions/${interactionId}`)).json();
    expect(stored.subject).toBe("Card [CARD] blocked");
    expect(stored.channelData.quoted).toContain("Sort code [SORT_CODE] on file");
    expect(stored.metadata).toEqual({ note: "DOB [DOB]" });
    const event = await (await h.request("GET", `/v1/events/${eventId}`)).json();
    expect(event).toMatchObject({ name: "card [CARD]", attributes: { ssn: "[SSN]" } });
    const [customer] = (
      await h.runtime.db.$client.execute({
        sql: "SELECT display_name FROM customers WHERE id = ?",
        args: [stored.customerId],
      })
    ).rows;
    expect(customer.display_name).toBe("Jo [EMAIL]");
    const [verdict] = (await h.runtime.db.$client.execute("SELECT note FROM verdicts")).rows;
    expect(verdict.note).toBe("Card [CARD] was the issue");
    expect(await search("4111")).toEqual([]);
    expect((await search("blocked")).map((i: { id: string }) => i.id)).toEqual([interactionId]);

    const again = maskStored();
    expect(JSON.parse(again.stdout)).toEqual({ interactions: 0, events: 0, customers: 0, verdicts: 0 });
  });
});
