import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { jobs } from "../../db/schema/index.js";
import { notFound } from "../../lib/domain-error.js";
import { newId } from "../../lib/ids.js";
import { emptySummary, type ReanalysisSummary } from "./summary.js";

export interface ReanalysisParams {
  from?: string;
  to?: string;
  channels?: string[];
  /** Analyse and count what would change and write nothing: such a job lives in memory only (newDryRun). */
  dryRun: boolean;
  /**
   * The last interaction stored when the job was created: records stored later were analysed by what
   * is in force already, and a job that followed them would chase live ingest and never end.
   */
  untilRowid?: number;
}

/** The interactions a job covers, as an SQL condition on the interactions table. */
export function filters(p: ReanalysisParams): SQL {
  const parts: SQL[] = [sql`1 = 1`];
  if (p.untilRowid !== undefined) parts.push(sql`rowid <= ${p.untilRowid}`);
  if (p.from) parts.push(sql`occurred_at >= ${Date.parse(p.from)}`);
  if (p.to) parts.push(sql`occurred_at < ${Date.parse(p.to)}`);
  if (p.channels?.length)
    parts.push(
      sql`channel IN (${sql.join(
        p.channels.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
  return sql.join(parts, sql` AND `);
}

/** How many interactions a job over `params` covers (its `total`). */
async function covered(db: Db, params: ReanalysisParams): Promise<number> {
  const [{ n }] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM interactions WHERE ${filters(params)}`);
  return Number(n);
}

const lastRowid = async (db: Db) =>
  Number((await db.all<{ n: number | null }>(sql`SELECT max(rowid) AS n FROM interactions`))[0]?.n ?? 0);

/** A job as stored in `jobs`, or as a dry run holds it in memory. */
export type JobState = typeof jobs.$inferSelect;

/** Records a re-analysis job over the interactions matching `params`, queued for a runner. */
export async function createReanalysisJob(db: Db, requested: ReanalysisParams, actor: string, now: Date) {
  const params = { ...requested, untilRowid: await lastRowid(db) };
  const total = await covered(db, params);
  const id = newId("job", now.getTime());
  await db.write(({ orm }) =>
    orm.insert(jobs).values({
      id,
      kind: "reanalysis",
      status: "queued",
      params: { ...params },
      total,
      summary: { ...emptySummary() },
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return getJob(db, id);
}

/**
 * A dry run, queued: held in memory by whoever runs it and never stored, since a dry run writes
 * nothing (not even its own progress). It is not resumed after a restart; it is simply run again.
 */
export async function newDryRun(
  db: Db,
  params: Omit<ReanalysisParams, "dryRun">,
  actor: string,
  now: Date,
): Promise<JobState> {
  const withDry = { ...params, dryRun: true, untilRowid: await lastRowid(db) };
  return {
    id: newId("job", now.getTime()),
    kind: "reanalysis",
    status: "queued",
    params: withDry as unknown as JobState["params"],
    cursor: 0,
    processed: 0,
    total: await covered(db, withDry),
    summary: emptySummary() as unknown as JobState["summary"],
    error: null,
    createdBy: actor,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
  };
}

export async function getJob(db: Db, id: string) {
  const [j] = await db.select().from(jobs).where(eq(jobs.id, id));
  if (!j) throw notFound(`No job ${id}.`);
  return jobView(j);
}

/** What the job API answers about a job, stored or in memory. */
export function jobView(j: JobState) {
  const elapsed = j.startedAt ? (j.finishedAt ?? j.updatedAt).getTime() - j.startedAt.getTime() : 0;
  return {
    id: j.id,
    kind: j.kind as "reanalysis",
    status: j.status as "queued" | "running" | "done" | "failed",
    // The rowid bound is the job's own bookkeeping, not what was asked for.
    params: (({ untilRowid: _, ...asked }) => asked)(j.params as unknown as ReanalysisParams),
    progress: {
      processed: j.processed,
      total: j.total,
      percent: j.total ? Math.round((1000 * j.processed) / j.total) / 10 : 100,
      perSecond: elapsed > 0 ? Math.round((j.processed * 1000) / elapsed) : null,
    },
    summary: structuredClone(j.summary as unknown as ReanalysisSummary),
    error: j.error,
    createdBy: j.createdBy,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}
export type JobView = ReturnType<typeof jobView>;

/** The unfinished jobs, oldest first: what a start resumes. */
export async function unfinishedJobs(db: Db): Promise<string[]> {
  return (
    await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(inArray(jobs.status, ["queued", "running"]))
      .orderBy(jobs.createdAt)
  ).map((r) => r.id);
}
