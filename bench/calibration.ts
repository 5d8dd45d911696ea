// Calibration measured on verdicts it was not fitted on, through the API over real libSQL files:
//   npm run bench:calibration [-- --airline united --first 0.6 --reports-misses 0.5 --keep-recall 0.95
//                               --reasons "customer service issue,lost luggage"]
// One airline's tweets (../shared/datasets/twitter-us-airline-sentiment), scored by the model trained
// without that airline, are replayed in the order they were posted as public social interactions. A
// simulated agent judges the first part by the data set's labels (a complaint is a negative tweet
// with a stated reason): every flag is confirmed or called a false alarm, and each complaint left
// unflagged is reported as missed with probability --reports-misses. A calibration is fitted from
// those verdicts and activated; the rest is replayed after it. On the rest, the shipped rules and the
// calibration are compared side by side (a second database replays everything with no calibration):
// Brier score and expected calibration error of the probabilities, and precision and recall at the
// threshold in force, interactions and moments.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "csv-parse/sync";
import { covariatesOf, fitCovariateMap, type JudgedInteraction } from "../src/calibration/covariates.js";
import type { JudgedMoment } from "../src/calibration/noisy-or.js";
import type { ProbabilityMap } from "../src/calibration/probability.js";
import { complaintReasonCodes, strengthsOf } from "../src/services/calibration/data.js";
import { compareMethods, printProbabilityFit } from "./calibration-methods.js";
import { deployment, replay, type Deployment } from "./calibration-deployment.js";
import { thresholdKeepingRecall } from "../src/calibration/threshold.js";
import { wilson } from "../src/lib/wilson.js";
import { MODEL_FILE } from "../src/services/lexicons.js";
import { draw } from "../test/support/simulated-agent.js";
import { datasetsDir, isAirlineComplaint, type Polarity } from "./datasets.js";
import { root } from "./lib.js";
import { cachedModel } from "./quality/learned.js";

const { values } = parseArgs({
  options: {
    airline: { type: "string", default: "united" },
    first: { type: "string", default: "0.6" },
    "reports-misses": { type: "string", default: "0.5" },
    "keep-recall": { type: "string", default: "0.95" },
    // This deployment's complaints: negative tweets with one of these reasons (default: any stated reason).
    reasons: { type: "string" },
  },
});
const first = Number(values.first);
const reportsMisses = Number(values["reports-misses"]);
const reasons = values.reasons ? new Set(values.reasons.split(",").map((r) => r.trim().toLowerCase())) : null;
const DAY = 86_400_000;
const now = Date.now();

// 1. The stream: the airline's tweets in the order they were posted (the file's order breaks ties).
interface Tweet {
  key: string;
  text: string;
  handle: string;
  complaint: boolean;
  at: number;
}
const rows: Record<string, string>[] = parse(
  readFileSync(join(datasetsDir, "twitter-us-airline-sentiment/Tweets.csv")),
  { columns: true, bom: true, skip_empty_lines: true, relax_quotes: true },
);
const posted = (s: string) => {
  const [d, m, rest] = s.split("-");
  return Date.parse(`${rest.slice(0, 4)}-${m}-${d}T${rest.slice(5)}:00Z`);
};
const stream: Tweet[] = rows
  .map((r, i) => ({ r, i }))
  .filter(({ r }) => r.airline.toLowerCase().replace(/\s+/g, "_") === values.airline)
  .sort((a, b) => posted(a.r.tweet_created) - posted(b.r.tweet_created) || a.i - b.i)
  .map(({ r, i }, n, all) => ({
    key: `tweet-${i}`,
    text: r.text,
    handle: `@${r.name.replace(/[^A-Za-z0-9_]/g, "_")}`,
    complaint:
      isAirlineComplaint({ label: r.airline_sentiment as Polarity, reason: r.negativereason }) &&
      (!reasons || reasons.has(r.negativereason.toLowerCase())),
    // The first part over the 50 to 10 days before now, the rest over the last 10 days.
    at:
      n < first * all.length
        ? now - 50 * DAY + (n / (first * all.length)) * 40 * DAY
        : now - 10 * DAY + ((n - first * all.length) / ((1 - first) * all.length)) * 10 * DAY - 3_600_000,
  }));
