import { PACKED } from "../analysis/stored-form.js";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { sqlList } from "../db/sql-list.js";
import { bucketIndex, bucketLabel, bucketStarts, bucketUnitFor, type BucketUnit } from "../lib/time-window.js";
import { notAnalysedCounts, type NotAnalysedCounts } from "./language-counts.js";
import { momentWindowSql } from "./moments/window-moments.js";
import { commonPaths, eventStepLabel, type CommonPath, type PathStep } from "../journeys/paths.js";

// Topic and need lists in SQL, from a packed analysis (an array, src/analysis/stored-form.ts) or one
// stored before the packed form (an object); SQLite (3.45 and later) parses each row's JSON once for both.
// Positions and keys are the code's constants, never input: they are written into the SQL as text.
const listPath = (position: number, key: string) =>
  sql.raw(`CASE WHEN json_type(i.analysis) = 'array' THEN '$[${position}]' ELSE '$.${key}' END`);
const field = (position: number, key: string) =>
  sql.raw(`coalesce(t.value ->> '$[${position}]', t.value ->> '$.${key}')`);

export interface DashboardQuery {
  /** A window within MAX_WINDOW_MS (src/lib/time-window.ts); callers check it, as longer ones have too many buckets. */
  from: Date;
  to: Date;
  channels?: string[];
}

