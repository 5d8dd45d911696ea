// The evaluation sets of bench:quality: which texts, which labels, which figures. A set's id is the
// data set's folder in ../shared/datasets, or `folder:part` for one part of it (an airline, a
// TweetEval task): the unit that leave-one-out training leaves out.
import {
  airlineTweets,
  bitext,
  goEmotions,
  interTass,
  isAirlineComplaint,
  tweetEval,
  tweetevalSentiment,
  uciSentences,
  type Polarity,
} from "../datasets.js";
import { goEmotionsToOurs, tweetEvalEmotionToOurs } from "../label-maps.js";
import {
  auc,
  brier,
  ece,
  macroF1,
  macroRecall,
  multiLabelF1,
  reliabilityBins,
  type ReliabilityBin,
} from "../metrics.js";
import type { Channel, Scores } from "./scorers.js";

export interface Figure {
  metric: string;
  value: number;
  /** Brier and ECE: lower is better. */
  lowerIsBetter?: boolean;
}

export interface EvalSet {
  id: string;
  name: string;
  channel: Channel;
  texts: string[];
  /** The figures for one scorer's scores of `texts`; `probabilities` adds Brier and ECE. */
  evaluate(scores: Scores[], probabilities: boolean): Figure[];
  /** Reliability bins of the complaint probability, for the diagram (complaint sets only). */
  reliability?(scores: Scores[]): ReliabilityBin[];
  /** Drawn in the reliability diagram (default yes, for sets with reliability bins). */
  inDiagram?: boolean;
}

const POLARITIES: Polarity[] = ["negative", "neutral", "positive"];
const n = (x: number) => x.toLocaleString("en-US");

/** A deterministic sample of at most n rows (mulberry32 shuffle), for --quick runs. */
export function sample<T>(rows: T[], n: number, seed = 20261203): T[] {
  if (rows.length <= n) return rows;
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...rows];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

/** Complaint detection: macro-F1 of the scorer's own flag, AUC of its risk, and calibration when it is a probability. */
function complaintSet(
  id: string,
  name: string,
  channel: Channel,
  rows: Array<{ text: string; complaint: boolean }>,
  inDiagram = true,
): EvalSet {
  const gold = rows.map((r) => r.complaint);
  return {
    id,
    name: `${name} (${n(rows.length)}, ${n(gold.filter(Boolean).length)} complaints)`,
    channel,
    texts: rows.map((r) => r.text),
    evaluate(scores, probabilities) {
      const risk = scores.map((s) => s.risk);
      const figures: Figure[] = [
        {
          metric: "complaint macro-F1 at the shipped threshold",
          value: macroF1(
            gold,
            scores.map((s) => s.flagged),
            [true, false],
          ),
        },
        { metric: "complaint AUC of the risk", value: auc(risk, gold) },
        // Above 1 the threshold flags more messages than there are complaints, below 1 fewer.
        {
          metric: "flagged ÷ complaints",
          value: scores.filter((s) => s.flagged).length / (gold.filter(Boolean).length || 1),
        },
      ];
      if (probabilities)
        figures.push(
          { metric: "complaint Brier", value: brier(risk, gold), lowerIsBetter: true },
          { metric: "complaint ECE (10 bins)", value: ece(risk, gold), lowerIsBetter: true },
        );
      return figures;
    },
    reliability: (scores) =>
      reliabilityBins(
        scores.map((s) => s.risk),
        gold,
      ),
    inDiagram,
  };
}

function polaritySet(
  id: string,
  name: string,
  channel: Channel,
  rows: Array<{ text: string; label: Polarity }>,
): EvalSet {
  return {
    id,
    name: `${name} (${n(rows.length)})`,
    channel,
    texts: rows.map((r) => r.text),
    evaluate: (scores) => [
      {
        metric: "3-class macro-averaged recall",
        value: macroRecall(
          rows.map((r) => r.label),
          scores.map((s) => s.polarity),
          POLARITIES,
        ),
      },
    ],
  };
}

/**
 * Emotions: mean F1 over Earshot's emotions that the set's labels map onto; Brier and ECE of the
 * confidence of each (text, emotion) pair, 0 when the emotion is not reported.
 */
