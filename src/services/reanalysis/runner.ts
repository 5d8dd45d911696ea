import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { jobs } from "../../db/schema/index.js";
import { notFound } from "../../lib/domain-error.js";
import type { Logger } from "../../lib/logger.js";
import type { AnalysisRecord } from "../../workers/analysis-record.js";
import type { BatchAnalyzer } from "../../workers/analysis-pool.js";
import type { MomentScorer } from "../moments/scoring.js";
import { analysisInputOf } from "./input.js";
import { filters, getJob, jobView, type JobState, type JobView, type ReanalysisParams } from "./job.js";
import { nextSliceRows, type SliceTiming } from "./slice-size.js";
import { writeSlice } from "./slice-write.js";
import { emptySummary, mergeSummary, tally, type ReanalysisSummary } from "./summary.js";
import { DEFAULT_THROTTLE, Throttle, type ThrottleOptions } from "./throttle.js";

export interface StoredRow {
  rid: number;
  id: string;
  customer_id: string;
  occurred_at: number;
  channel: string;
  subject: string | null;
  text: string;
  turns: string | null;
  channel_data: string;
  analysis: string | null;
  analysis_version: string | null;
  flagged: number;
  complaint_risk: number | null;
  need_ids: string | null;
}

export interface RunnerDeps {
  db: Db;
  analyzer: BatchAnalyzer;
  /** The calibration in force, applied to each new analysis as ingest applies it. */
  calibrate?: (r: AnalysisRecord, channel?: string) => AnalysisRecord;
  scorer: MomentScorer;
  clock: () => Date;
  logger?: Logger;
  /** Interactions per page: one analysis batch and one write transaction. */
  pageSize?: number;
  /** True while live ingest has work waiting (records queued for the writer, analyses on the workers): the job backs off. */
  busy?: () => boolean;
  /** The recent live write p99 in ms (src/lib/live-latency.ts): the job backs off while it rises. */
  liveP99?: () => number | null;
  /** The throttle's settings (DEFAULT_THROTTLE): the job's minimum share of the time, its pauses. */
  throttle?: Partial<ThrottleOptions>;
  /** Interactions per analysis call within a page (default 10): how long a live post can wait behind the job on a worker. */
  analysisChunk?: number;
  /**
   * The time one write transaction of the job aims at (default 3 ms): a page is written in slices
   * sized from the time the last ones took (slice-size.ts), since a local file's statements run on
   * the main thread and SQLite has one writer, so a live post waits behind at most one slice.
   */
  writeSliceMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** One macrotask: the event loop reaches its I/O phase, so live requests are read and answered. */
const yieldToLive = () => new Promise<void>((r) => setImmediate(r));

/** Runs `work` as a piece of the job's own time, for the throttle's share. */
async function timed<T>(throttle: Throttle, work: () => Promise<T>): Promise<T> {
  throttle.startWork();
  try {
    return await work();
  } finally {
    throttle.endWork();
  }
}

/**
 * Analyses stored interactions again with the lexicons, model and calibration in force, page by page
 * in rowid order. A page is written in short slices: each slice's new analyses, the moments they
 * re-score and the job's position commit in one transaction, so a job stopped at any instant (a
 * restart, a crash) resumes after its last committed slice, and a live post waits behind one slice at
 * most. Throttled (throttle.ts): a pause before each chunk of analysis and each page's write, which
 * grows while live ingest waits or live latency rises and is cut short to keep the job's minimum share.
 * A dry run (`dryRun`) reads and analyses the same way and writes nothing at all.
 */
export class ReanalysisRunner {
  /** A throttle per run: each job's share is counted from its own start. */
  #throttle: Throttle;
  /** The write time per row of the latest slices (ms, a moving average): sizes the next slice. */
  #msPerRow: number | null = null;
  /** The latest slice's rows and write time. */
  #lastSlice: SliceTiming | null = null;

  constructor(private readonly deps: RunnerDeps) {
    this.#throttle = this.#newThrottle();
  }

  #newThrottle() {
    return new Throttle(
      { busy: () => this.deps.busy?.() ?? false, p99: () => this.deps.liveP99?.() ?? null },
      { ...DEFAULT_THROTTLE, ...this.deps.throttle },
    );
  }

  /** Runs (or resumes) a stored job; `onPage` hears its progress after each committed write. */
  async run(jobId: string, signal?: AbortSignal, onPage?: (job: JobView) => void): Promise<JobView> {
    const { db } = this.deps;
    const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
    if (!job) throw notFound(`No job ${jobId}.`);
    if (job.status === "done" || job.status === "failed") return getJob(db, jobId);
    const params = job.params as unknown as ReanalysisParams;
    const now = this.deps.clock();
    await db.write(({ orm }) =>
      orm
        .update(jobs)
        .set({ status: "running", startedAt: job.startedAt ?? now, updatedAt: now })
        .where(eq(jobs.id, jobId)),
    );
    let status: "done" | "failed" | "running";
    let error: string | null = null;
    try {
      const progress = onPage ? async () => onPage(await getJob(db, jobId)) : undefined;
      status = await this.#pages(() => this.#storedPage(jobId, params, signal, progress), signal);
    } catch (e) {
      this.deps.logger?.error({ err: (e as Error).message, job: jobId }, "re-analysis job failed");
      status = "failed";
      error = (e as Error).message;
    }
    if (status !== "running") {
      const end = this.deps.clock();
      await db.write(({ orm }) =>
        orm.update(jobs).set({ status, error, finishedAt: end, updatedAt: end }).where(eq(jobs.id, jobId)),
      );
    }
    return getJob(db, jobId);
  }