if (stream.length === 0) throw new Error(`no tweets to ${values.airline}`);
const split = Math.ceil(first * stream.length);
const [partA, partB] = [stream.slice(0, split), stream.slice(split)];
const byKey = new Map(stream.map((t) => [t.key, t]));
console.log(
  `${stream.length} tweets to ${values.airline}, ${stream.filter((t) => t.complaint).length} complaints; verdicts on the first ${partA.length}, measured on the last ${partB.length}`,
);

// 2. The model that never saw this airline, beside the shipped lexicons.
const exclusion = `twitter-us-airline-sentiment:${values.airline}`;
const model = cachedModel([exclusion], console.log);
const lexiconDir = mkdtempSync(join(tmpdir(), "earshot-bench-lexicons-"));
for (const f of readdirSync(join(root, "lexicons")))
  if (f !== MODEL_FILE) symlinkSync(join(root, "lexicons", f), join(lexiconDir, f));
writeFileSync(join(lexiconDir, MODEL_FILE), JSON.stringify(model));

const all = async (d: Deployment, sql: string) =>
  (await d.rt.db.$client.execute(sql)).rows as unknown as Array<Record<string, unknown>>;

/** Each stored interaction's tweet, risk, flag and covariates (channel, complaint reasons, needs). */
const interactionsOf = async (d: Deployment) =>
  (await all(d, "SELECT id, external_id, complaint_risk, flagged, channel, need_ids, analysis FROM interactions")).map(
    (r) => ({
      id: String(r.id),
      tweet: byKey.get(String(r.external_id))!,
      risk: Number(r.complaint_risk),
      flagged: Number(r.flagged) === 1,
      covariates: covariatesOf(
        String(r.channel),
        complaintReasonCodes(String(r.analysis)),
        r.need_ids ? String(r.need_ids).split(",") : [],
      ),
    }),
  );
/** Each moment with the tweet that triggered it (real, for this deployment, when that tweet is a complaint) and its signals' strengths. */
const momentsOf = async (d: Deployment) => {
  const shippedRules = d.rt.calibration.shippedRules.momentRules;
  return (
    await all(
      d,
      "SELECT m.id, m.risk, m.severity, m.reasons, i.external_id FROM moments m JOIN interactions i ON i.id = m.trigger_id ORDER BY m.trigger_at",
    )
  ).map((r) => ({
    id: String(r.id),
    risk: Number(r.risk),
    severity: String(r.severity),
    tweet: byKey.get(String(r.external_id))!,
    strengths: strengthsOf(
      Object.fromEntries(
        (JSON.parse(String(r.reasons)) as Array<{ code: string; weight: number }>).map((x) => [x.code, x.weight]),
      ),
      shippedRules,
      shippedRules,
    ),
  }));
};