function emotionSet(
  id: string,
  name: string,
  channel: Channel,
  rows: Array<{ text: string; emotions: Set<string> }>,
  labels: string[],
): EvalSet {
  return {
    id,
    name: `${name} (${n(rows.length)})`,
    channel,
    texts: rows.map((r) => r.text),
    evaluate(scores, probabilities) {
      if (!scores[0]?.emotions) return [];
      const pred = scores.map((s) => new Set(labels.filter((l) => s.emotions!.has(l))));
      const f = multiLabelF1(
        rows.map((r) => r.emotions),
        pred,
        labels,
      );
      const figures: Figure[] = [
        { metric: `mean F1 over ${labels.length} emotions (${labels.join(", ")})`, value: f.mean },
      ];
      if (probabilities) {
        const p: number[] = [],
          y: boolean[] = [];
        scores.forEach((s, i) => {
          for (const l of labels) {
            p.push(s.emotions!.get(l) ?? 0);
            y.push(rows[i].emotions.has(l));
          }
        });
        figures.push(
          { metric: "emotion confidence Brier", value: brier(p, y), lowerIsBetter: true },
          { metric: "emotion confidence ECE (10 bins)", value: ece(p, y), lowerIsBetter: true },
        );
      }
      return figures;
    },
  };
}

export const AIRLINE = "twitter-us-airline-sentiment";

/** Bitext intents that ask for information or a routine action, with no grievance in them. */
const BITEXT_QUESTIONS = new Set([
  "check_cancellation_fee",
  "check_invoice",
  "check_invoices",
  "check_payment_methods",
  "check_refund_policy",
  "delivery_options",
  "delivery_period",
  "get_invoice",
  "create_account",
  "newsletter_subscription",
  "place_order",
]);

/** Every evaluation set; `limit` samples each to at most that many rows (--quick). */
export function evaluationSets(limit = Infinity): EvalSet[] {
  const cap = <T>(rows: T[]) => sample(rows, limit);
  const tweets = airlineTweets().map((t) => ({ ...t, complaint: isAirlineComplaint(t) }));
  const sets: EvalSet[] = [
    complaintSet(AIRLINE, "Airline tweets", "social", cap(tweets)),
    polaritySet(AIRLINE, "Airline tweets", "social", cap(tweets)),
  ];
  for (const airline of [...new Set(tweets.map((t) => t.airline))].sort()) {
    sets.push(
      complaintSet(
        `${AIRLINE}:${airline.toLowerCase()}`,
        `Airline tweets, ${airline} only`,
        "social",
        cap(tweets.filter((t) => t.airline === airline)),
      ),
    );
  }
  // Bitext twice: the complaint intent against every other intent (refunds, cancellations and
  // payment problems count as not complaints), and against plain questions and requests only.
  const utterances = bitext();
  sets.push(
    complaintSet(
      "bitext-customer-support-intents",
      "Bitext support utterances, complaint intent vs all others",
      "chat",
      cap(utterances.map((r) => ({ text: r.text, complaint: r.label === "complaint" }))),
      false,
    ),
  );
  const askedOnly = utterances.filter((r) => r.label === "complaint" || BITEXT_QUESTIONS.has(r.label));
  sets.push(
    complaintSet(
      "bitext-customer-support-intents",
      "Bitext support utterances, complaint intent vs plain questions",
      "chat",
      cap(askedOnly.map((r) => ({ text: r.text, complaint: r.label === "complaint" }))),
    ),
  );
  sets.push(polaritySet("tweeteval:sentiment", "TweetEval sentiment val", "social", cap(tweetevalSentiment())));
  sets.push(
    polaritySet("spanish-tweets-intertass", "InterTASS Spanish tweets, test", "social", cap(interTass("test"))),
  );
  for (const source of ["amazon_cells", "imdb", "yelp"] as const) {
    const rows = cap(uciSentences(source));
    sets.push({
      id: "uci-sentiment-labelled-sentences",
      name: `UCI ${source.replace("_cells", "")} sentences (${n(rows.length)})`,
      channel: "text",
      texts: rows.map((r) => r.text),
      evaluate: (scores) => [
        {
          metric: "binary accuracy (positive when score > 0)",
          value: scores.filter((s, i) => s.sentiment > 0 === rows[i].positive).length / rows.length,
        },
      ],
    });
  }
  const ours = Object.keys(goEmotionsToOurs);
  const goRows = cap(goEmotions("dev")).map((r) => ({
    text: r.text,
    emotions: new Set(ours.filter((e) => goEmotionsToOurs[e].some((g) => r.emotions.includes(g)))),
  }));
  sets.push(emotionSet("goemotions", "GoEmotions dev", "social", goRows, ours));
  // TweetEval's anger and sadness have a counterpart in Earshot (anger, disappointment); joy and
  // optimism tweets count as carrying neither.
  const teLabels = [...new Set(Object.values(tweetEvalEmotionToOurs).filter((x): x is string => !!x))];
  const teRows = cap(tweetEval("emotion", "val")).map((r) => ({
    text: r.text,
    emotions: new Set([tweetEvalEmotionToOurs[r.label]].filter((x): x is string => !!x)),
  }));
  sets.push(emotionSet("tweeteval:emotion", "TweetEval emotion val", "social", teRows, teLabels));
  return sets;
}
