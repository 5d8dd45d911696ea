import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { bucketFloor, bucketIndex, bucketLabel, bucketStarts } from "../../lib/time-window.js";
import { wilson, type Estimate } from "../../lib/wilson.js";
import { atThresholdWithCovariates } from "./covariate-threshold.js";

const DAY = 86_400_000;

/** What the thresholds in force flag: a score (a moment's risk, an interaction's probability) at or above. */
export interface FlagThresholds {
  interaction: number;
  moment: number;
  /**
   * The interaction's complaint probability from its stored risk and covariates (identity without a
   * calibration).
   */
  probability?: (risk: number, covariates?: readonly string[]) => number;
  /** Set when `probability` reads covariates: the interaction threshold is then measured verdict by verdict. */
  covariates?: boolean;
}

/** Verdicts on one kind of flag at one stored risk: the unit quality and calibration are counted in. */
export interface JudgedAtRisk {
  kind: "moment" | "interaction";
  risk: number;
  confirmed: number;
  falseAlarm: number;
  missed: number;
}

/**
 * One vote per subject: the latest current verdict on each moment or interaction whose flag was raised
 * in [from, to). Two agents agreeing on a flag is one flag judged, not two; when they disagree, the
 * later word stands (its author saw the earlier one on the page).
 */
const latestVerdicts = (from: Date, to: Date) => sql`latest AS (
  SELECT * FROM (
    SELECT v.*, row_number() OVER (PARTITION BY v.subject_kind, v.subject_id ORDER BY v.created_at DESC, v.id DESC) AS rn
    FROM verdicts v WHERE v.superseded_at IS NULL AND v.flagged_at >= ${from.getTime()} AND v.flagged_at < ${to.getTime()}
  ) WHERE rn = 1)`;

/**
 * Verdicts grouped by kind and stored risk (risk is kept to two decimals, so at most 101 groups per
 * kind): enough to judge any threshold, or any monotone map of risk, without reading a row per verdict.
 */
export async function judgedByRisk(db: Db, from: Date, to: Date): Promise<JudgedAtRisk[]> {
  const rows = await db.all<{ kind: "moment" | "interaction"; risk: number; c: number; f: number; m: number }>(
    sql`WITH ${latestVerdicts(from, to)}
      SELECT subject_kind AS kind, round(risk, 2) AS risk, sum(verdict = 'confirmed') AS c, sum(verdict = 'false_alarm') AS f, sum(verdict = 'missed') AS m
      FROM latest GROUP BY subject_kind, round(risk, 2) ORDER BY 1, 2`,
  );
  return rows.map((r) => ({
    kind: r.kind,
    risk: Number(r.risk),
    confirmed: Number(r.c),
    falseAlarm: Number(r.f),
    missed: Number(r.m),
  }));
}

/**
 * Precision and recall of flags at `threshold` from verdicts: a verdict is a positive label when
 * confirmed or missed and a negative one when a false alarm; the flag is what the threshold says of
 * its score. Unjudged flags count for nothing, and recall can only see the misses agents reported,
 * so it is an upper bound of the true recall.
 */
export function atThreshold(groups: JudgedAtRisk[], threshold: number, score: (risk: number) => number = (r) => r) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let flags = 0;
  for (const g of groups) {
    const flagged = score(g.risk) >= threshold;
    const positive = g.confirmed + g.missed;
    if (flagged) {
      tp += positive;
      fp += g.falseAlarm;
      flags += positive + g.falseAlarm;
    } else fn += positive;
  }
  return { threshold, judgedFlags: flags, precision: wilson(tp, tp + fp), recall: wilson(tp, tp + fn) };
}

/** Windows up to a year in ISO weeks; longer ones (up to the 731-day bound) in calendar months. */
const unitFor = (spanMs: number): "week" | "month" => (spanMs <= 366 * DAY ? "week" : "month");

interface GroupRow {
  kind: "moment" | "interaction";
  verdict: "confirmed" | "false_alarm" | "missed";
  channel: string | null;
  severity: string | null;
  day: number;
  n: number;
}

const precisionOf = (rows: Array<{ verdict: string; n: number }>): Estimate => {
  let c = 0;
  let f = 0;
  for (const r of rows) {
    if (r.verdict === "confirmed") c += r.n;
    else if (r.verdict === "false_alarm") f += r.n;
  }
  return wilson(c, c + f);
};

function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * How good the flags raised in [from, to) were, by the agents' verdicts: flags raised and judged,
 * precision overall and by bucket, channel, severity and reason code, missed complaints reported, the
 * thresholds in force measured with Wilson intervals, and which versions produced the flags (so no
 * figure averages across versions without saying so).
 */
