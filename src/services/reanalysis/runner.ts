import { eq, sql } from "drizzle-orm";
import { analysisFrom } from "../../analysis/stored-form.js";
import { ormFor, writeTransaction, type Db } from "../../db/client.js";
import { jobs } from "../../db/schema/index.js";
import { notFound } from "../../lib/domain-error.js";
import type { Logger } from "../../lib/logger.js";
import type { AnalysisRecord } from "../../workers/analysis-record.js";
import type { BatchAnalyzer } from "../../workers/analysis-pool.js";
import type { MomentScorer } from "../moments/scoring.js";
import { analysisInputOf } from "./input.js";
import { filters, getJob, type JobView, type ReanalysisParams } from "./job.js";
import { emptySummary, mergeSummary, type ReanalysisSummary } from "./summary.js";

interface Row {
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
  calibrate?: (r: AnalysisRecord) => AnalysisRecord;
  scorer: MomentScorer;
  clock: () => Date;
  logger?: Logger;
  /** Interactions per page: one analysis batch and one write transaction. */
  pageSize?: number;
  /** Pause after each page, so live ingest gets the analysis workers and the write lock in between. */
  pauseMs?: number;
  /** True while live ingest is waiting (records queued for the writer): the job waits too. */
  busy?: () => boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = (s: string | null) => (s ? s.split(",") : []);

/**
 * Analyses stored interactions again with the lexicons, model and calibration in force, page by page
 * in rowid order. Each page's new analyses, the moments they re-score and the job's position commit in
 * one transaction, so a job stopped at any instant (a restart, a crash) resumes after its last
 * committed page. Throttled: small pages, a pause after each, and no page while live ingest waits.
 */
export class ReanalysisRunner {
  constructor(private readonly deps: RunnerDeps) {}

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
    try {
      for (;;) {
        if (signal?.aborted) return getJob(db, jobId);
        const done = await this.#page(jobId, params);
        onPage?.(await getJob(db, jobId));
        if (done) break;
        await sleep(this.deps.pauseMs ?? 20);
        for (let waited = 0; this.deps.busy?.() && waited < 1000 && !signal?.aborted; waited += 10) await sleep(10);
      }
      const end = this.deps.clock();
      await db.write(({ orm }) =>
        orm.update(jobs).set({ status: "done", finishedAt: end, updatedAt: end }).where(eq(jobs.id, jobId)),
      );
    } catch (e) {
      this.deps.logger?.error({ err: (e as Error).message, job: jobId }, "re-analysis job failed");
      const end = this.deps.clock();
      await db.write(({ orm }) =>
        orm
          .update(jobs)
          .set({ status: "failed", error: (e as Error).message, finishedAt: end, updatedAt: end })
          .where(eq(jobs.id, jobId)),
      );
    }
    return getJob(db, jobId);
  }

  /** One page; true when there was nothing left. */
  async #page(jobId: string, params: ReanalysisParams): Promise<boolean> {
    const { db } = this.deps;
    const [job] = await db.select({ cursor: jobs.cursor }).from(jobs).where(eq(jobs.id, jobId));
    const rows = await db.all<Row>(
      sql`SELECT rowid AS rid, id, customer_id, occurred_at, channel, subject, text, turns, channel_data, analysis, analysis_version, flagged, complaint_risk, need_ids
        FROM interactions WHERE rowid > ${job.cursor} AND ${filters(params)} ORDER BY rowid LIMIT ${this.deps.pageSize ?? 100}`,
    );
    if (rows.length === 0) return true;
    const inputs = rows.map((r) =>
      analysisInputOf({
        channel: r.channel,
        subject: r.subject,
        text: r.text,
        turns: r.turns ? JSON.parse(r.turns) : null,
        channelData: JSON.parse(r.channel_data),
      }),
    );
    const analysed = await this.deps.analyzer.analyzeMany(inputs, "packed");
    const fresh = this.deps.calibrate ? analysed.map(this.deps.calibrate) : analysed;
    const page = emptySummary();
    const changed: Array<{ row: Row; record: AnalysisRecord }> = [];
    rows.forEach((row, i) => {
      const record = fresh[i];
      const before = row.analysis ? analysisFrom(JSON.parse(row.analysis)) : null;
      const after = analysisFrom(JSON.parse(record.json));
      const v = row.analysis_version ?? "none";
      page.versionsBefore[v] = (page.versionsBefore[v] ?? 0) + 1;
      page.versionAfter = record.version;
      const wasFlagged = row.flagged === 1;
      if (before && before.sentiment.label !== after.sentiment.label) page.labelsFlipped++;
      if (!wasFlagged && record.flagged) page.flagsAdded++;
      if (wasFlagged && !record.flagged) page.flagsRemoved++;
      const oldNeeds = new Set(ids(row.need_ids));
      const newNeeds = new Set(ids(record.needIds));
      for (const n of newNeeds) if (!oldNeeds.has(n)) page.needsGained[n] = (page.needsGained[n] ?? 0) + 1;
      for (const n of oldNeeds) if (!newNeeds.has(n)) page.needsLost[n] = (page.needsLost[n] ?? 0) + 1;
      if (row.analysis_version !== record.version || row.analysis !== record.json) {
        page.changed++;
        changed.push({ row, record });
      }
    });
    const cursor = rows[rows.length - 1].rid;
    await writeTransaction(db, async (tx) => {
      const orm = ormFor(tx);
      // Compare and set: if another runner (another process resuming the same job) committed this page
      // first, this one writes nothing and the next page starts from where that one left off.
      const [now] = await orm.select({ cursor: jobs.cursor }).from(jobs).where(eq(jobs.id, jobId));
      if (now.cursor !== job.cursor) return;
      if (!params.dryRun && changed.length) {
        for (const { row, record } of changed) {
          await tx.execute({
            sql: "UPDATE interactions SET analysis = ?, analysis_version = ?, sentiment_score = ?, complaint_risk = ?, flagged = ?, need_ids = ?, topic_ids = ? WHERE id = ?",
            args: [
              record.json,
              record.version,
              record.sentimentScore,
              record.complaintRisk,
              record.flagged ? 1 : 0,
              record.needIds,
              record.topicIds,
              row.id,
            ],
          });
        }
        const byCustomer = new Map<string, Array<{ id: string; occurredAt: number }>>();
        for (const { row } of changed) {
          const list = byCustomer.get(row.customer_id) ?? [];
          list.push({ id: row.id, occurredAt: Number(row.occurred_at) });
          byCustomer.set(row.customer_id, list);
        }
        for (const [customerId, records] of byCustomer) {
          const { rescored, unflagged } = await this.deps.scorer.rescoreAfterReanalysis(tx, customerId, records);
          page.momentsRescored += rescored.length;
          page.momentsNoLongerFlagged += unflagged.length;
        }
      }
      // The job's position and tallies commit with the page they describe.
      const [current] = await orm
        .select({ summary: jobs.summary, processed: jobs.processed })
        .from(jobs)
        .where(eq(jobs.id, jobId));
      await orm
        .update(jobs)
        .set({
          cursor,
          processed: current.processed + rows.length,
          summary: { ...mergeSummary(current.summary as unknown as ReanalysisSummary, page) },
          updatedAt: this.deps.clock(),
        })
        .where(eq(jobs.id, jobId));
    });
    return false;
  }
}
