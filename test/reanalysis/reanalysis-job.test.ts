import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { jobSchema } from "../../src/contracts/jobs.js";
import { createRuntime, type Runtime } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import { createApiKey } from "../../src/services/api-keys.js";
import { createReanalysisJob } from "../../src/services/reanalysis/job.js";
import { ReanalysisRunner } from "../../src/services/reanalysis/runner.js";
import { FIRST_SLICE_ROWS } from "../../src/services/reanalysis/slice-size.js";
import { chatInput, emailInput, eventInput, socialInput } from "../support/factories.js";

// Re-analysis over a real database file, across a restart in the middle of a job.

const dir = mkdtempSync(join(tmpdir(), "earshot-reanalysis-"));
const env = {
  LOG_LEVEL: "silent",
  ANALYSIS_WORKERS: "0",
  DASHBOARD_WORKER: "false",
  DATABASE_CHECKPOINT_INTERVAL_MS: "0",
};
const config = loadConfig({ ...env, DATABASE_URL: `file:${join(dir, "r.db")}` });
const start = () => createRuntime(config, { logger: createLogger("silent") });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const all = async (rt: Runtime, sql: string, args: Array<string | number> = []) =>
  (await rt.db.$client.execute({ sql, args })).rows as unknown as Array<Record<string, unknown>>;

/** Every table a re-analysis could write to, in full: what a dry run must leave exactly as it was. */
const everything = async (rt: Runtime) => ({
  interactions: await all(rt, "SELECT * FROM interactions ORDER BY id"),
  moments: await all(rt, "SELECT * FROM moments ORDER BY id"),
  jobs: await all(rt, "SELECT * FROM jobs ORDER BY id"),
});

