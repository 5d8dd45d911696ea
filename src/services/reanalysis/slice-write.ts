import { eq } from "drizzle-orm";
import { ormFor, writeTransaction } from "../../db/client.js";
import { jobs } from "../../db/schema/index.js";
import type { AnalysisRecord } from "../../workers/analysis-record.js";
import type { ReanalysisParams } from "./job.js";
import type { RunnerDeps, StoredRow } from "./runner.js";
import { emptySummary, mergeSummary, tally, type ReanalysisSummary } from "./summary.js";

/**
 * A slice of a page: its new analyses, the moments they re-score and the job's position and tallies,
 * in one transaction. False when the job's position is no longer `from`: another runner (another
 * process resuming the same job) committed these rows first, and this one writes nothing.
 */
export function writeSlice(
  deps: Pick<RunnerDeps, "db" | "scorer" | "clock">,
  jobId: string,
  from: number,
  params: ReanalysisParams,
  rows: StoredRow[],
  fresh: AnalysisRecord[],
): Promise<boolean> {
  return writeTransaction(
    deps.db,
    async (tx) => {
      const orm = ormFor(tx);
      const [now] = await orm.select({ cursor: jobs.cursor }).from(jobs).where(eq(jobs.id, jobId));
      if (now.cursor !== from) return false;
      const page = emptySummary();
      const changed: Array<{ row: StoredRow; record: AnalysisRecord }> = [];
      rows.forEach((row, i) => {
        if (tally(page, row, fresh[i])) changed.push({ row, record: fresh[i] });
      });
      // A dry run stored by an earlier version of the job API is finished without writing records.
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
        // Every customer of the slice at once: each journey is read once for all of its moments.
        const { rescored, unflagged } = await deps.scorer.rescoreAfterReanalysis(tx, byCustomer);
        page.momentsRescored += rescored.length;
        page.momentsNoLongerFlagged += unflagged.length;
      }
      // The job's position and tallies commit with the rows they describe.
      const [current] = await orm
        .select({ summary: jobs.summary, processed: jobs.processed })
        .from(jobs)
        .where(eq(jobs.id, jobId));
      await orm
        .update(jobs)
        .set({
          cursor: rows[rows.length - 1].rid,
          processed: current.processed + rows.length,
          summary: { ...mergeSummary(current.summary as unknown as ReanalysisSummary, page) },
          updatedAt: deps.clock(),
        })
        .where(eq(jobs.id, jobId));
      return true;
    },
    { rederivable: true },
  );
}
