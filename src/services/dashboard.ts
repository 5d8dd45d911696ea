import { PACKED } from "../analysis/stored-form.js";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { sqlList } from "../db/sql-list.js";
import { commonPaths, eventStepLabel, type CommonPath, type PathStep } from "../journeys/paths.js";

// Topic and need lists in SQL, from a packed analysis (an array, src/analysis/stored-form.ts) or one
// stored before the packed form (an object); SQLite (3.45 and later) parses each row's JSON once for both.
// Positions and keys are the code's constants, never input: they are written into the SQL as text.
const listPath = (position: number, key: string) => sql.raw(`CASE WHEN json_type(i.analysis) = 'array' THEN '$[${position}]' ELSE '$.${key}' END`);
const field = (position: number, key: string) => sql.raw(`coalesce(t.value ->> '$[${position}]', t.value ->> '$.${key}')`);

export interface DashboardQuery {
  from: Date;
  to: Date;
  channels?: string[];
}

export interface Dashboard {
  bucket: "hour" | "day";
  buckets: string[];
  totals: { interactions: number; flagged: number; moments: number; averageSentiment: number | null };
  sentimentByChannel: Array<{ channel: string; average: Array<number | null>; volume: number[] }>;
  topics: Array<{ id: string; label: string; volume: number; averageSentiment: number | null }>;
  needs: Array<{ id: string; label: string; volume: number }>;
  momentsBySeverity: Array<{ severity: string; counts: number[] }>;
  pathsToMoments: CommonPath[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEVERITIES = ["low", "medium", "high", "critical"];
/** How far back a moment's path is traced, and how many moments are traced at most. */
const PATH_LOOKBACK_MS = 7 * DAY;
const PATH_MOMENTS = 300;

/**
 * Aggregates for the console's dashboard over a time window: sentiment and volume per channel per
 * bucket (hours for windows up to two days, else days), topics, needs, moments per severity, and the
 * commonest paths into a flagged moment. Every query is bounded by the window on an indexed column.
 */
export async function dashboardData(db: Db, q: DashboardQuery): Promise<Dashboard> {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const size = to - from <= 2 * DAY ? HOUR : DAY;
  const first = Math.floor(from / size) * size;
  const buckets: string[] = [];
  for (let t = first; t < to; t += size) buckets.push(new Date(t).toISOString().slice(0, size === HOUR ? 13 : 10) + (size === HOUR ? ":00" : ""));
  const bucketOf = (t: number) => Math.floor((t - first) / size);

  const channelSql = q.channels?.length ? sql` AND i.channel IN ${sqlList(q.channels)}` : sql``;
  const window = sql`i.occurred_at >= ${from} AND i.occurred_at < ${to}${channelSql}`;

  const perChannel = await db.all<{ channel: string; b: number; s: number | null; n: number; f: number | null }>(
    // Bound JS numbers arrive as REAL; the CAST makes the bucket a whole number to group on.
    sql`SELECT i.channel, CAST((i.occurred_at - ${first}) / ${size} AS INTEGER) AS b, avg(i.sentiment_score) AS s, count(*) AS n, sum(i.flagged) AS f
      FROM interactions i WHERE ${window} GROUP BY i.channel, b`,
  );
  const series = new Map<string, { channel: string; average: Array<number | null>; volume: number[] }>();
  let interactions = 0;
  let flagged = 0;
  let weighted = 0;
  let scored = 0;
  for (const r of perChannel) {
    const channel = r.channel;
    let s = series.get(channel);
    if (!s) series.set(channel, (s = { channel, average: buckets.map(() => null), volume: buckets.map(() => 0) }));
    const b = Number(r.b);
    if (b < 0 || b >= buckets.length) continue;
    s.volume[b] = Number(r.n);
    s.average[b] = r.s === null ? null : round(Number(r.s));
    interactions += Number(r.n);
    flagged += Number(r.f ?? 0);
    if (r.s !== null) (weighted += Number(r.s) * Number(r.n)), (scored += Number(r.n));
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

  // A moment belongs to a channel through the interaction that triggered it.
  const momentChannelSql = q.channels?.length ? sql` AND EXISTS (SELECT 1 FROM interactions i WHERE i.id = m.trigger_id${channelSql})` : sql``;
  const moments = await db.all<{ id: string; customer_id: string; severity: string; trigger_at: number }>(
    sql`SELECT m.id, m.customer_id, m.severity, m.trigger_at FROM moments m
      WHERE m.trigger_at >= ${from} AND m.trigger_at < ${to}${momentChannelSql} ORDER BY m.trigger_at DESC`,
  );
  const momentsBySeverity = SEVERITIES.map((severity) => ({ severity, counts: buckets.map(() => 0) }));
  for (const m of moments) {
    const b = bucketOf(m.trigger_at);
    const s = momentsBySeverity.find((x) => x.severity === m.severity);
    if (s && b >= 0 && b < buckets.length) s.counts[b]++;
  }

  const journeys: PathStep[][] = [];
  for (const m of moments.slice(0, PATH_MOMENTS)) {
    const at = m.trigger_at;
    const since = at - PATH_LOOKBACK_MS;
    const rows = await db.all<{ at: number; what: string; status: string | null; kind: "interaction" | "event" }>(sql`SELECT * FROM (
          SELECT occurred_at AS at, channel AS what, NULL AS status, 'interaction' AS kind FROM interactions WHERE customer_id = ${m.customer_id} AND occurred_at <= ${at} AND occurred_at > ${since}
          UNION ALL
          SELECT occurred_at AS at, type AS what, status, 'event' AS kind FROM journey_events WHERE customer_id = ${m.customer_id} AND occurred_at <= ${at} AND occurred_at > ${since}
        ) ORDER BY at DESC LIMIT 8`);
    journeys.push(rows.map((r) => ({ at: r.at, label: r.kind === "event" ? eventStepLabel(r.what, r.status) : r.what.replace(/_/g, " ") })));
  }

  return {
    bucket: size === HOUR ? "hour" : "day",
    buckets,
    totals: { interactions, flagged, moments: moments.length, averageSentiment: scored ? round(weighted / scored) : null },
    sentimentByChannel: [...series.values()].sort((a, b) => a.channel.localeCompare(b.channel)),
    topics: topics.map((r) => ({ id: r.tid, label: r.label ?? r.tid, volume: r.n, averageSentiment: r.s === null ? null : round(r.s) })),
    needs: needs.map((r) => ({ id: r.tid, label: r.label ?? r.tid, volume: r.n })),
    momentsBySeverity,
    pathsToMoments: commonPaths(journeys, 3),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
