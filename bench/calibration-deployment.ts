// bench:calibration's deployments: an Earshot runtime over a fresh libSQL file, called through its API.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createRuntime, type Runtime } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { createApiKey } from "../src/services/api-keys.js";

export interface Deployment {
  rt: Runtime;
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads documented fields of the answers (docs/verdicts-and-calibration.md)
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  dir: string;
}
/** A fresh Earshot over its own libSQL file, reading the lexicons (and model) in `lexiconDir`, with a key that may ingest, read and calibrate. */
export async function deployment(lexiconDir: string): Promise<Deployment> {
  const dir = mkdtempSync(join(tmpdir(), "earshot-bench-calibration-"));
  const config = loadConfig({
    DATABASE_URL: `file:${join(dir, "c.db")}`,
    LOG_LEVEL: "silent",
    ANALYSIS_WORKERS: "0",
    DASHBOARD_WORKER: "false",
    DATABASE_CHECKPOINT_INTERVAL_MS: "0",
    RATE_LIMIT_PER_SECOND: "100000",
    RATE_LIMIT_BURST: "100000",
  });
  const rt = await createRuntime(config, { logger: createLogger("silent"), lexiconDir, resumeJobs: false });
  const app = createApp(rt);
  const key = (await createApiKey(rt.db, "bench agent", ["ingest", "read", "admin"])).key;
  return {
    rt,
    dir,
    async call(method, path, body) {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

/** Posts the tweets as public social interactions, 500 to a batch, and waits for their moments. */
export async function replay(d: Deployment, tweets: Array<{ key: string; at: number; handle: string; text: string }>) {
  for (let i = 0; i < tweets.length; i += 500) {
    const items = tweets.slice(i, i + 500).map((t) => ({
      source: "bench-tweets",
      externalId: t.key,
      channel: "social",
      platform: "twitter",
      occurredAt: new Date(t.at).toISOString(),
      authorHandle: t.handle,
      text: t.text,
      public: true,
    }));
    const res = await d.call("POST", "/v1/interactions/batch", { items });
    if (res.status !== 200 && res.status !== 201 && res.status !== 207)
      throw new Error(`batch: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await d.rt.momentQueue.idle();
}
