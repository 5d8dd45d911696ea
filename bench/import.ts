// Bulk import throughput: 100,000 JSONL records through `earshot import`'s path (ingest service,
// analysis workers, group commit) into a fresh database.
//   npm run bench:import [-- --records 100000 --batch 500]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { importFile } from "../src/services/import/import-file.js";

const { values } = parseArgs({
  options: { records: { type: "string", default: "100000" }, batch: { type: "string", default: "500" } },
});
const records = Number(values.records);
const dir = mkdtempSync(join(tmpdir(), "earshot-bench-import-"));
const texts = [
  "The parcel never arrived and nobody answers.",
  "Thanks, the refund came through quickly!",
  "Can you tell me when the engineer is coming?",
  "Charged twice again, I want to close my account.",
  "Love the new app update.",
];
const file = join(dir, "records.jsonl");
const lines: string[] = [];
for (let i = 0; i < records; i++) {
  lines.push(
    JSON.stringify({
      source: "bench",
      externalId: `r-${i}`,
      occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      channel: "social",
      platform: "x",
      text: texts[i % texts.length],
      authorHandle: `user${i % 20_000}`,
    }),
  );
}
writeFileSync(file, lines.join("\n") + "\n");
const runtime = await createRuntime(loadConfig({ DATABASE_URL: `file:${join(dir, "bench.db")}`, LOG_LEVEL: "warn" }), {
  logger: createLogger("warn"),
});
try {
  const started = performance.now();
  const result = await importFile(runtime.ingest, {
    file,
    format: "jsonl",
    kind: "interaction",
    batchSize: Number(values.batch),
  });
  const s = (performance.now() - started) / 1000;
  console.log(
    `import: ${result.lines.toLocaleString("en")} lines in ${s.toFixed(1)} s = ${Math.round(result.lines / s).toLocaleString("en")} lines/s (created ${result.created}, failed ${result.failed}; batch ${values.batch})`,
  );
} finally {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
}