export interface Dashboard {
  bucket: BucketUnit;
  buckets: string[];
  totals: { interactions: number; flagged: number; moments: number; averageSentiment: number | null };
  sentimentByChannel: Array<{ channel: string; average: Array<number | null>; volume: number[] }>;
  topics: Array<{ id: string; label: string; volume: number; averageSentiment: number | null }>;
  needs: Array<{ id: string; label: string; volume: number }>;
  momentsBySeverity: Array<{ severity: string; counts: number[] }>;
  pathsToMoments: CommonPath[];
  /** Contacts in languages Earshot does not analyse: no sentiment, so counted apart rather than as neutral. */
  notAnalysed: NotAnalysedCounts;
  /** The analysis versions the window's interactions were stored with, most first: more than one means the charts mix them. */
  versions: Array<{ version: string | null; interactions: number }>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEVERITIES = ["low", "medium", "high", "critical"];
/** How far back a moment's path is traced, and how many moments are traced at most. */
const PATH_LOOKBACK_MS = 7 * DAY;
const PATH_MOMENTS = 300;

/**
 * Aggregates for the console's dashboard over a time window: sentiment and volume per channel per
 * bucket (hours, days, weeks or months by the window's length: src/lib/time-window.ts), topics, needs,
 * moments per severity, and the commonest paths into a flagged moment. Every query is bounded by the
 * window on an indexed column, and every answer by the bucket count or a LIMIT, whatever the data.
 */
export async function dashboardData(db: Pick<Db, "all">, q: DashboardQuery): Promise<Dashboard> {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const unit = bucketUnitFor(to - from);
  const starts = bucketStarts(from, to, unit);
  // SQL groups by hour or day (weeks and months are whole UTC days), then each group joins its bucket.
  const step = unit === "hour" ? HOUR : DAY;
  const origin = Math.floor(from / step) * step;
  const bucketOf = (fine: number) => bucketIndex(starts, origin + fine * step);

  const channelSql = q.channels?.length ? sql` AND i.channel IN ${sqlList(q.channels)}` : sql``;
  const window = sql`i.occurred_at >= ${from} AND i.occurred_at < ${to}${channelSql}`;

  const perChannel = await db.all<{
    channel: string;
    b: number;
    s: number | null;
    scored: number;
    n: number;
    f: number | null;
  }>(
    // Bound JS numbers arrive as REAL; the CAST makes the bucket a whole number to group on.
    sql`SELECT i.channel, CAST((i.occurred_at - ${origin}) / ${step} AS INTEGER) AS b, sum(i.sentiment_score) AS s, count(i.sentiment_score) AS scored, count(*) AS n, sum(i.flagged) AS f
      FROM interactions i WHERE ${window} GROUP BY i.channel, b`,
  );
  const series = new Map<string, { channel: string; sum: number[]; scored: number[]; volume: number[] }>();
  let interactions = 0;
  let flagged = 0;
  let weighted = 0;
  let scored = 0;
  for (const r of perChannel) {
    const channel = r.channel;
    let s = series.get(channel);
    if (!s)
      series.set(
        channel,
        (s = { channel, sum: starts.map(() => 0), scored: starts.map(() => 0), volume: starts.map(() => 0) }),
      );
    const b = bucketOf(Number(r.b));
    if (b < 0) continue;
    s.volume[b] += Number(r.n);
    s.sum[b] += Number(r.s ?? 0);
    s.scored[b] += Number(r.scored);
    interactions += Number(r.n);
    flagged += Number(r.f ?? 0);
    weighted += Number(r.s ?? 0);
    scored += Number(r.scored);
  }

  const topics = await db.all<{ tid: string; label: string | null; n: number; s: number | null }>(
    sql`SELECT ${field(0, "id")} AS tid, max(${field(1, "label")}) AS label, count(*) AS n, avg(${field(3, "sentiment")}) AS s
      FROM interactions i, json_each(i.analysis, ${listPath(PACKED.topics, "topics")}) t
      WHERE ${window} GROUP BY tid ORDER BY n DESC, tid LIMIT 12`,
  );
  const needs = await db.all<{ tid: string; label: string | null; n: number }>(
    sql`SELECT ${field(0, "id")} AS tid, max(${field(1, "label")}) AS label, count(*) AS n
      FROM interactions i, json_each(i.analysis, ${listPath(PACKED.needs, "needs")}) t
      WHERE ${window} GROUP BY tid ORDER BY n DESC, tid LIMIT 10`,
  );

  // A moment belongs to a channel through the interaction that triggered it; its drill-down lists the same rows.
  const momentWindow = momentWindowSql(q);
  const perSeverity = await db.all<{ severity: string; b: number; n: number }>(
    sql`SELECT m.severity, CAST((m.trigger_at - ${origin}) / ${step} AS INTEGER) AS b, count(*) AS n FROM moments m
      WHERE ${momentWindow} GROUP BY m.severity, b`,
  );
  const momentsBySeverity = SEVERITIES.map((severity) => ({ severity, counts: starts.map(() => 0) }));
  let momentCount = 0;
  for (const r of perSeverity) {
    momentCount += r.n;
    const s = momentsBySeverity.find((x) => x.severity === r.severity);
    const b = bucketOf(Number(r.b));
    if (s && b >= 0) s.counts[b] += r.n;
  }
  // Paths are traced for the newest moments only: a query each, whatever the window holds.
  const moments = await db.all<{ customer_id: string; trigger_at: number }>(
    sql`SELECT m.customer_id, m.trigger_at FROM moments m WHERE ${momentWindow} ORDER BY m.trigger_at DESC LIMIT ${PATH_MOMENTS}`,
  );

  const journeys: PathStep[][] = [];
  for (const m of moments) {
    const at = m.trigger_at;
    const since = at - PATH_LOOKBACK_MS;
    const rows = await db.all<{
      at: number;
      what: string;
      status: string | null;
      kind: "interaction" | "event";
    }>(sql`SELECT * FROM (
          SELECT occurred_at AS at, channel AS what, NULL AS status, 'interaction' AS kind FROM interactions WHERE customer_id = ${m.customer_id} AND occurred_at <= ${at} AND occurred_at > ${since}
          UNION ALL
          SELECT occurred_at AS at, type AS what, status, 'event' AS kind FROM journey_events WHERE customer_id = ${m.customer_id} AND occurred_at <= ${at} AND occurred_at > ${since}
        ) ORDER BY at DESC LIMIT 8`);
    journeys.push(
      rows.map((r) => ({
        at: r.at,
        label: r.kind === "event" ? eventStepLabel(r.what, r.status) : r.what.replace(/_/g, " "),
      })),
    );
  }

  const notAnalysed = await notAnalysedCounts(db, q);
  // Re-analysis rewrites stored analyses in place, so a window can hold several versions until it is done.
  const versions = await db.all<{ version: string | null; n: number }>(
    sql`SELECT i.analysis_version AS version, count(*) AS n FROM interactions i WHERE ${window} GROUP BY i.analysis_version ORDER BY n DESC LIMIT 10`,
  );
  return {
    versions: versions.map((v) => ({ version: v.version, interactions: Number(v.n) })),
    bucket: unit,
    buckets: starts.map((t) => bucketLabel(t, unit)),
    totals: { interactions, flagged, moments: momentCount, averageSentiment: scored ? round(weighted / scored) : null },
    sentimentByChannel: [...series.values()]
      .sort((a, b) => a.channel.localeCompare(b.channel))
      .map((s) => ({
        channel: s.channel,
        average: s.sum.map((sum, i) => (s.scored[i] ? round(sum / s.scored[i]) : null)),
        volume: s.volume,
      })),
    topics: topics.map((r) => ({
      id: r.tid,
      label: r.label ?? r.tid,
      volume: r.n,
      averageSentiment: r.s === null ? null : round(r.s),
    })),
    needs: needs.map((r) => ({ id: r.tid, label: r.label ?? r.tid, volume: r.n })),
    momentsBySeverity,
    pathsToMoments: commonPaths(journeys, 3),
    notAnalysed,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