const baseline = await deployment(lexiconDir);
const calibrated = await deployment(lexiconDir);
try {
  // 3. The first part, judged by the simulated agent.
  await replay(calibrated, partA);
  const given = { confirmed: 0, false_alarm: 0, missed: 0 };
  const judged: JudgedInteraction[] = [];
  for (const i of await interactionsOf(calibrated)) {
    let verdict: keyof typeof given | null = null;
    if (i.flagged) verdict = i.tweet.complaint ? "confirmed" : "false_alarm";
    else if (i.tweet.complaint && draw(i.tweet.key, "notice") < reportsMisses) verdict = "missed";
    // An unflagged tweet nobody reported: not a complaint as far as verdicts tell, as the server reads it.
    if (!verdict) {
      if (!i.flagged) judged.push({ risk: i.risk, covariates: i.covariates, positive: false });
      continue;
    }
    const res = await calibrated.call("POST", `/v1/interactions/${i.id}/verdict`, { verdict });
    if (res.status !== 201) throw new Error(`verdict: ${res.status} ${JSON.stringify(res.body)}`);
    given[verdict]++;
    judged.push({ risk: i.risk, covariates: i.covariates, positive: verdict !== "false_alarm" });
  }
  const momentVerdicts = { confirmed: 0, false_alarm: 0 };
  const judgedMomentsA: JudgedMoment[] = [];
  for (const m of await momentsOf(calibrated)) {
    judgedMomentsA.push({ strengths: m.strengths, confirmed: m.tweet.complaint });
    const verdict = m.tweet.complaint ? "confirmed" : "false_alarm";
    if ((await calibrated.call("POST", `/v1/moments/${m.id}/verdict`, { verdict })).status === 201)
      momentVerdicts[verdict]++;
  }
  console.log(
    `verdicts on the first part: interactions ${given.confirmed} confirmed, ${given.false_alarm} false alarms, ${given.missed} missed; moments ${momentVerdicts.confirmed} confirmed, ${momentVerdicts.false_alarm} false alarms`,
  );

  // 4. The calibration, fitted, proposed and activated; then the rest of the stream.
  const proposal = await calibrated.call("POST", "/v1/calibrations", {
    days: 60,
    keepRecall: Number(values["keep-recall"]),
  });
  if (proposal.status !== 201) throw new Error(`calibration: ${proposal.status} ${JSON.stringify(proposal.body)}`);
  const fit = proposal.body.fit;
  const ms = fit.interaction.measured ?? {};
  console.log(
    `fit (5-fold cross-validation on those verdicts), held-out log loss / Brier: ${Object.entries(ms)
      .map(([m, v]) => `${m} ${(v as { logLoss: number }).logLoss} / ${(v as { brier: number }).brier}`)
      .join("; ")}; chosen: ${fit.interaction.chosen ?? fit.interaction.why}`,
  );
  console.log(
    `moments (held-out AUC): ${fit.moment.fitted ? `rules in force ${fit.moment.measured.inForce.auc}, noisy-OR ${fit.moment.measured.noisy_or.auc}, logistic ${fit.moment.measured.logistic.auc}; chosen: ${fit.moment.chosen}` : fit.moment.why}`,
  );
  const activated = await calibrated.call("POST", `/v1/calibrations/${proposal.body.id}/activate`, {});
  if (activated.status !== 200) throw new Error(`activate: ${activated.status} ${JSON.stringify(activated.body)}`);
  await replay(calibrated, partB);
  await replay(baseline, stream);

  // 5. The rest, side by side.
  const inB = new Set(partB.map((t) => t.key));
  const before = (await interactionsOf(baseline)).filter((i) => inB.has(i.tweet.key));
  const after = new Map((await interactionsOf(calibrated)).map((i) => [i.tweet.key, i]));
  const complaints = before.filter((i) => i.tweet.complaint).length;
  const pct = (x: number | null) => (x === null ? "—" : `${(100 * x).toFixed(1)} %`);
  const pr = (flags: Array<{ flagged: boolean; positive: boolean }>, positives: number) => {
    const tp = flags.filter((f) => f.flagged && f.positive).length;
    const n = flags.filter((f) => f.flagged).length;
    const p = wilson(tp, n);
    return { flags: n, precision: p, recall: positives ? tp / positives : null };
  };
  const prLine = (label: string, r: ReturnType<typeof pr>) =>
    `  ${label.padEnd(44)} ${String(r.flags).padStart(5)} flags  precision ${pct(r.precision.value)} (${pct(r.precision.low)}–${pct(r.precision.high)})  recall ${pct(r.recall)}`;

  // The probability maps, each fitted on the first part's verdicts (and its quiet unflagged tweets) as the
  // server groups them, by risk to two decimals.
  const points = new Map<number, { x: number; pos: number; neg: number }>();
  for (const j of judged) {
    const x = Math.round(j.risk * 100) / 100;
    const p = points.get(x) ?? { x, pos: 0, neg: 0 };
    if (j.positive) p.pos++;
    else p.neg++;
    points.set(x, p);
  }
  const covariateMap = fitCovariateMap(judged);
  console.log(`\non the last ${partB.length} tweets (${complaints} complaints), each tweet's label as the truth:`);
  printProbabilityFit(
    before.map((i) => ({ risk: i.risk, covariates: i.covariates, positive: i.tweet.complaint })),
    [...points.values()],
    covariateMap,
    (proposal.body.complaint?.map as ProbabilityMap | undefined)?.method,
  );

  console.log("interactions flagged, at the threshold in force:");
  const shipped = pr(
    before.map((i) => ({ flagged: i.flagged, positive: i.tweet.complaint })),
    complaints,
  );
  const cal = pr(
    before.map((i) => ({ flagged: after.get(i.tweet.key)!.flagged, positive: i.tweet.complaint })),
    complaints,
  );
  console.log(prLine(`shipped (risk ≥ ${proposal.body.effect.interactions.thresholdBefore})`, shipped));
  console.log(prLine(`calibrated (probability ≥ ${proposal.body.complaint?.threshold ?? "—"})`, cal));
  // At the same recall: the most precise threshold on the uncalibrated risk that keeps the calibrated recall.
  const same = thresholdKeepingRecall(
    before.map((i) => ({ score: i.risk, positive: i.tweet.complaint })),
    cal.recall ?? 0,
  );
  console.log(
    `  uncalibrated risk at the calibrated recall: threshold ${same?.threshold.toFixed(2)}, precision ${pct(same?.precision ?? null)}, recall ${pct(same?.recall ?? null)}`,
  );
  const gain = (cal.precision.value ?? 0) - (same?.precision ?? 0);
  const gainShipped = (cal.precision.value ?? 0) - (shipped.precision.value ?? 0);
  console.log(
    `  precision over the shipped threshold: ${gainShipped >= 0 ? "+" : ""}${(100 * gainShipped).toFixed(1)} points (recall ${pct(shipped.recall)} → ${pct(cal.recall)}); at the same recall: ${gain >= 0 ? "+" : ""}${(100 * gain).toFixed(1)} points`,
  );

  const mB = (await momentsOf(baseline)).filter((m) => inB.has(m.tweet.key));
  const mC = (await momentsOf(calibrated)).filter((m) => inB.has(m.tweet.key));
  // A complaint is caught when a moment is raised on it.
  const mPositives = complaints;
  console.log("moments raised on the last part (real when the triggering tweet is a complaint):");
  const mShipped = pr(
    mB.map((m) => ({ flagged: true, positive: m.tweet.complaint })),
    mPositives,
  );
  const mCal = pr(
    mC.map((m) => ({ flagged: true, positive: m.tweet.complaint })),
    mPositives,
  );
  console.log(prLine("shipped rules", mShipped));
  console.log(prLine(`calibrated rules (${fit.moment.fitted ? "refitted" : "unchanged"})`, mCal));
  // The severity bands: cut on the fit window by the calibration, so "critical" stays rare after it.
  const mix = (ms: Array<{ severity: string }>) =>
    ["critical", "high", "medium", "low"].map((s) => `${s} ${ms.filter((m) => m.severity === s).length}`).join(", ");
  const eff = proposal.body.effect.moments;
  if (eff)
    console.log(
      `  severity: shipped ${mix(mB)}; calibrated ${mix(mC)} (cuts ${Object.entries(proposal.body.momentRules.severity)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ", ",
        )}); the proposal on its window: critical ${eff.critical.before} of ${eff.flagsBefore} → ${eff.critical.after} of ${eff.flagsAfter}`,
    );
  const mSame = thresholdKeepingRecall(
    mB.map((m) => ({ score: m.risk, positive: m.tweet.complaint })),
    ((mCal.recall ?? 0) * mPositives) / Math.max(1, mB.filter((m) => m.tweet.complaint).length),
  );
  if (mSame && (mCal.recall ?? 0) <= (mShipped.recall ?? 0)) {
    const mGain = (mCal.precision.value ?? 0) - mSame.precision;
    console.log(
      `  shipped moments at the calibrated recall: precision ${pct(mSame.precision)}; calibrated ${mGain >= 0 ? "+" : ""}${(100 * mGain).toFixed(1)} points at the same recall`,
    );
  } else
    console.log(
      "  the calibrated rules catch more complaints than the shipped ones raise moments on: no shipped threshold reaches their recall",
    );

  // 6. Every method side by side at one recall: the calibrated deployment's (bench/calibration-methods.ts).
  console.log("");
  compareMethods({
    heldOut: before.map((i) => ({ risk: i.risk, covariates: i.covariates, positive: i.tweet.complaint })),
    points: [...points.values()],
    covariateMap,
    recall: cal.recall ?? 0,
    complaints,
    heldOutMoments: mB.map((m) => ({ strengths: m.strengths, confirmed: m.tweet.complaint })),
    judgedMoments: judgedMomentsA,
    shippedWeights: Object.fromEntries(
      Object.entries(baseline.rt.calibration.shippedRules.momentRules.signals).map(([c, v]) => [c, v.weight]),
    ),
    momentRecall: mCal.recall ?? 0,
  });
} finally {
  await baseline.rt.close();
  await calibrated.rt.close();
  rmSync(baseline.dir, { recursive: true, force: true });
  rmSync(calibrated.dir, { recursive: true, force: true });
  rmSync(lexiconDir, { recursive: true, force: true });
}
