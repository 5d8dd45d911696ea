import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCommand, progressLine } from "../src/cli/import.js";
import { errorsFileOf, importFile, stateFileOf } from "../src/services/import/import-file.js";
import { importMbox } from "../src/services/import/mbox.js";
import { createHarness, type Harness } from "./support/harness.js";

const sink = () => {
  const chunks: string[] = [];
  const w = new Writable({
    write: (c, _e, cb) => {
      chunks.push(String(c));
      cb();
    },
  }) as Writable & { isTTY?: boolean };
  return { w, text: () => chunks.join("") };
};

const social = (i: number) => ({
  source: "import-test",
  externalId: `post-${i}`,
  occurredAt: "2025-03-03T10:00:00Z",
  channel: "social",
  platform: "x",
  text: `Post number ${i}: the app crashed again`,
  authorHandle: `user${i % 7}`,
});

describe("earshot import", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it("imports JSONL records, reports bad lines beside the input, and is idempotent on a rerun", async () => {
    const file = join(h.dir, "posts.jsonl");
    const lines = [
      ...Array.from({ length: 25 }, (_, i) => JSON.stringify(social(i))),
      "{not json",
      JSON.stringify({ ...social(99), occurredAt: "yesterday" }),
    ];
    writeFileSync(file, lines.join("\n") + "\n");
    const result = await importFile(h.runtime.ingest, { file, format: "jsonl", kind: "interaction", batchSize: 10 });
    expect(result).toMatchObject({ lines: 27, created: 25, existing: 0, failed: 2, interrupted: false });
    const errors = readFileSync(errorsFileOf(file), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(errors.map((e) => e.line)).toEqual([26, 27]);
    expect(errors[1].errors[0].field).toBe("occurredAt");
    const again = await importFile(h.runtime.ingest, {
      file,
      format: "jsonl",
      kind: "interaction",
      batchSize: 10,
      restart: true,
    });
    expect(again).toMatchObject({ created: 0, existing: 25 });
  });

  it("is interrupted after a batch and resumes from the state file, storing every line once", async () => {
    const file = join(h.dir, "resume.jsonl");
    writeFileSync(
      file,
      Array.from({ length: 40 }, (_, i) => JSON.stringify({ ...social(i), externalId: `resume-${i}` })).join("\n"),
    );
    const stop = new AbortController();
    // Three batches are in flight when the first commits and the stop comes: those three finish.
    const first = await importFile(h.runtime.ingest, {
      file,
      format: "jsonl",
      kind: "interaction",
      batchSize: 5,
      signal: stop.signal,
      progress: () => stop.abort(),
    });
    expect(first).toMatchObject({ interrupted: true, lines: 15, created: 15 });
    expect(JSON.parse(readFileSync(stateFileOf(file), "utf8")).lines).toBe(15);
    const second = await importFile(h.runtime.ingest, { file, format: "jsonl", kind: "interaction", batchSize: 5 });
    expect(second).toMatchObject({ resumedFrom: 15, lines: 40, created: 40, existing: 0, interrupted: false });
  });

  it("imports a CSV export with a mapping file and constants, and prints progress", async () => {
    const file = join(h.dir, "tickets.csv");
    writeFileSync(
      file,
      'ticket_id,created,email,message,wait\nT-1,2025-03-03T09:00:00Z,jo@example.com,"Still no refund, this is a joke",120\nT-2,2025-03-03T09:05:00Z,,"Thanks, sorted",\n',
    );
    const map = join(h.dir, "tickets.map.json");
    writeFileSync(
      map,
      JSON.stringify({
        source: "=helpdesk-export",
        externalId: "ticket_id",
        occurredAt: "created",
        channel: "=chat",
        "customer.email": "email",
        "turns.0.speaker": "=customer",
        "turns.0.text": "message",
        "session.waitSeconds": "wait",
      }),
    );
    const err = sink();
    const result = await importCommand(h.runtime.ingest, file, { map }, err.w);
    expect(result).toMatchObject({ created: 1, failed: 1 });
    expect(err.text()).toContain("lines");
    expect(err.text()).toContain("1 line(s) failed");
    const report = JSON.parse(readFileSync(errorsFileOf(file), "utf8").trim());
    expect(report.line).toBe(3);
    expect(report.errors[0].field).toBe("customer");
  });

  it("imports lines that are a sender's payloads through its connector", async () => {
    const file = join(h.dir, "tweets.jsonl");
    const page = {
      data: [{ id: "555001", text: "the app is down again", author_id: "42", created_at: "2025-03-03T10:00:00Z" }],
      includes: { users: [{ id: "42", username: "sam", name: "Sam" }] },
    };
    writeFileSync(file, JSON.stringify(page) + "\n");
    const result = await importFile(h.runtime.ingest, {
      file,
      format: "jsonl",
      kind: "interaction",
      batchSize: 10,
      sender: "x",
    });
    expect(result).toMatchObject({ created: 1, failed: 0 });
  });

  it("grows conversations from a file of chat deliveries (Chatwoot message_created lines), idempotent on a rerun", async () => {
    // Chatwoot's message_created webhook shape (developers' guide "Webhook events"), one delivery a line.
    const contact = { id: 88, name: "Ana", type: "contact", email: "ana@example.com" };
    const line = (id: number, at: string, type: string, content: string) => ({
      event: "message_created",
      id,
      content,
      created_at: at,
      message_type: type,
      private: false,
      sender: type === "incoming" ? contact : { id: 5, name: "Sam", type: "user" },
      conversation: { id: 900, inbox_id: 1, status: "open", meta: { sender: contact } },
    });
    const file = join(h.dir, "chatwoot.jsonl");
    writeFileSync(
      file,
      [
        line(9001, "2025-03-05T10:00:00Z", "incoming", "My order never arrived."),
        line(9003, "2025-03-05T10:02:00Z", "incoming", "This is the third time."),
        line(9002, "2025-03-05T10:01:00Z", "outgoing", "Sorry, let me check."),
      ]
        .map((l) => JSON.stringify(l))
        .join("\n") + "\n",
    );
    const conversations = { db: h.runtime.db, ingest: h.runtime.ingest, scorer: h.runtime.momentScorer };
    const opts = { file, format: "jsonl" as const, kind: "interaction" as const, batchSize: 10, sender: "chatwoot" };
    const result = await importFile(h.runtime.ingest, { ...opts, conversations });
    expect(result).toMatchObject({ created: 3, failed: 0 });
    const rerun = await importFile(h.runtime.ingest, { ...opts, conversations, restart: true });
    expect(rerun).toMatchObject({ created: 0, existing: 3 });
    const found = await h.runtime.db.$client.execute(
      "SELECT turns FROM interactions WHERE source = 'chatwoot' AND external_id = 'conversation:900'",
    );
    const turns = JSON.parse(String(found.rows[0].turns));
    expect(turns.map((t: { speaker: string }) => t.speaker)).toEqual(["customer", "agent", "customer"]);
  });

  it("refuses a CSV without a mapping and a bad batch size", async () => {
    const err = sink();
    await expect(importCommand(h.runtime.ingest, join(h.dir, "tickets.csv"), {}, err.w)).rejects.toThrow(
      /needs a mapping/,
    );
    await expect(
      importCommand(h.runtime.ingest, join(h.dir, "tickets.csv"), { batch: "0", field: ["x=y"] }, err.w),
    ).rejects.toThrow(/--batch/);
  });

  it("formats progress with rate and ETA", () => {
    expect(
      progressLine({
        lines: 5000,
        created: 4990,
        existing: 0,
        failed: 10,
        bytesRead: 500,
        bytesTotal: 1000,
        elapsedMs: 2000,
      }),
    ).toMatch(/50%.*5,000 lines.*2,500\/s.*ETA 2 s/);
  });

  it("imports an mbox archive through the raw-email path", async () => {
    const file = join(h.dir, "archive.mbox");
    const msg = (id: number, body: string) =>
      `From maria@example.com Mon Mar  3 10:00:00 2025\nMessage-ID: <m${id}@example.com>\nFrom: Maria <maria@example.com>\nDate: Mon, 3 Mar 2025 10:0${id}:00 +0000\nSubject: Order\nContent-Type: text/plain\n\n${body}\n>From the shop I expected better.\n\n`;
    writeFileSync(file, msg(1, "Where is my order?") + msg(2, "Still waiting."));
    const result = await importMbox(h.runtime, file, { source: "mbox", now: new Date() });
    expect(result).toMatchObject({ messages: 2, created: 2, existing: 0, failed: [] });
    const rerun = await importMbox(h.runtime, file, { source: "mbox", now: new Date() });
    expect(rerun).toMatchObject({ created: 0, existing: 2 });
    expect(existsSync(file)).toBe(true);
  });
});