  /** Runs a dry run held in memory (newDryRun), updating `state` as it goes; nothing is written. */
  async dryRun(state: JobState, signal?: AbortSignal, onPage?: (job: JobView) => void): Promise<JobView> {
    const params = state.params as unknown as ReanalysisParams;
    const touch = (s: Partial<JobState>) => Object.assign(state, s, { updatedAt: this.deps.clock() });
    touch({ status: "running", startedAt: state.startedAt ?? this.deps.clock() });
    try {
      const status = await this.#pages(async () => {
        const rows = await this.#rows(params, state.cursor);
        if (rows.length === 0) return true;
        const fresh = await this.#analyse(rows);
        const page = emptySummary();
        for (let i = 0; i < rows.length; i++) tally(page, rows[i], fresh[i]);
        touch({
          cursor: rows[rows.length - 1].rid,
          processed: state.processed + rows.length,
          summary: { ...mergeSummary(state.summary as unknown as ReanalysisSummary, page) },
        });
        onPage?.(jobView(state));
        return false;
      }, signal);
      // A dry run stopped half-way cannot be resumed (nothing of it is stored): it ends where it stopped.
      if (status === "done") touch({ status, finishedAt: this.deps.clock() });
      else
        touch({
          status: "failed",
          error: `stopped after ${state.processed} of ${state.total}`,
          finishedAt: this.deps.clock(),
        });
    } catch (e) {
      touch({ status: "failed", error: (e as Error).message, finishedAt: this.deps.clock() });
    }
    return jobView(state);
  }

  /**
   * Runs `page` until it reports nothing left ("done") or `signal` aborts ("running": a stored job
   * resumes from its last page), yielding to live ingest between pages.
   */
  async #pages(page: () => Promise<boolean>, signal?: AbortSignal): Promise<"done" | "running"> {
    this.#throttle = this.#newThrottle();
    this.#msPerRow = null;
    this.#lastSlice = null;
    for (;;) {
      if (signal?.aborted) return "running";
      if (await page()) return "done";
      await this.#pause();
    }
  }

  /** The throttle's pause before the next piece of work. */
  async #pause() {
    const ms = this.#throttle.nextPauseMs();
    if (ms > 0) await sleep(ms);
  }

  /** The next page of the job's interactions after rowid `cursor`. */
  #rows(params: ReanalysisParams, cursor: number): Promise<StoredRow[]> {
    return this.deps.db.all<StoredRow>(
      sql`SELECT rowid AS rid, id, customer_id, occurred_at, channel, subject, text, turns, channel_data, analysis, analysis_version, flagged, complaint_risk, need_ids
        FROM interactions WHERE rowid > ${cursor} AND ${filters(params)} ORDER BY rowid LIMIT ${this.deps.pageSize ?? 100}`,
    );
  }

  /** A page analysed again: each row's new analysis, the calibration in force applied. */
  async #analyse(rows: StoredRow[]): Promise<AnalysisRecord[]> {
    const inputs = rows.map((r) =>
      analysisInputOf({
        channel: r.channel,
        subject: r.subject,
        text: r.text,
        turns: r.turns ? JSON.parse(r.turns) : null,
        channelData: JSON.parse(r.channel_data),
      }),
    );
    // In small chunks, each after live ingest's waiting work: a live post queued on the analysis
    // workers then waits behind at most one chunk, not a whole page.
    const chunk = this.deps.analysisChunk ?? 10;
    const analysed: AnalysisRecord[] = [];
    for (let i = 0; i < inputs.length; i += chunk) {
      if (i > 0) await this.#pause();
      const part = inputs.slice(i, i + chunk);
      analysed.push(...(await timed(this.#throttle, () => this.deps.analyzer.analyzeMany(part, "packed"))));
    }
    const calibrate = this.deps.calibrate;
    return calibrate ? analysed.map((a, i) => calibrate(a, rows[i].channel)) : analysed;
  }

  /**
   * One page of a stored job, written in slices (writeSliceMs) with live ingest let in between; true
   * when there was nothing left. A slice that finds the job's position moved (another runner wrote
   * it) ends the page, and the next one starts from where that runner left off.
   */
  async #storedPage(
    jobId: string,
    params: ReanalysisParams,
    signal?: AbortSignal,
    progress?: () => Promise<void>,
  ): Promise<boolean> {
    const { db } = this.deps;
    const [job] = await db.select({ cursor: jobs.cursor }).from(jobs).where(eq(jobs.id, jobId));
    const rows = await this.#rows(params, job.cursor);
    if (rows.length === 0) return true;
    const fresh = await this.#analyse(rows);
    await this.#pause();
    const sliceMs = this.deps.writeSliceMs ?? 3;
    let from = job.cursor;
    for (let i = 0; i < rows.length; ) {
      if (i > 0) {
        if (signal?.aborted) return false;
        await yieldToLive();
      }
      const size = nextSliceRows(this.#lastSlice, this.#msPerRow, sliceMs);
      const slice = rows.slice(i, i + size);
      const t0 = performance.now();
      const wrote = await timed(this.#throttle, () =>
        writeSlice(this.deps, jobId, from, params, slice, fresh.slice(i, i + size)),
      );
      const ms = performance.now() - t0;
      this.#lastSlice = { rows: slice.length, ms };
      const perRow = ms / slice.length;
      this.#msPerRow = this.#msPerRow === null ? perRow : 0.7 * this.#msPerRow + 0.3 * perRow;
      if (!wrote) return false;
      from = slice[slice.length - 1].rid;
      i += slice.length;
      await progress?.();
    }
    return false;
  }
}
