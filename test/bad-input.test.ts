import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, eventInput, socialInput } from "./support/factories.js";
import { createdResponse, storedInteraction } from "../src/contracts/records.js";
import { parsed, problem, type Problem } from "./support/http.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ BODY_LIMIT_BYTES: "4096" });
});
afterAll(() => h.close());

async function expectProblem(res: Response, status: number, code: Problem["code"]) {
  expect(res.status).toBe(status);
  const body = await problem(res, code);
  expect(body).toMatchObject({
    status,
    code,
    type: expect.stringContaining("urn:earshot:problem:"),
    requestId: expect.any(String),
  });
  return body;
}

describe.each(["/v1/interactions", "/v1/interactions/batch", "/v1/events", "/v1/events/batch", "/v1/analyze"])(
  "bad input to %s",
  (path) => {
    it("answers 400 for malformed JSON", async () => {
      await expectProblem(await h.request("POST", path, { body: '{"source": "x",' }), 400, "malformed_json");
    });
    it("answers 400 for an empty body", async () => {
      await expectProblem(
        await h.request("POST", path, { body: "", headers: { "content-type": "application/json" } }),
        400,
        "malformed_json",
      );
    });
    it("answers 400 for invalid UTF-8", async () => {
      const bytes = new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
      await expectProblem(await h.request("POST", path, { body: bytes }), 400, "invalid_utf8");
    });
    it("answers 415 when the body is not JSON", async () => {
      await expectProblem(
        await h.request("POST", path, {
          body: "text=hi",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
        415,
        "unsupported_media_type",
      );
    });
    it("answers 413 for a body over the limit", async () => {
      await expectProblem(
        await h.request("POST", path, { body: JSON.stringify({ text: "x".repeat(10_000) }) }),
        413,
        "payload_too_large",
      );
    });
    it("answers 413 for a body over the limit whether its Content-Length says so or understates it", async () => {
      const body = JSON.stringify({ text: "x".repeat(10_000) });
      await expectProblem(
        await h.request("POST", path, { body, headers: { "content-length": String(body.length) } }),
        413,
        "payload_too_large",
      );
      await expectProblem(
        await h.request("POST", path, { body, headers: { "content-length": "100" } }),
        413,
        "payload_too_large",
      );
    });
    it("answers 400 for an empty body with Content-Length 0", async () => {
      await expectProblem(
        await h.request("POST", path, {
          body: "",
          headers: { "content-type": "application/json", "content-length": "0" },
        }),
        400,
        "malformed_json",
      );
    });
    it("reads a body whose Content-Length is declared", async () => {
      const body = JSON.stringify([1, 2, 3]);
      await expectProblem(
        await h.request("POST", path, { body, headers: { "content-length": String(body.length) } }),
        422,
        "validation_failed",
      );
    });
    it("answers 422 for a JSON value of the wrong shape", async () => {
      const body = await expectProblem(await h.request("POST", path, { body: [1, 2, 3] }), 422, "validation_failed");
      expect(body.errors?.length).toBeGreaterThan(0);
    });
  },
);

describe("422 names each bad field", () => {
  it("lists every problem of an interaction", async () => {
    const res = await h.request("POST", "/v1/interactions", {
      body: { ...chatInput(), occurredAt: "2026-13-45", turns: [{ speaker: "robot", text: "" }], customer: {} },
    });
    const body = await expectProblem(res, 422, "validation_failed");
    const fields = body.errors?.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["occurredAt", "turns.0.speaker", "turns.0.text"]));
  });

  it("refuses ids the database would not give back as written (NUL, unpaired surrogates)", async () => {
    // SQLite returns text only up to a NUL and stores a lone surrogate as U+FFFD: a retry of such an id
    // would not find its record, and inserting it again broke the unique index (a 500).
    const cases: Array<[Record<string, unknown>, string]> = [
      [chatInput({ externalId: "nul\u0000id" }), "externalId"],
      [chatInput({ externalId: "half\udc00pair" }), "externalId"],
      [chatInput({ customer: { customerId: "crm\u0000x" } }), "customer.customerId"],
      [chatInput({ customer: { deviceId: "dev\ud800" } }), "customer.deviceId"],
      [socialInput({ authorHandle: "@half\udbff" }), "authorHandle"],
    ];
    for (const [input, field] of cases) {
      const body = await expectProblem(
        await h.request("POST", "/v1/interactions", { body: input }),
        422,
        "validation_failed",
      );
      expect(body.errors).toEqual([expect.objectContaining({ field })]);
    }
    const event = await expectProblem(
      await h.request("POST", "/v1/events", { body: eventInput({ source: "crm\u0000" }) }),
      422,
      "validation_failed",
    );
    expect(event.errors).toEqual([expect.objectContaining({ field: "source" })]);
    // A well-formed pair (an emoji) is stored and found again on retry.
    const emoji = chatInput({ externalId: "smile-😀", customer: { customerId: "crm-😀" } });
    const first = await h.request("POST", "/v1/interactions", { body: emoji });
    const retry = await h.request("POST", "/v1/interactions", { body: emoji });
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect((await parsed(retry, createdResponse)).id).toBe((await parsed(first, createdResponse)).id);
  });

  it("keeps free text with a NUL or an unpaired surrogate, as U+FFFD, instead of cutting it short", async () => {
    const res = await h.request("POST", "/v1/interactions", {
      body: chatInput({ turns: [{ speaker: "customer", text: "cut\u0000here and\ud800 there" }] }),
    });
    expect(res.status).toBe(201);
    const stored = await h.request("GET", `/v1/interactions/${(await parsed(res, createdResponse)).id}`);
    expect((await parsed(stored, storedInteraction)).turns?.[0].text).toBe("cut\uFFFDhere and\uFFFD there");
  });

  it("names an unknown channel", async () => {
    const body = await expectProblem(
      await h.request("POST", "/v1/interactions", { body: { ...chatInput(), channel: "carrier-pigeon" } }),
      422,
      "validation_failed",
    );
    expect(body.errors).toEqual([expect.objectContaining({ field: "channel", pointer: "/channel" })]);
  });

  it("requires at least one customer identifier", async () => {
    const body = await expectProblem(
      await h.request("POST", "/v1/interactions", { body: chatInput({ customer: { name: "No Ids" } }) }),
      422,
      "validation_failed",
    );
    expect(body.errors?.[0].field).toBe("customer");
  });

  it("rejects a phone number that cannot be a phone number", async () => {
    const body = await expectProblem(
      await h.request("POST", "/v1/interactions", { body: chatInput({ customer: { phone: "12" } }) }),
      422,
      "validation_failed",
    );
    expect(body.errors?.[0].field).toBe("customer.phone");
  });

  it("requires text or turns on a call note", async () => {
    const body = await expectProblem(
      await h.request("POST", "/v1/interactions", {
        body: {
          source: "crm",
          externalId: "c-1",
          channel: "call_note",
          occurredAt: "2026-03-01T10:00:00Z",
          customer: { customerId: "x" },
        },
      }),
      422,
      "validation_failed",
    );
    expect(body.errors?.[0].field).toBe("text");
  });

  it("rejects an event type that is not a word", async () => {
    const body = await expectProblem(
      await h.request("POST", "/v1/events", { body: eventInput({ type: "Big Error!" }) }),
      422,
      "validation_failed",
    );
    expect(body.errors?.[0].field).toBe("type");
  });

  it("ignores prototype-pollution keys and stores nothing odd", async () => {
    const raw = JSON.stringify(chatInput()).replace(
      /^\{/,
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},',
    );
    const res = await h.request("POST", "/v1/interactions", { body: raw });
    expect(res.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("unknown routes", () => {
  it("answers 404 as a problem", async () => {
    await expectProblem(await h.request("GET", "/v1/nothing-here"), 404, "not_found");
  });
  it("answers 404 for an unknown interaction id", async () => {
    await expectProblem(await h.request("GET", "/v1/interactions/int_missing"), 404, "not_found");
  });
});
