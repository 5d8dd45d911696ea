import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/lib/logger.js";
import { chatInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("GET /metrics", () => {
  it("needs an admin key", async () => {
    expect((await h.request("GET", "/metrics", { key: null })).status).toBe(401);
    expect((await h.request("GET", "/metrics", { key: h.keys.read })).status).toBe(403);
  });

  it("reports requests by route pattern, ingest outcomes, analysis latency, queues and the process", async () => {
    const body = chatInput();
    await h.request("POST", "/v1/interactions", { body });
    await h.request("POST", "/v1/interactions", { body }); // an idempotent retry
    await h.request("POST", "/v1/interactions/batch", { body: { items: [chatInput(), { channel: "fax" }] } });
    const created = await (await h.request("POST", "/v1/interactions", { body: chatInput() })).json();
    await h.request("GET", `/v1/interactions/${created.id}`);
    const res = await h.request("GET", "/metrics", { key: h.keys.admin });
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/^earshot_ingested_total\{kind="interaction",outcome="created"\} 3$/m);
    expect(text).toMatch(/^earshot_ingested_total\{kind="interaction",outcome="duplicate"\} 1$/m);
    expect(text).toMatch(/^earshot_ingested_total\{kind="interaction",outcome="invalid"\} 1$/m);
    expect(text).toMatch(
      /^earshot_http_requests_total\{method="GET",route="\/v1\/interactions\/:id",status="200"\} 1$/m,
    );
    expect(text).not.toContain(created.id);
    expect(text).toMatch(/^earshot_analysis_batch_duration_seconds_count \d+$/m);
    for (const name of [
      "earshot_ingest_queue_records",
      "earshot_moment_queue_records",
      "earshot_analysis_in_flight",
      "earshot_webhook_outbox_pending",
      "earshot_scoring_backlog_records",
      "earshot_moment_scoring_deferred_total",
      "earshot_db_errors_total",
      "earshot_webhook_deliveries_total",
      "earshot_process_resident_memory_bytes",
      "earshot_nodejs_eventloop_lag_p99_seconds",
    ]) {
      expect(text).toContain(name);
    }
  });
});

describe("logs", () => {
  it("carry the request id on every line of a request and no secrets or personal data", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const logged = await createHarness({}, {});
    try {
      // Swap in a logger that writes where the test can read.
      (logged.runtime as { logger: unknown }).logger = createLogger("debug", sink);
      const input = chatInput({ customer: { email: "very.private@example.com", phone: "+1 202 555 0199" } });
      const res = await logged.request("POST", "/v1/interactions", {
        body: input,
        headers: { "x-request-id": "req-observability-1" },
      });
      expect(res.status).toBe(201);
      await logged.request("GET", "/v1/interactions/int_nope", { headers: { "x-request-id": "req-observability-2" } });
      await new Promise((r) => setTimeout(r, 20));
      const text = JSON.stringify(lines);
      expect(lines.filter((l) => l.msg === "request").map((l) => l.requestId)).toEqual([
        "req-observability-1",
        "req-observability-2",
      ]);
      for (const secret of ["very.private@example.com", "555 0199", "card payment failed", logged.keys.ingestRead])
        expect(text).not.toContain(secret);
    } finally {
      await logged.close();
    }
  });
});
