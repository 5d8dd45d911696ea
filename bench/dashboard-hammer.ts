// `bench:load -- --scenario hammer`: single posts alone, then the same single posts while clients
// hammer the widest window the bounds allow: the console dashboard over 731 days, then the API's
// interaction search over 731 days. Prints the single-post p50/p99 of the phases side by side; the
// target is that hammering the dashboard at most doubles the quiet p99.
import { cpuTreeMs, cpuUntilQuiet, mainThreadCpuMs, spreadOverCustomers, startBenchServer } from "./lib.js";
import { fmt, summarise } from "./yardstick.js";

const DAY = 86_400_000;
const WIDEST_DAYS = 731;

export interface HammerOptions {
  seconds: number;
  singleRate: number;
  hammerClients: number;
  seed: number;
  workers: string;
}

/** Runs the scenario and prints it; returns its headline latencies (label, µs) for the VADER units. */
export async function hammerScenario(o: HammerOptions): Promise<Array<[string, number]>> {
  // Rate limits off: the hammering clients are not throttled, the worst case for the posts.
  const server = await startBenchServer({ EARSHOT_WORKERS: o.workers, RATE_LIMIT_PER_SECOND: "0" });
  const headers = { authorization: `Bearer ${server.key}`, "content-type": "application/json" };
  const now = Date.now();
  const next = spreadOverCustomers("hammer");
  try {
    // Seed data spread over the widest window, so every hammering request aggregates all of it.
    let n = 0;
    while (n < o.seed) {
      const items = Array.from({ length: Math.min(500, o.seed - n) }, () => ({
        ...next(),
        occurredAt: new Date(now - (n++ * WIDEST_DAYS * DAY) / o.seed - 1000).toISOString(),
      }));
      const res = await fetch(`${server.url}/v1/interactions/batch`, {
        method: "POST",
        headers,
        body: JSON.stringify({ items }),
      });
      if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    }
    await cpuUntilQuiet(server.proc.pid!);

    const signIn = await fetch(`${server.url}/console/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ key: server.key, next: "/console" }),
    });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0];
    const to = new Date(now + 60_000);
    const from = new Date(to.getTime() - WIDEST_DAYS * DAY);
    const local = (d: Date) => d.toISOString().slice(0, 16);
    const targets = [
      {
        name: "GET /console/dashboard (731 days)",
        url: `${server.url}/console/dashboard?from=${local(from)}&to=${local(to)}`,
        headers: { cookie },
      },
      {
        name: "GET /v1/interactions (731 days, limit 200)",
        url: `${server.url}/v1/interactions?from=${from.toISOString()}&to=${to.toISOString()}&limit=200`,
        headers,
      },
    ];
    const check = await fetch(targets[0].url, { headers: targets[0].headers });
    const page = await check.text();
    if (check.status !== 200 || !page.includes("dashboard-data"))
      throw new Error(`the console dashboard answered ${check.status}`);
    const totals = JSON.parse(/id="dashboard-data">([^<]*)</.exec(page)![1]).totals;

    const phase = async (hammer: typeof targets) => {
      const posts: number[] = [];
      let failedPosts = 0;
      type Seen = { ms: number[]; statuses: Map<number, number> };
      const hammered = new Map<string, Seen>();
      const deadline = performance.now() + o.seconds * 1000;
      // What the server went through, from its own /metrics each second: the event loop's delay
      // (prom-client resets its histogram at every scrape) and the WAL's length.
      const server_ = { lagP99: 0, lagMax: 0, walFrames: 0 };
      const sampler = setInterval(async () => {
        try {
          const text = await (await fetch(`${server.url}/metrics`, { headers })).text();
          const gauge = (name: string) => Number(new RegExp(`^earshot_${name} (\\S+)`, "m").exec(text)?.[1] ?? 0);
          server_.lagP99 = Math.max(server_.lagP99, gauge("nodejs_eventloop_lag_p99_seconds") * 1000);
          server_.lagMax = Math.max(server_.lagMax, gauge("nodejs_eventloop_lag_max_seconds") * 1000);
          server_.walFrames = Math.max(server_.walFrames, gauge("wal_frames"));
        } catch {
          /* busy: the next sample will do */
        }
      }, 1000);
      const cpu0 = { main: mainThreadCpuMs(server.proc.pid!), all: cpuTreeMs(server.proc.pid!) };
      const hammering: Promise<void>[] = hammer.length
        ? Array.from({ length: o.hammerClients }, async (_, c) => {
            for (let i = c; performance.now() < deadline; i++) {
              const t = hammer[i % hammer.length];
              const t0 = performance.now();
              const res = await fetch(t.url, { headers: t.headers });
              await res.arrayBuffer();
              const s: Seen = hammered.get(t.name) ?? { ms: [], statuses: new Map() };
              hammered.set(t.name, s);
              s.ms.push(performance.now() - t0);
              s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
              if (res.status === 503) await new Promise((r) => setTimeout(r, 200));
            }
          })
        : [];
      // Open loop: posts leave on schedule whether or not earlier ones have been answered.
      const inFlight: Promise<void>[] = [];
      const t0 = performance.now();
      for (let i = 0; ; i++) {
        const due = t0 + (i * 1000) / o.singleRate;
        if (due >= deadline) break;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        inFlight.push(
          (async () => {
            const s = performance.now();
            const res = await fetch(`${server.url}/v1/interactions`, {
              method: "POST",
              headers,
              body: JSON.stringify({ ...next(), occurredAt: new Date().toISOString() }),
            });
            await res.arrayBuffer();
            posts.push(performance.now() - s);
            if (res.status !== 201) failedPosts++;
          })(),
        );
      }
      await Promise.all([...inFlight, ...hammering]);
      clearInterval(sampler);
      const cpu = { main: mainThreadCpuMs(server.proc.pid!) - cpu0.main, all: cpuTreeMs(server.proc.pid!) - cpu0.all };
      return { posts: summarise(posts), count: posts.length, failedPosts, hammered, server: server_, cpu };
    };

    const quiet = await phase([]);
    const phases = [];
    for (const t of targets) {
      await cpuUntilQuiet(server.proc.pid!);
      phases.push({ name: t.name, ...(await phase([t])) });
    }

    console.log(
      `single posts at ${o.singleRate}/s for ${o.seconds} s per phase: quiet, then while ${o.hammerClients} clients hammer one of the widest windows (${o.workers} server process(es), rate limits off);`,
    );
    console.log(
      `  the window holds ${totals.interactions} interactions and ${totals.moments} moments over ${WIDEST_DAYS} days`,
    );
    const col = (v: string) => v.padEnd(22);
    console.log(
      `  POST /v1/interactions   ${col("quiet")}${phases.map((p) => col(p.name.includes("dashboard") ? "dashboard hammered" : "API search hammered")).join("")}`,
    );
    const rows: Array<[string, (p: typeof quiet) => string]> = [
      ["requests (failed)", (p) => `${p.count} (${p.failedPosts})`],
      ["p50", (p) => fmt(p.posts.p50)],
      ["p99", (p) => fmt(p.posts.p99)],
      ["p99 / quiet p99", (p) => `${(p.posts.p99 / quiet.posts.p99).toFixed(2)}×`],
      ["event-loop delay p99", (p) => fmt(p.server.lagP99)],
      ["event-loop delay max", (p) => fmt(p.server.lagMax)],
      ["main-thread CPU", (p) => `${(p.cpu.main / 1000).toFixed(1)} s`],
      ["server CPU (all)", (p) => `${(p.cpu.all / 1000).toFixed(1)} s`],
      ["WAL frames (max)", (p) => String(p.server.walFrames)],
    ];
    for (const [label, cell] of rows)
      console.log(`    ${label.padEnd(21)}${col(cell(quiet))}${phases.map((p) => col(cell(p))).join("")}`);
    for (const p of phases) {
      for (const [name, s] of p.hammered) {
        const sum = summarise(s.ms);
        const statuses = [...s.statuses].map(([k, v]) => `${v}× ${k}`).join(", ");
        console.log(`  ${name}: ${s.ms.length} requests (${statuses}); p50 ${fmt(sum.p50)}, p99 ${fmt(sum.p99)}`);
      }
    }
    const dashboardRatio = phases[0].posts.p99 / quiet.posts.p99;
    console.log(
      `  target: hammering the dashboard at most doubles the single-post p99: ${dashboardRatio <= 2 ? "met" : "NOT met"} (${dashboardRatio.toFixed(2)}×)`,
    );
    const short = (name: string) => (name.includes("dashboard") ? "dashboard hammered" : "API search hammered");
    return [
      ["single post p99, quiet", quiet.posts.p99 * 1000],
      ...phases.map((p): [string, number] => [`single post p99, ${short(p.name)}`, p.posts.p99 * 1000]),
      ...phases.flatMap((p) =>
        [...p.hammered].map(([name, s]): [string, number] => [`${name} p99`, summarise(s.ms).p99 * 1000]),
      ),
    ];
  } finally {
    await server.stop();
  }
}