export async function qualityReport(db: Db, q: { from: Date; to: Date }, thresholds: FlagThresholds) {
  const { from, to } = q;
  const unit = unitFor(to.getTime() - from.getTime());
  const starts = bucketStarts(from.getTime(), to.getTime(), unit);
  const window = latestVerdicts(from, to);

  const groups = (
    await db.all<GroupRow>(
      sql`WITH ${window} SELECT subject_kind AS kind, verdict, channel, severity, CAST(flagged_at / ${DAY} AS INTEGER) AS day, count(*) AS n
        FROM latest GROUP BY 1, 2, 3, 4, 5`,
    )
  ).map((r) => ({ ...r, n: Number(r.n), day: Number(r.day) }));
  const reasonRows = await db.all<{ kind: string; verdict: string; code: string; named: number; n: number }>(
    sql`WITH ${window} SELECT l.subject_kind AS kind, l.verdict, j.value AS code, sum(l.reason = j.value) AS named, count(*) AS n
      FROM latest l, json_each(l.reason_codes) j GROUP BY 1, 2, 3`,
  );
  const versionRows = await db.all<{ kind: string; version: string | null; n: number }>(
    sql`WITH ${window} SELECT subject_kind AS kind, rules_version AS version, count(*) AS n FROM latest GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 20`,
  );
  // A moment a customer merge folded into another is counted once, as the moment it went into (as the
  // dashboard counts it).
  const [raised] = await db.all<{ interactions: number; moments: number }>(
    sql`SELECT
      (SELECT count(*) FROM interactions WHERE occurred_at >= ${from.getTime()} AND occurred_at < ${to.getTime()} AND flagged = 1) AS interactions,
      (SELECT count(*) FROM moments WHERE trigger_at >= ${from.getTime()} AND trigger_at < ${to.getTime()} AND merged_into IS NULL) AS moments`,
  );
  // Which analysis versions the window's interactions come from: a trend over several is a mix.
  const flagVersions = await db.all<{ version: string | null; n: number; flagged: number }>(
    sql`SELECT analysis_version AS version, count(*) AS n, sum(flagged) AS flagged FROM interactions
      WHERE occurred_at >= ${from.getTime()} AND occurred_at < ${to.getTime()} GROUP BY analysis_version ORDER BY n DESC LIMIT 20`,
  );
  const momentVersions = await db.all<{ version: string; n: number }>(
    sql`SELECT rules_version AS version, count(*) AS n FROM moments
      WHERE trigger_at >= ${from.getTime()} AND trigger_at < ${to.getTime()} AND merged_into IS NULL GROUP BY rules_version ORDER BY n DESC LIMIT 20`,
  );

  const count = (verdict: string) => groups.reduce((s, g) => s + (g.verdict === verdict ? g.n : 0), 0);
  const byKind = groupBy(groups, (g) => g.kind);
  const bucketOf = (g: GroupRow) => bucketIndex(starts, bucketFloor(g.day * DAY, unit));
  const perBucket = (rows: GroupRow[]) => {
    const b = groupBy(rows, bucketOf);
    return starts.map((_, i) => precisionOf(b.get(i) ?? []));
  };
  const interactionRows = byKind.get("interaction") ?? [];
  const momentRows = byKind.get("moment") ?? [];
  const missedRows = interactionRows.filter((g) => g.verdict === "missed");
  const missedByBucket = groupBy(missedRows, bucketOf);

  const byRisk = await judgedByRisk(db, from, to);
  const judged = { confirmed: count("confirmed"), falseAlarm: count("false_alarm"), missed: count("missed") };
  const flagsRaised = { interactions: Number(raised?.interactions ?? 0), moments: Number(raised?.moments ?? 0) };
  const judgedFlags = judged.confirmed + judged.falseAlarm;

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: unit,
    buckets: starts.map((s) => bucketLabel(s, unit)),
    flagsRaised,
    verdicts: { subjects: judgedFlags + judged.missed, ...judged },
    coverage: wilson(
      Math.min(judgedFlags, flagsRaised.interactions + flagsRaised.moments),
      flagsRaised.interactions + flagsRaised.moments,
    ),
    precision: {
      interaction: precisionOf(interactionRows),
      moment: precisionOf(momentRows),
      byBucket: { interaction: perBucket(interactionRows), moment: perBucket(momentRows) },
      byChannel: [
        ...groupBy(
          groups.filter((g) => g.verdict !== "missed"),
          (g) => `${g.kind}\u0000${g.channel ?? ""}`,
        ),
      ].map(([key, rows]) => {
        const [kind, channel] = key.split("\u0000") as ["moment" | "interaction", string];
        return { kind, channel: channel || null, precision: precisionOf(rows) };
      }),
      bySeverity: [...groupBy(momentRows, (g) => g.severity ?? "")].map(([severity, rows]) => ({
        severity,
        precision: precisionOf(rows),
      })),
      byReason: [
        ...groupBy(
          reasonRows.filter((r) => r.verdict !== "missed"),
          (r) => `${r.kind}\u0000${r.code}`,
        ),
      ]
        .map(([key, rows]) => {
          const [kind, code] = key.split("\u0000") as ["moment" | "interaction", string];
          const named = (verdict: string) =>
            rows.reduce((s, r) => s + (r.verdict === verdict ? Number(r.named) : 0), 0);
          return {
            kind,
            code,
            precision: precisionOf(rows.map((r) => ({ verdict: r.verdict, n: Number(r.n) }))),
            namedOnConfirmed: named("confirmed"),
            namedOnFalseAlarm: named("false_alarm"),
          };
        })
        .sort((a, b) => b.precision.n - a.precision.n),
    },
    missed: {
      total: judged.missed,
      byBucket: starts.map((_, i) => (missedByBucket.get(i) ?? []).reduce((s, g) => s + g.n, 0)),
      byChannel: [...groupBy(missedRows, (g) => g.channel ?? "")].map(([channel, rows]) => ({
        channel,
        n: rows.reduce((s, g) => s + g.n, 0),
      })),
    },
    current: {
      interaction: thresholds.covariates
        ? await atThresholdWithCovariates(db, from, to, thresholds)
        : atThreshold(
            byRisk.filter((g) => g.kind === "interaction"),
            thresholds.interaction,
            thresholds.probability,
          ),
      moment: atThreshold(
        byRisk.filter((g) => g.kind === "moment"),
        thresholds.moment,
      ),
    },
    versions: {
      interactions: flagVersions.map((v) => ({
        version: v.version,
        interactions: Number(v.n),
        flagged: Number(v.flagged),
      })),
      moments: momentVersions.map((v) => ({ version: v.version, moments: Number(v.n) })),
      verdicts: versionRows.map((v) => ({ kind: v.kind, version: v.version, n: Number(v.n) })),
    },
  };
}

export type QualityReport = Awaited<ReturnType<typeof qualityReport>>;
