// Quick figures after training, through the whole analyzer with the new model: complaint on
// held-out and left-out airline tweets, 3-class sentiment on TweetEval's validation tweets (never
// trained on), the six emotions on GoEmotions dev (never trained on). bench/quality has the full protocol.
import { createAnalyzer } from "../../src/analysis/index.js";
import { withModel } from "../../src/analysis/lexicons.js";
import type { ModelFile } from "../../src/analysis/learned/index.js";
import { defaultLexiconDir, loadLexicons } from "../../src/services/lexicons.js";
import { airlineTweets, goEmotions, isAirlineComplaint, tweetEval } from "../datasets.js";
import { goEmotionsToOurs } from "../label-maps.js";
import { excluded, isHeldOut } from "./corpus.js";
import { auc, binaryMacroF1, brier, f1, macroRecall } from "./metrics.js";

export function evaluate(file: ModelFile, exclude: string[]): void {
  const analyzer = createAnalyzer(withModel(loadLexicons(defaultLexiconDir, { model: false }), file));
  const fmt = (x: number) => x.toFixed(3);
  const complaintRow = (name: string, rows: ReturnType<typeof airlineTweets>) => {
    if (!rows.length) return;
    const a = rows.map((t) => analyzer.analyze({ channel: "social", text: t.text }).stored.complaint);
    const gold = rows.map(isAirlineComplaint);
    const risk = a.map((c) => c.risk);
    console.log(
      `complaint, ${name} (${rows.length}): macro-F1 ${fmt(
        binaryMacroF1(
          a.map((c) => c.flagged),
          gold,
        ),
      )}, AUC ${fmt(auc(risk, gold))}, Brier ${fmt(brier(risk, gold))}, flag rate ${fmt(a.filter((c) => c.flagged).length / rows.length)} (complaints ${fmt(gold.filter(Boolean).length / rows.length)})`,
    );
  };
  const tweets = airlineTweets();
  const source = (t: (typeof tweets)[number]) => `twitter-us-airline-sentiment:${t.airline.toLowerCase()}`;
  complaintRow(
    "airline tweets held out",
    tweets.filter((t) => isHeldOut(t.text) && !excluded(source(t), exclude)),
  );
  complaintRow(
    "airline tweets left out of training",
    tweets.filter((t) => excluded(source(t), exclude)),
  );

  const val = tweetEval("sentiment", "val");
  const labels = val.map((r) => analyzer.analyze({ channel: "social", text: r.text }).stored.sentiment.label);
  console.log(
    `3-class sentiment, TweetEval val (${val.length}): macro recall ${fmt(
      macroRecall(
        labels,
        val.map((r) => r.label),
        ["negative", "neutral", "positive"],
      ),
    )}`,
  );

  const dev = goEmotions("dev");
  const found = dev.map(
    (r) => new Set(analyzer.analyze({ channel: "text", text: r.text }).stored.emotions.map((e) => e.id)),
  );
  const perEmotion = Object.entries(goEmotionsToOurs).map(([ours, theirs]) => {
    const gold = dev.map((r) => r.emotions.some((e) => theirs.includes(e)));
    return [
      ours,
      f1(
        found.map((s) => s.has(ours)),
        gold,
      ),
    ] as const;
  });
  const mean = perEmotion.reduce((s, [, v]) => s + v, 0) / perEmotion.length;
  console.log(
    `six emotions, GoEmotions dev (${dev.length}): mean F1 ${fmt(mean)} (${perEmotion.map(([k, v]) => `${k} ${fmt(v)}`).join(", ")})`,
  );
}