async function seed(rt: Runtime) {
  const key = (await createApiKey(rt.db, "seed", ["ingest"])).key;
  const app = createApp(rt);
  const post = (path: string, body: unknown) =>
    app.request(path, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  for (let i = 0; i < 12; i++) {
    const day = `2026-04-${String(10 + (i % 5)).padStart(2, "0")}`;
    const customer = { customerId: `crm-re-${i}` };
    await post("/v1/events", eventInput({ customer, type: "error", status: "shown", occurredAt: `${day}T08:00:00Z` }));
    await post(
      "/v1/interactions",
      socialInput({
        customer,
        authorHandle: `@re_${i}`,
        occurredAt: `${day}T08:05:00Z`,
        text: "Your app crashed again and took my money. I want a manager NOW. Disgraceful!",
      }),
    );
    await post("/v1/interactions", chatInput({ customer, occurredAt: `${day}T09:00:00Z` }));
    await post("/v1/interactions", emailInput({ customer, occurredAt: `${day}T10:00:00Z` }));
  }
  await rt.momentQueue.idle();
  // As if stored by an older analysis: another version, flags and needs that the current one disagrees with, and a moment scored from them.
  await rt.db.$client.execute(
    "UPDATE interactions SET analysis_version = 'old-lexicons', flagged = 1 - flagged, need_ids = 'make_payment'",
  );
  await rt.db.$client.execute("UPDATE moments SET risk = 0.1, severity = 'low', reasons = '[]'");
}

describe("re-analysis job", () => {
  it("resumes after a restart in the middle, with no record analysed twice or skipped", async () => {
    const first = await start();
    await seed(first);
    const total = Number((await all(first, "SELECT count(*) AS n FROM interactions"))[0].n);
    expect(total).toBe(36);
    const job = await createReanalysisJob(first.db, { dryRun: false }, "key:test", new Date());
    // The first run stops after its first write slice, as a process would at a restart.
    const stop = new AbortController();
    const runner = new ReanalysisRunner({
      db: first.db,
      analyzer: first.analyzer,
      scorer: first.momentScorer,
      clock: first.clock,
      pageSize: 10,
      throttle: { basePauseMs: 0 },
    });
    const partial = await runner.run(job.id, stop.signal, () => stop.abort());
    expect(partial).toMatchObject({ status: "running", progress: { processed: FIRST_SLICE_ROWS, total } });
    expect(
      Number((await all(first, "SELECT count(*) AS n FROM interactions WHERE analysis_version = 'old-lexicons'"))[0].n),
    ).toBe(total - FIRST_SLICE_ROWS);
    await first.close();

    // The next start finds the job unfinished and resumes it in the background.
    const second = await start();
    await second.jobs.idle();
    const done = jobSchema.parse(
      await (async () => {
        const key = (await createApiKey(second.db, "admin", ["admin"])).key;
        return (
          await createApp(second).request(`/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${key}` } })
        ).json();
      })(),
    );
    expect(done).toMatchObject({ status: "done", progress: { processed: total, total, percent: 100 } });
    // Each record was counted once, with the version it was stored with: one done twice would have been counted under the new version.
    expect(done.summary.versionsBefore).toEqual({ "old-lexicons": total });
    expect(done.summary.versionAfter).toBe(second.analyzer.version);
    expect(
      await all(second, "SELECT id FROM interactions WHERE analysis_version != ?", [second.analyzer.version]),
    ).toEqual([]);
    // What changed: every flag had been inverted, every need list replaced.
    expect(done.summary.flagsAdded + done.summary.flagsRemoved).toBe(total);
    expect(done.summary.needsLost.make_payment).toBeGreaterThan(0);
    const flaggedNow = Number((await all(second, "SELECT count(*) AS n FROM interactions WHERE flagged = 1"))[0].n);
    expect(flaggedNow).toBeGreaterThanOrEqual(12);
    // Moments scored from the old analyses were scored again from the new ones.
    expect(done.summary.momentsRescored).toBeGreaterThanOrEqual(12);
    const moments = await all(second, "SELECT risk, reasons FROM moments");
    expect(moments.length).toBeGreaterThanOrEqual(12);
    expect(moments.every((m) => Number(m.risk) >= 0.6 && String(m.reasons).includes("failed_before_contact"))).toBe(
      true,
    );
    await second.close();
  }, 120_000);

  it("writes a page in short slices, and resumes after a stop between two slices of one page", async () => {
    const sliced = loadConfig({ ...env, DATABASE_URL: `file:${join(dir, "sliced.db")}` });
    const open = () => createRuntime(sliced, { logger: createLogger("silent") });
    const first = await open();
    await seed(first);
    const total = Number((await all(first, "SELECT count(*) AS n FROM interactions"))[0].n);
    const job = await createReanalysisJob(first.db, { dryRun: false }, "key:test", new Date());
    // A slice budget of 0 ms: after the first slice (FIRST_SLICE_ROWS, before any is timed) one row a transaction.
    const stop = new AbortController();
    const seen: number[] = [];
    const runner = new ReanalysisRunner({
      db: first.db,
      analyzer: first.analyzer,
      scorer: first.momentScorer,
      clock: first.clock,
      pageSize: 20,
      writeSliceMs: 0,
      throttle: { basePauseMs: 0 },
    });
    const partial = await runner.run(job.id, stop.signal, (j) => {
      seen.push(j.progress.processed);
      if (seen.length === 3) stop.abort();
    });
    // Each write committed its rows and the job's position, mid-page.
    expect(seen).toEqual([FIRST_SLICE_ROWS, FIRST_SLICE_ROWS + 1, FIRST_SLICE_ROWS + 2]);
    expect(partial).toMatchObject({ status: "running", progress: { processed: FIRST_SLICE_ROWS + 2, total } });
    await first.close();

    const second = await open();
    await second.jobs.idle();
    const [row] = await all(second, "SELECT status, processed, summary FROM jobs WHERE id = ?", [job.id]);
    expect(row).toMatchObject({ status: "done", processed: total });
    // Counted once each under the version it was stored with: none done twice, none skipped.
    expect(JSON.parse(String(row.summary)).versionsBefore).toEqual({ "old-lexicons": total });
    expect(
      await all(second, "SELECT id FROM interactions WHERE analysis_version != ?", [second.analyzer.version]),
    ).toEqual([]);
    await second.close();
  }, 120_000);
});

