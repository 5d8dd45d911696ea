// Word segmentation for Chinese and Korean lexicon lookup, measured: npx tsx bench/segmentation.ts
// Chinese: Node's built-in Intl.Segmenter against jieba (@node-rs/jieba), with and without the
// lexicons' terms added to its dictionary. Accuracy is the share of lexicon terms that come out as
// whole words (or with word boundaries at both ends) when written inside carrier sentences made here;
// speed is µs per message over those sentences. Korean: Intl.Segmenter finds the spaces between
// words (eojeol), so the question is whether a word's stem is found: Intl.Segmenter's words against
// Earshot's reading (longest lexicon key a word starts with) over stems written with common endings.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { koreanKey } from "../src/analysis/languages/korean.js";
import { root } from "./lib.js";
import { vaderYardstick } from "./yardstick.js";

const report = vaderYardstick();
const lexicon = (lang: string, name: string) =>
  JSON.parse(readFileSync(join(root, "lexicons", lang, `${name}.json`), "utf8"));

// Chinese terms: the hand-written sentiment words and every need, topic and emotion term of two or more characters.
const zh = {
  sentiment: lexicon("zh", "sentiment"),
  needs: lexicon("zh", "needs"),
  topics: lexicon("zh", "topics"),
  emotions: lexicon("zh", "emotions"),
};
const han = (w: string) => /^[\u4e00-\u9fff]{2,}$/.test(w);
const terms = [
  ...Object.entries(zh.sentiment.words as Record<string, number>)
    .filter(([, v]) => v !== 0)
    .map(([w]) => w),
  ...(zh.needs.needs as Array<{ terms: Record<string, number> }>).flatMap((n) => Object.keys(n.terms)),
  ...(zh.topics.topics as Array<{ terms: Record<string, number> }>).flatMap((t) => Object.keys(t.terms)),
  ...Object.values(zh.emotions.emotions as Record<string, { terms: Record<string, number> }>).flatMap((e) =>
    Object.keys(e.terms),
  ),
].filter(han);
const uniqueTerms = [...new Set(terms)];
const CARRIERS = [
  "这次{}让我很意外",
  "我觉得{}。",
  "他们说{}，我不同意",
  "昨天的{}真让人想不到",
  "关于{}的事情我想问一下",
];
const sentences = uniqueTerms.flatMap((t) =>
  CARRIERS.map((c) => ({ text: c.replace("{}", t), start: c.indexOf("{}"), term: t })),
);

const intl = new Intl.Segmenter("zh", { granularity: "word" });
const jieba = Jieba.withDict(dict);
const jiebaLexicon = Jieba.withDict(dict);
jiebaLexicon.loadDict(Buffer.from(uniqueTerms.map((w) => `${w} 2000`).join("\n")));
const segmenters: Record<string, (text: string) => string[]> = {
  "Intl.Segmenter": (text) => Array.from(intl.segment(text), (s) => s.segment),
  jieba: (text) => jieba.cut(text, true),
  "jieba + lexicon terms": (text) => jiebaLexicon.cut(text, true),
};

const lines = [
  "| segmenter | terms whole % | terms with boundaries at both ends % | µs per message |",
  "|---|---:|---:|---:|",
];
const timings: Array<[string, number]> = [];
for (const [name, cut] of Object.entries(segmenters)) {
  let whole = 0;
  let aligned = 0;
  for (const s of sentences) {
    const bounds = new Set<number>([0]);
    let at = 0;
    let isWhole = false;
    for (const piece of cut(s.text)) {
      if (at === s.start && piece.length === s.term.length) isWhole = true;
      at += piece.length;
      bounds.add(at);
    }
    if (isWhole) whole++;
    if (bounds.has(s.start) && bounds.has(s.start + s.term.length)) aligned++;
  }
  const texts = sentences.map((s) => s.text);
  for (const t of texts.slice(0, 500)) cut(t);
  const t0 = performance.now();
  let sink = 0;
  for (let round = 0; round < 3; round++) for (const t of texts) sink += cut(t).length;
  const us = ((performance.now() - t0) * 1000) / (3 * texts.length);
  if (sink < 0) throw new Error("unreachable");
  timings.push([`${name} (Chinese)`, us]);
  lines.push(
    `| ${name} (Chinese, ${uniqueTerms.length} terms × ${CARRIERS.length} sentences) | ${((100 * whole) / sentences.length).toFixed(1)} | ${((100 * aligned) / sentences.length).toFixed(1)} | ${us.toFixed(1)} |`,
  );
}

// Korean: stems of the hand-written lexicon, each with endings a customer writes.
const ko = lexicon("ko", "sentiment");
const stems = Object.entries(ko.words as Record<string, number>)
  .filter(([w, v]) => v !== 0 && /^[\uac00-\ud7a3]{2,}$/.test(w))
  .map(([w]) => w);
const keys = new Set<string>(Object.keys(ko.words));
const known = { has: (w: string) => keys.has(w), longest: Math.max(...[...keys].map((k) => k.length)) };
const ENDINGS = ["고", "지만", "네요", "은데", "습니다", "기는"];
const forms = stems.flatMap((stem) => ENDINGS.map((e) => ({ text: `정말 ${stem}${e} 그래요`, stem })));
const intlKo = new Intl.Segmenter("ko", { granularity: "word" });
let intlHits = 0;
let earshotHits = 0;
const t0 = performance.now();
for (const f of forms) {
  const words = Array.from(intlKo.segment(f.text), (s) => s.segment).filter((w) => w.trim());
  if (words.some((w) => keys.has(w) && w === f.stem)) intlHits++;
}
const intlUs = ((performance.now() - t0) * 1000) / forms.length;
const t1 = performance.now();
for (const f of forms) {
  const words = f.text.split(" ").map((w) => koreanKey(w, known));
  if (words.includes(f.stem)) earshotHits++;
}
const earshotUs = ((performance.now() - t1) * 1000) / forms.length;
lines.push(
  `| Intl.Segmenter (Korean, ${stems.length} stems × ${ENDINGS.length} endings): stem found | ${((100 * intlHits) / forms.length).toFixed(1)} | | ${intlUs.toFixed(1)} |`,
);
lines.push(
  `| spaces + longest lexicon key (Korean, the same words): stem found | ${((100 * earshotHits) / forms.length).toFixed(1)} | | ${earshotUs.toFixed(1)} |`,
);
timings.push(["Intl.Segmenter (Korean)", intlUs], ["longest lexicon key (Korean)", earshotUs]);
console.log(lines.join("\n"));
report(timings);
