import type { Config } from "../config.js";
import { createRuntime } from "../deps.js";
import { createLogger } from "../lib/logger.js";
import { createReanalysisJob, getJob, newDryRun, type JobView } from "../services/reanalysis/job.js";
import { UsageError } from "./keys.js";

const CHANNELS = new Set(["chat", "email", "call_note", "social"]);

function instant(v: string | undefined, flag: string): string | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new UsageError(`${flag} must be an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z`);
  return new Date(t).toISOString();
}

/** A one-line progress bar on stderr, redrawn in place on a terminal and printed every tenth otherwise. */
function progress(job: JobView, tty: boolean, last: { shown: number }) {
  const { processed, total, percent, perSecond } = job.progress;
  const width = 30;
  const filled = Math.round((width * percent) / 100);
  const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${processed}/${total} ${percent}%${perSecond ? ` ${perSecond}/s` : ""}`;
  if (tty) process.stderr.write(`\r${line}`);
  else if (percent - last.shown >= 10 || processed === total) {
    process.stderr.write(`${line}\n`);
    last.shown = percent;
  }
}

/**
 * `earshot reanalyze`: a re-analysis job run in the foreground, with a progress bar. Ctrl-C stops it
 * after the page being written; `--job <id>` (or the server's next start) resumes it from there.
 */
export async function reanalyzeCommand(config: Config, values: Record<string, string | boolean | undefined>) {
  const from = instant(values.from as string | undefined, "--from");
  const to = instant(values.to as string | undefined, "--to");
  if (from && to && from >= to) throw new UsageError("--to must be after --from");
  const channels =
    typeof values.channel === "string"
      ? values.channel
          .split(",")
          .map((c) => c.trim())
          .filter(Boolean)
      : undefined;
  for (const c of channels ?? [])
    if (!CHANNELS.has(c)) throw new UsageError(`--channel: ${c} is not chat, email, call_note or social`);
  if (values["dry-run"] === true && typeof values.job === "string")
    throw new UsageError("--dry-run writes nothing, so there is no job to resume");
  // The jobs a server would resume are left to the server: this run does the one it was given.
  const runtime = await createRuntime(config, { logger: createLogger("warn"), resumeJobs: false });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  try {
    const tty = process.stderr.isTTY === true;
    const last = { shown: -10 };
    const onPage = (j: JobView) => progress(j, tty, last);
    const params = { from, to, channels };
    let job: JobView;
    if (values["dry-run"] === true) {
      // A dry run writes nothing, not even a job row: it is held here until it ends.
      job = await runtime.reanalysis.dryRun(
        await newDryRun(runtime.db, params, "cli", new Date()),
        stop.signal,
        onPage,
      );
    } else {
      const id =
        typeof values.job === "string"
          ? (await getJob(runtime.db, values.job)).id
          : (await createReanalysisJob(runtime.db, { ...params, dryRun: false }, "cli", new Date())).id;
      job = await runtime.reanalysis.run(id, stop.signal, onPage);
    }
    if (tty) process.stderr.write("\n");
    if (job.status === "running")
      process.stderr.write(
        `stopped after ${job.progress.processed} of ${job.progress.total}; resume with: earshot reanalyze --job ${job.id}\n`,
      );
    process.stdout.write(
      `${JSON.stringify({ job: job.id, status: job.status, dryRun: job.params.dryRun, progress: job.progress, summary: job.summary })}\n`,
    );
    if (job.status === "failed") process.exitCode = 1;
  } finally {
    process.off("SIGINT", onSignal);
    await runtime.close();
  }
}
