import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// Chart.js's package exports do not list its UMD build; find the package through its main entry.
const chartDist = dirname(createRequire(import.meta.url).resolve("chart.js"));

// A Map, not an object literal: a name from the URL must not find inherited keys (`constructor`, `valueOf`).
const files = new Map<string, { path: string; type: string }>([
  ["console.css", { path: join(here, "assets", "console.css"), type: "text/css; charset=utf-8" }],
  ["console.js", { path: join(here, "assets", "console.js"), type: "text/javascript; charset=utf-8" }],
  ["charts.js", { path: join(here, "assets", "charts.js"), type: "text/javascript; charset=utf-8" }],
  ["dashboard.js", { path: join(here, "assets", "dashboard.js"), type: "text/javascript; charset=utf-8" }],
  ["quality.js", { path: join(here, "assets", "quality.js"), type: "text/javascript; charset=utf-8" }],
  ["agents.js", { path: join(here, "assets", "agents.js"), type: "text/javascript; charset=utf-8" }],
  ["favicon.svg", { path: join(here, "assets", "favicon.svg"), type: "image/svg+xml" }],
  ["chart.umd.min.js", { path: join(chartDist, "chart.umd.min.js"), type: "text/javascript; charset=utf-8" }],
]);

const cache = new Map<string, { body: Buffer; type: string }>();

/** The console's static files, all served from this process (no CDN: the console works offline). */
export function consoleAsset(name: string): { body: Buffer; type: string } | null {
  const f = files.get(name);
  if (!f) return null;
  let hit = cache.get(name);
  if (!hit) cache.set(name, (hit = { body: readFileSync(f.path), type: f.type }));
  return hit;
}
