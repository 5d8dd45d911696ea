// Builds the derived word lists of lexicons/zh, ko and es from the openly licensed sources in
// ../shared/lexicon-sources (each list keeps its source's license and attribution in its header):
//   npx tsx scripts/build-locale-lexicons.ts [path/to/lexicon-sources]
// Hand-written grammar (negators, degree words, endings) and need phrasings are not built here:
// they live in each language's sentiment.json, needs.json and the other files beside them.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenCC from "opencc-js/t2cn";

const sources = process.argv[2] ?? join(import.meta.dirname, "../../shared/lexicon-sources");
const out = join(import.meta.dirname, "../lexicons");

function write(file: string, header: Record<string, string>, words: Map<string, number>, phrases = new Map<string, number>()) {
  const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(join(out, file), `${JSON.stringify({ ...header, words: sorted(words), phrases: sorted(phrases) }, null, 1)}\n`);
  console.log(`${file}: ${words.size} words, ${phrases.size} phrases`);
}

/**
 * Parts of speech (jieba's dictionary tags) kept from NTUSD: adjectives (a, ad, an), state words (z),
 * idioms (i) and fixed expressions (l). NTUSD's nouns, verbs and adverbs are mostly words that name
 * a thing or an act, not an opinion of it (时间, 发现, 感觉, 送到 are "positive" there), and at ±2 they
 * outweighed the opinion words around them; words jieba does not know are long, rare phrases. The
 * opinion verbs and nouns a customer uses (喜欢, 失望, 投诉) are in sentiment.json, hand-weighted.
 */
const NTUSD_TAGS = new Set(["a", "ad", "an", "z", "i", "l"]);

/** jieba's dictionary (MIT, shipped in @node-rs/jieba): each word's part-of-speech tag. */
function jiebaTags(): Map<string, string> {
  const tags = new Map<string, string>();
  const text = readFileSync(join(import.meta.dirname, "../node_modules/@node-rs/jieba/dict.txt"), "utf8");
  for (const line of text.split("\n")) {
    const [word, , tag] = line.trim().split(/\s+/);
    if (word && tag) tags.set(word, tag);
  }
  return tags;
}

/** NTUSD (MIT): traditional Big5 word lists, converted to simplified; words in both lists are left out. */
function ntusd() {
  const toSimplified = OpenCC.Converter({ from: "tw", to: "cn" });
  const read = (name: string) =>
    new TextDecoder("big5", { fatal: true })
      .decode(readFileSync(join(sources, "ntusd", name)))
      .split(/\r?\n/)
      .map((w) => w.trim())
      .filter(Boolean);
  const words = new Map<string, number>();
  const both = new Set<string>();
  for (const [name, valence] of [["正面詞無重複_9365詞.txt", 2], ["負面詞無重複_11230詞.txt", -2]] as const) {
    for (const w of read(name)) {
      for (const form of new Set([toSimplified(w)])) {
        const had = words.get(form);
        if (had !== undefined && had !== valence) both.add(form);
        words.set(form, valence);
      }
    }
  }
  for (const w of both) words.delete(w);
  const tags = jiebaTags();
  for (const w of [...words.keys()]) if (!NTUSD_TAGS.has(tags.get(w) ?? "")) words.delete(w);
  write(
    "zh/sentiment-ntusd.json",
    {
      $source: "NTUSD, National Taiwan University Sentiment Dictionary, 2022 release (ntunlplab/NTUSD, commit a25ab90f13e483d0786230ac3e016858176f54bd): positive and negative word lists, converted from traditional to simplified characters with opencc-js; words in both lists after conversion left out; only adjectives, state words, idioms and fixed expressions by jieba's dictionary tags (a, ad, an, z, i, l; jieba, MIT); every word weighs ±2.",
      $license: "MIT, Copyright (c) 2022 NTU NLPLab. Cite Ku & Chen (2007), Mining Opinions from the Web: Beyond Relevance Retrieval, JASIST 58(12).",
    },
    words,
  );
}

const CONTENT = new Set(["NNG", "VA", "VV", "XR", "MAG"]);
/**
 * Words that are neutral in customer text but carry a polarity in KOSAC, whose seeds come from news
 * articles (plans, the world, books are "positive" there because of the stories they appeared in).
 */
const NEUTRAL_IN_SERVICE = new Set(
  "위하 세계 계획 책 자연 국내 섬 포장 자리 예정 신 만화 이야기 마음 세상 삶 모으 알리 끌 찾 높이 얻 이루 관심 인기 다양 예술 적극 제기 기회 흥행 혐의 지적 사고 모르 있 더 다 잘 너무 가격 가꾸 가늠 가도 남자 여자 배우 연극 연기 무대 입 위치 이용 임금 수요 작동 듣 남 스스로 모두 그동안 길 불 풀 빼 벗 뚫 넘 멀 낮 깊 쓰 소리 물건 움직임 출연 혼자 기록 기획 강조 경험 생명 재산 책임 행위 처지 식민 사슬 잔치 확산 열리 본격 특수 의도 유행 매우".split(" "),
);

/**
 * KOSAC (CC BY-SA 4.0): morpheme n-grams with polarity and intensity counts. Kept: content morphemes
 * (nouns, adjective and verb stems, roots, adverbs) alone, and noun + adjective/verb pairs written as
 * one word (재미/NNG 없/VA → 재미없); the valence is (POS − NEG) / count, scaled by the intensity.
 */
