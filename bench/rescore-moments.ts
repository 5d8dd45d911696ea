// Re-scoring one customer's moments inside a write transaction, in process: each moment's window read
// by a query of its own against one journey read for all of them (what a re-analysis slice does).
//   npm run bench:rescore-moments [-- 30]   (episodes of one customer, 5 days apart: a moment each)
// Three rounds of 15 re-scores each way, each rolled back; prints the median and the minimum.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { createApiKey } from "../src/services/api-keys.js";
import { journeyPerMoment, rescoreCustomersMoments } from "../src/services/moments/rescore.js";
import { RulesInForce } from "../src/services/moments/rules-in-force.js";
import { chatInput, eventInput, socialInput } from "../test/support/factories.js";

const dir = mkdtempSync(join(tmpdir(), "rescore-micro-"));
const config = loadConfig({
  LOG_LEVEL: "silent",
  ANALYSIS_WORKERS: "0",
  DASHBOARD_WORKER: "false",
  DATABASE_CHECKPOINT_INTERVAL_MS: "0",
  DATABASE_URL: `file:${join(dir, "m.db")}`,
});
const rt = await createRuntime(config, { logger: createLogger("silent") });
const key = (await createApiKey(rt.db, "seed", ["ingest"])).key;
const app = createApp(rt);
const post = (path: string, body: unknown) =>
  app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const episodes = Number(process.argv[2] ?? 30);
for (let d = 0; d < episodes; d++) {
  const t = Date.parse("2026-01-01T08:00:00Z") + d * 5 * 86_400_000;
  const at = (m: number) => new Date(t + m * 60_000).toISOString();
  const customer = { email: "many@example.com" };
  await post("/v1/events", eventInput({ customer, type: "error", status: "shown", occurredAt: at(0) }));
  await post(
    "/v1/interactions",
    socialInput({
      customer,
      authorHandle: "@many",
      occurredAt: at(5),
      text: "Your app crashed again and took my money. I want a manager NOW. Disgraceful!",
    }),
  );
  await post("/v1/interactions", chatInput({ customer, occurredAt: at(60) }));
}
await rt.momentQueue.idle();
const nm = (await rt.db.$client.execute("SELECT count(*) AS n FROM moments")).rows[0].n;
const recs = (await rt.db.$client.execute("SELECT id, customer_id, occurred_at FROM interactions")).rows;
const { rules, version } = rt.momentScorer.currentRules;
const inForce = new RulesInForce(rules, version);
async function once(perMoment: boolean) {
  const tx = await rt.db.$client.transaction("write");
  const pick = recs;
  const by = new Map<string, Array<{ id: string; occurredAt: number }>>();
  for (const r of pick) {
    const l = by.get(String(r.customer_id)) ?? [];
    l.push({ id: String(r.id), occurredAt: Number(r.occurred_at) });
    by.set(String(r.customer_id), l);
  }
  const t0 = performance.now();
  const done = await rescoreCustomersMoments(
    tx,
    inForce,
    new Date(),
    by,
    false,
    perMoment ? journeyPerMoment(tx) : undefined,
  );
  const ms = performance.now() - t0;
  await tx.rollback();
  return { ms, n: [...done.values()].reduce((a, d) => a + d.rescored.length + d.removed.length, 0) };
}
for (let round = 0; round < 3; round++)
  for (const perMoment of [true, false]) {
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < 15; i++) {
      const r = await once(perMoment);
      times.push(r.ms);
      n = r.n;
    }
    times.sort((a, b) => a - b);
    console.log(
      `${episodes} episodes, ${nm} moments; ${perMoment ? "a query per moment " : "one read per customer"}: ${n} moments re-scored, median ${times[7].toFixed(1)} ms, min ${times[0].toFixed(1)} ms`,
    );
  }
process.exit(0);