describe("POST /v1/jobs/reanalysis and GET /v1/jobs/{id}", () => {
  it("reports a dry run's summary and writes nothing, refuses bad input and needs the admin scope", async () => {
    const rt = await start();
    const app = createApp(rt);
    const admin = (await createApiKey(rt.db, "admin", ["admin"])).key;
    const read = (await createApiKey(rt.db, "read", ["read"])).key;
    const call = (method: string, path: string, key: string | null, body?: unknown) =>
      app.request(path, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    await rt.db.$client.execute("UPDATE interactions SET analysis_version = 'older', flagged = 1 - flagged");
    const before = await everything(rt);

    const res = await call("POST", "/v1/jobs/reanalysis", admin, {
      dryRun: true,
      channel: ["social"],
      from: "2026-04-01T00:00:00Z",
      to: "2026-05-01T00:00:00Z",
    });
    expect(res.status).toBe(202);
    const job = jobSchema.parse(await res.json());
    expect(res.headers.get("location")).toBe(`/v1/jobs/${job.id}`);
    expect(job.progress.total).toBe(12);
    await rt.jobs.idle();
    const done = jobSchema.parse(await (await call("GET", `/v1/jobs/${job.id}`, admin)).json());
    expect(done).toMatchObject({
      status: "done",
      params: { dryRun: true, channels: ["social"] },
      progress: { processed: 12 },
    });
    expect(done.summary.versionsBefore).toEqual({ older: 12 });
    // Every post's flag was cleared in the database; the current analysis flags each of them again.
    expect(done.summary.flagsAdded).toBe(12);
    // Nothing was written: no record, no moment, not even a job row for the dry run itself.
    expect(await everything(rt)).toEqual(before);
    expect(before.jobs.map((j) => j.id)).not.toContain(job.id);

    const bad = await call("POST", "/v1/jobs/reanalysis", admin, {
      from: "2026-05-01T00:00:00Z",
      to: "2026-04-01T00:00:00Z",
      channel: ["fax"],
      extra: 1,
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(["channel.0"]),
    );
    expect((await call("POST", "/v1/jobs/reanalysis", read, {})).status).toBe(403);
    expect((await call("POST", "/v1/jobs/reanalysis", null, {})).status).toBe(401);
    expect((await call("GET", `/v1/jobs/${job.id}`, read)).status).toBe(403);
    expect((await call("GET", "/v1/jobs/job_nope", admin)).status).toBe(404);
    await rt.close();
  }, 120_000);
});

describe("earshot reanalyze", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "reanalyze", ...args], {
      cwd: join(import.meta.dirname, "../.."),
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: config.DATABASE_URL, LOG_LEVEL: "silent", ANALYSIS_WORKERS: "0" },
    });

  it("reports a dry run's summary on stdout and its progress on stderr, and refuses a bad channel", async () => {
    const rt = await start();
    await rt.db.$client.execute("UPDATE interactions SET analysis_version = 'cli-old' WHERE channel = 'email'");
    const before = await everything(rt);
    await rt.close();
    const out = cli("--dry-run", "--channel", "email");
    expect(out.status, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({
      status: "done",
      dryRun: true,
      progress: { processed: 12, total: 12 },
      summary: { versionsBefore: { "cli-old": 12 } },
    });
    expect(out.stderr).toContain("12/12 100%");
    const after = await start();
    expect(await everything(after)).toEqual(before);
    await after.close();
    const resume = cli("--dry-run", "--job", result.job);
    expect(resume.status).toBe(2);
    expect(resume.stderr).toContain("--dry-run writes nothing");
    const bad = cli("--channel", "fax");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("fax is not chat, email, call_note or social");
  }, 120_000);
});
