import { afterAll, beforeAll, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput } from "../support/factories.js";

// A window holding more moments than a page shows pages on through them, newest first, each page
// saying which of them it shows and the count of all (app.request()).

let h: Harness;
const now = new Date("2026-03-20T12:34:56.789Z");
const MOMENTS = 107;

beforeAll(async () => {
  h = await createHarness({}, { clock: () => now });
  // One angry chat a customer, a minute apart: a moment each.
  const items = Array.from({ length: MOMENTS }, (_, c) =>
    chatInput({
      customer: { customerId: `crm-page-${c}`, email: `page.${c}@example.com`, name: `Page ${c}` },
      occurredAt: new Date(now.getTime() - (c + 1) * 60_000).toISOString(),
      turns: [{ speaker: "customer", text: "You charged me twice and nobody replies, I am furious." }],
    }),
  );
  const res = await h.request("POST", "/v1/interactions/batch", { body: { items } });
  expect(res.status).toBe(200);
  await h.runtime.momentQueue.idle();
}, 60_000);
afterAll(() => h.close());

it("pages a window's moments a hundred at a time, newest first, with the count of all", async () => {
  const { cookie } = await h.person("agent");
  const get = async (path: string) => {
    const res = await h.request("GET", path.replace(/&amp;/g, "&"), { key: null, headers: { cookie } });
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const ids = (html: string) =>
    [...html.matchAll(/<li class="row moment [^"]*" id="moment-([^"]+)"/g)].map((m) => m[1]);
  const hrefOf = (html: string, id: string) => html.match(new RegExp(`href="([^"]+)" id="${id}"`))?.[1];

  const first = await get("/console/moments?from=2026-03-19T00:00&to=2026-03-21T00:00");
  expect(first).toContain(`The newest 100 of <span id="moment-count">${MOMENTS}</span> moments.`);
  expect(ids(first)).toHaveLength(100);
  expect(hrefOf(first, "first-moments")).toBeUndefined();
  const next = hrefOf(first, "next-moments");
  expect(next).toContain("cursor=");

  const second = await get(next!);
  expect(second).toContain(`Moments 101–${MOMENTS} of <span id="moment-count">${MOMENTS}</span> moments.`);
  expect(ids(second)).toHaveLength(MOMENTS - 100);
  expect(new Set([...ids(first), ...ids(second)]).size).toBe(MOMENTS);
  expect(hrefOf(second, "next-moments")).toBeUndefined();
  // Its forms come back to this page, and a link leads back to the newest.
  expect(second).toMatch(/name="back" value="\/console\/moments\?[^"]*cursor=/);
  expect(ids(await get(hrefOf(second, "first-moments")!))).toEqual(ids(first));

  // A tampered cursor starts again from the newest rather than failing the page.
  expect(ids(await get(`${next!.replace(/cursor=[^&]+/, "cursor=bogus")}`))).toEqual(ids(first));
}, 60_000);
