// Ingest-2xx → webhook-arrival latency at a fixed rate, with a real receiver on 127.0.0.1.
//   npm run bench:alerts [-- --rate 200 --seconds 10]
// The webhook subscribes to interaction.analyzed (one delivery per interaction) and moment.flagged.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { httpClient as send, sampleInteractions, startBenchServer } from "./lib.js";
import { fmt, summarise, vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: { rate: { type: "string", default: "200" }, seconds: { type: "string", default: "10" } },
});
const rate = Number(values.rate);
const total = rate * Number(values.seconds);
const reportInVader = vaderYardstick();
const figures: Array<[label: string, us: number]> = [];

const arrivals = new Map<string, number>();
/** moment.flagged arrivals by the id of the record that triggered them. */
const flaggedArrivals = new Map<string, number>();
/** moment.flagged arrivals (wall clock, the server's clock too on this machine) by moment id. */
const flaggedWallArrivals = new Map<string, number>();
let flagged = 0;
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    const event = JSON.parse(body) as { type: string; data: { id: string; triggerId?: string } };
    if (event.type === "interaction.analyzed") arrivals.set(event.data.id, performance.now());
    else {
      flagged++;
      if (event.data.triggerId) flaggedArrivals.set(event.data.triggerId, performance.now());
      flaggedWallArrivals.set(event.data.id, Date.now());
    }
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

const server = await startBenchServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
const headers = { authorization: `Bearer ${server.key}`, "content-type": "application/json" };
try {
  const reg = await send(`${server.url}/v1/webhooks`, {
    method: "POST",
    headers,
    body: JSON.stringify({ url: hookUrl, events: ["interaction.analyzed", "moment.flagged"] }),
  });
  if (reg.status !== 201) throw new Error(`webhook registration failed: ${reg.status}`);
  const corpus = sampleInteractions();
  const accepted = new Map<string, number>();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i * 1000) / rate - performance.now())));
      // A live feed: each interaction happens as it is posted, so the newest record is the one that
      // tips a journey over and a moment's triggerId names it.
      const res = await send(`${server.url}/v1/interactions`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          ...corpus[i % corpus.length],
          externalId: `alert-${i}`,
          occurredAt: new Date().toISOString(),
        }),
      });
      const body = JSON.parse(res.text) as { id: string };
      if (res.status === 201) accepted.set(body.id, performance.now());
    }),
  );
  const deadline = performance.now() + 30_000;
  while (arrivals.size < accepted.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const latencies = [...accepted].flatMap(([id, at]) => (arrivals.has(id) ? [arrivals.get(id)! - at] : []));
  const s = summarise(latencies);
  figures.push(
    ["ingest 2xx → interaction.analyzed arrival p50", s.p50 * 1000],
    ["ingest 2xx → interaction.analyzed arrival p99", s.p99 * 1000],
  );
  console.log(
    `${accepted.size} interactions at ${rate}/s; ${latencies.length} webhooks arrived (${accepted.size - latencies.length} missing), ${flagged} moment.flagged`,
  );
  console.log(
    `ingest 2xx → webhook arrival: p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)} (target p99 < 500 ms)`,
  );
  // The alert an agent acts on: from the 2xx of the interaction that tipped the journey over.
  const momentLatencies = [...accepted].flatMap(([id, at]) =>
    flaggedArrivals.has(id) ? [flaggedArrivals.get(id)! - at] : [],
  );
  const m = summarise(momentLatencies);
  figures.push(
    ["trigger's 2xx → moment.flagged arrival p50", m.p50 * 1000],
    ["trigger's 2xx → moment.flagged arrival p99", m.p99 * 1000],
  );
  if (process.env.BENCH_DEBUG) {
    const t0 = Math.min(...accepted.values());
    for (const [id, at] of accepted)
      if (flaggedArrivals.has(id) && flaggedArrivals.get(id)! - at > 1000)
        console.log(
          `slow moment: ingested at +${Math.round(at - t0)} ms, arrived after ${Math.round(flaggedArrivals.get(id)! - at)} ms`,
        );
  }
  console.log(
    `ingest 2xx of the triggering interaction → moment.flagged arrival (${momentLatencies.length} moments): p50 ${fmt(m.p50)}, p99 ${fmt(m.p99)}, max ${fmt(m.max)}`,
  );
  // The trigger is the journey's latest record by occurredAt. Posts sent at once commit in any order,
  // so the commit that tips a journey over can come after the trigger's own 2xx and the line above
  // counts that wait too. From the moment's commit (its createdAt) the figure is the alert path alone.
  const fromCommit: number[] = [];
  for (const [id, arrived] of flaggedWallArrivals) {
    const moment = JSON.parse((await send(`${server.url}/v1/moments/${id}`, { headers })).text) as {
      createdAt: string;
    };
    fromCommit.push(arrived - Date.parse(moment.createdAt));
  }
  const c = summarise(fromCommit);
  figures.push(
    ["moment committed → moment.flagged arrival p50", c.p50 * 1000],
    ["moment committed → moment.flagged arrival p99", c.p99 * 1000],
  );
  console.log(
    `moment committed (its createdAt) → moment.flagged arrival (${fromCommit.length} moments): p50 ${fmt(c.p50)}, p99 ${fmt(c.p99)}, max ${fmt(c.max)} (target p99 < 500 ms)`,
  );
} finally {
  await server.stop();
  receiver.close();
}
reportInVader(figures);