function kosac() {
  const csv = (name: string) =>
    readFileSync(join(sources, "kosac-lexicon", name), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
  const intensity = new Map(csv("intensity.csv").map(([ngram, high, low, medium]) => [ngram, { high: +high, low: +low, medium: +medium }]));
  const words = new Map<string, number>();
  const phrases = new Map<string, number>();
  for (const [ngram, comp, neg, neut, none, pos] of csv("polarity.csv")) {
    if (ngram.includes("*")) continue;
    const morphemes = ngram.split(" ").map((m) => m.split("/"));
    const total = +comp + +neg + +neut + +none + +pos;
    const polarity = (+pos - +neg) / total;
    if (Math.abs(polarity) < 0.5 || total < 1) continue;
    const i = intensity.get(ngram);
    const graded = i ? i.high + i.low + i.medium : 0;
    const scale = graded ? (1.5 * i!.high + i!.medium + 0.6 * i!.low) / graded : 1;
    const valence = Math.round(polarity * 2 * scale * 2) / 2;
    if (valence === 0) continue;
    // Adjective stems and roots are evaluative in themselves; nouns, verbs and adverbs only with more evidence.
    const tag0 = morphemes[0][1];
    const evaluative = tag0 === "VA" || tag0 === "XR";
    if (total < 2 || (!evaluative && (total < 3 || Math.abs(polarity) < 0.8))) continue;
    if (NEUTRAL_IN_SERVICE.has(morphemes[0][0])) continue;
    if (morphemes.length === 1 && CONTENT.has(morphemes[0][1])) {
      const [surface, tag] = morphemes[0];
      // One-syllable nouns and adverbs are too often part of other words to be matched as prefixes.
      if (surface.length < 2 && (tag === "NNG" || tag === "MAG")) continue;
      words.set(surface, valence);
    } else if (morphemes.length === 2 && morphemes[0][1] === "NNG" && (morphemes[1][1] === "VA" || morphemes[1][1] === "VV")) {
      words.set(morphemes[0][0] + morphemes[1][0], valence);
      phrases.set(`${morphemes[0][0]} ${morphemes[1][0]}`, valence);
    }
  }
  write(
    "ko/sentiment-kosac.json",
    {
      $source: "KOSAC sentiment lexicon (Korean Sentiment Analysis Corpus, Seoul National University; lexicon by Sumin Park, suparklingmin/kosac-lexicon commit 4a481ccc8f75a838995c07ce44e45d1b3d0f8777): content morphemes and noun + predicate pairs, valence = (POS − NEG) / count × 2, scaled by the intensity counts.",
      $license: "CC BY-SA 4.0 (this derived list is CC BY-SA 4.0 too). Credit: KOSAC, Seoul National University (Shin Hyopil et al., PACLIC 2012), and the lexicon's author Sumin Park.",
    },
    words,
    phrases,
  );
}

/** ElhPolar (LGPLLR): lemmas and multiword terms (joined with _), positive or negative; lemmas in both lists left out. */
function elhpolar() {
  const words = new Map<string, number>();
  const phrases = new Map<string, number>();
  const both = new Set<string>();
  for (const line of readFileSync(join(sources, "elhpolar", "ElhPolar_esV1.lex"), "utf8").split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [lemma, polarity] = line.trim().split(/\s+/);
    if (polarity !== "positive" && polarity !== "negative") continue;
    const valence = polarity === "positive" ? 2 : -2;
    const term = lemma.toLowerCase().replace(/_/g, " ");
    const into = term.includes(" ") ? phrases : words;
    if (into.has(term) && into.get(term) !== valence) both.add(term);
    into.set(term, valence);
  }
  for (const t of both) (words.delete(t), phrases.delete(t));
  write(
    "es/sentiment-elhpolar.json",
    {
      $source: "ElhPolar v1.0 Spanish polarity lexicon (Saralegi & San Vicente 2013, Elhuyar Foundation; file as distributed in poketmonster/sentimentanalisys commit f05aeff57a295a73ccceb613eb2f00b57fe2848a with the authors' header): lemmas ±2, multiword terms as phrases; the 4 lemmas in both lists left out.",
      $license: "Lesser General Public License For Linguistic Resources (LGPLLR), as stated in the source file's header; this modified version is LGPLLR too. Cite X. Saralegi, I. San Vicente (2013), Elhuyar at TASS 2013, Proc. TASS workshop at SEPLN 2013, pp. 143-150.",
    },
    words,
    phrases,
  );
}

/**
 * Simplified character → the traditional characters OpenCC converts to it (发 → 發髮), from
 * opencc-js's Taiwan-to-mainland tables: the engine widens its simplified patterns with them and
 * knows from them which texts need converting, without loading OpenCC at start-up.
 */
function scriptVariants() {
  const toSimplified = OpenCC.Converter({ from: "tw", to: "cn" });
  const chars: string[] = [];
  for (let u = 0x3400; u <= 0x9fff; u++) chars.push(String.fromCharCode(u));
  const simplified = toSimplified(chars.join("\n")).split("\n");
  const variants = new Map<string, string>();
  for (let i = 0; i < chars.length; i++) {
    if (simplified[i] === chars[i] || simplified[i].length !== 1) continue;
    variants.set(simplified[i], (variants.get(simplified[i]) ?? "") + chars[i]);
  }
  const sorted = Object.fromEntries([...variants].sort(([a], [b]) => a.codePointAt(0)! - b.codePointAt(0)!));
  writeFileSync(
    join(out, "zh/script-variants.json"),
    `${JSON.stringify({ $source: "opencc-js 1.4.2 (OpenCC data): each CJK character U+3400–U+9FFF converted from Taiwan to mainland characters one at a time; the characters that change, grouped by their simplified form.", $license: "Apache-2.0 (OpenCC, opencc-js)", variants: sorted })}\n`,
  );
  console.log(`zh/script-variants.json: ${variants.size} simplified characters`);
}

ntusd();
scriptVariants();
kosac();
elhpolar();
