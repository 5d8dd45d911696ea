// Language detection on short customer messages: candidate detectors side by side, accuracy per
// language, how often a text comes out as English, how often short and mixed texts are reported
// with low confidence, µs per message and the heap each detector's data takes.
//   npm run bench:language
// Texts: English, Spanish, Chinese and Korean from ../shared/datasets (read in place), every other
// language from bench/data/language-messages.json (hand-written for this bench).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { airlineTweets, banking77, datasetsDir, haveDatasets } from "./datasets.js";
import { root } from "./lib.js";
import { vaderYardstick } from "./yardstick.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:language does)");
const reportInVader = process.argv.includes("--heap-of") ? () => {} : vaderYardstick();

/** Earshot reads at most this much of a text to settle its language (src/analysis/index.ts). */
const SAMPLE_CHARS = 400;
const PER_DATASET = 300;

type Labelled = { lang: string; text: string; source: string };

/** Every k-th row, so the sample spreads over the whole file and is the same on every run. */
function spread<T>(rows: T[], n: number): T[] {
  const step = Math.max(1, Math.floor(rows.length / n));
  const out: T[] = [];
  for (let i = 0; i < rows.length && out.length < n; i += step) out.push(rows[i]);
  return out;
}

const lines = (path: string) =>
  readFileSync(join(datasetsDir, path), "utf8")
    .split("\n")
    .filter((l) => l.trim());
const csvColumn = (path: string) =>
  lines(path)
    .slice(1)
    .map((l) => l.replace(/^\d+,/, "").replace(/^"|"$/g, "").replace(/""/g, '"'));

function corpus(): Labelled[] {
  const out: Labelled[] = [];
  const add = (lang: string, source: string, texts: string[]) => {
    for (const text of texts) out.push({ lang, text: text.slice(0, SAMPLE_CHARS), source });
  };
  if (haveDatasets()) {
    add(
      "en",
      "twitter-us-airline-sentiment",
      spread(
        airlineTweets().map((r) => r.text),
        PER_DATASET / 2,
      ),
    );
    add(
      "en",
      "banking77",
      spread(
        banking77().map((r) => r.text),
        PER_DATASET / 2,
      ),
    );
    add("es", "spanish-tweets-intertass", spread(lines("spanish-tweets-intertass/train_text.txt"), PER_DATASET));
    add("zh", "chinese-reviews", [
      ...spread(csvColumn("chinese-reviews/ChnSentiCorp_htl_all.csv"), PER_DATASET / 2),
      ...spread(csvColumn("chinese-reviews/waimai_10k.csv"), PER_DATASET / 2),
    ]);
    // Rows with no Hangul at all ("GDNTOPCLASSINTHECLUB") are in no language a detector could name.
    const ko = lines("nsmc-korean-movie-reviews/ratings_test.txt")
      .slice(1)
      .map((l) => l.split("\t")[1] ?? "")
      .filter((t) => /[\uac00-\ud7af]/.test(t));
    add("ko", "nsmc-korean-movie-reviews", spread(ko, PER_DATASET));
  } else console.log(`(no data sets at ${datasetsDir}: hand-written messages only)`);
  const own = JSON.parse(readFileSync(join(root, "bench/data/language-messages.json"), "utf8")) as {
    languages: Record<string, string[]>;
    short: string[];
    mixed: string[];
  };
  for (const [lang, texts] of Object.entries(own.languages)) add(lang, "hand-written", texts);
  add("short", "hand-written", own.short);
  add("mixed", "hand-written", own.mixed);
  return out;
}

interface Guess {
  code: string;
  /** False where the detector itself says its guess is unreliable. */
  confident: boolean;
}
type Detect = (text: string) => Guess;

// franc names languages by ISO 639-3; the sample's languages by their 639-1 codes.
const ISO3: Record<string, string> = {
  eng: "en",
  spa: "es",
  fra: "fr",
  deu: "de",
  por: "pt",
  nld: "nl",
  ita: "it",
  swe: "sv",
  pol: "pl",
  tur: "tr",
  rus: "ru",
  jpn: "ja",
  cmn: "zh",
  kor: "ko",
};

const candidates: Array<[name: string, load: () => Promise<Detect>]> = [
  [
    "franc-min",
    async () => {
      const { francAll } = await import("franc-min");
      return (t) => {
        const [[code, score], second] = francAll(t, { minLength: 3 });
        return { code: ISO3[code] ?? code, confident: code !== "und" && score - (second?.[1] ?? 0) > 0.05 };
      };
    },
  ],
  [
    "franc",
    async () => {
      const { francAll } = await import("franc");
      return (t) => {
        const [[code, score], second] = francAll(t, { minLength: 3 });
        return { code: ISO3[code] ?? code, confident: code !== "und" && score - (second?.[1] ?? 0) > 0.05 };
      };
    },
  ],
  [
    "tinyld",
    async () => {
      const { detectAll } = await import("tinyld");
      return (t) => {
        const [best] = detectAll(t);
        return { code: best?.lang ?? "und", confident: (best?.accuracy ?? 0) >= 0.5 };
      };
    },
  ],
  [
    "cld3-asm",
    async () => {
      const { loadModule } = await import("cld3-asm");
      const identifier = (await loadModule()).create(0, 1000);
      return (t) => {
        const r = identifier.findLanguage(t);
        return { code: r.language === "und" ? "und" : r.language.split("-")[0], confident: r.is_reliable };
      };
    },
  ],
  ...(["extrasmall", "small", "medium", "large"] as const).map((size): [string, () => Promise<Detect>] => [
    `eld/${size}`,
    async () => {
      const { eld } = (await import(`eld/${size}`)) as typeof import("eld/small");
      return (t) => {
        const r = eld.detect(t);
        return { code: r.language || "und", confident: r.isReliable() };
      };
    },
  ]),
  [
    "earshot",
    async () => {
      const { detectLanguage, LOW_CONFIDENCE } = await import("../src/analysis/language.js");
      const { loadLexicons } = await import("../src/services/lexicons.js");
      const { tokenize } = await import("../src/analysis/text.js");
      const lex = loadLexicons().languages;
      return (t) => {
        const g = detectLanguage(
          t,
          tokenize(t).filter((w) => w.kind === "word"),
          lex,
        );
        return { code: g.code, confident: g.confidence >= LOW_CONFIDENCE };
      };
    },
  ],
];

const heapNow = () => {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

// Each detector's memory is measured in a process of its own, as one worker thread would load it
// (detectors loaded earlier in the same process would share or hide each other's data).
const heapOf = process.argv.indexOf("--heap-of");
if (heapOf > 0) {
  const load = candidates.find(([name]) => name === process.argv[heapOf + 1])![1];
  const before = heapNow();
  const detect = await load();
  detect("warm the detector up once");
  console.log(((heapNow() - before) / 2 ** 20).toFixed(1));
  process.exit(0);
}
const heapMb = (name: string) =>
  Number(
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--heap-of", name], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop(),
  );

const texts = corpus();
const languages = [...new Set(texts.map((t) => t.lang))];
const scored = texts.filter((t) => t.lang !== "short" && t.lang !== "mixed");
console.log(
  `${texts.length} texts: ${languages.map((l) => `${l} ${texts.filter((t) => t.lang === l).length}`).join(", ")}`,
);

/** µs per message: two warm-up passes, then the median of five, each over fresh copies of the texts. */
function usPerMessage(detect: Detect): number {
  const passes: number[] = [];
  for (let pass = 0; pass < 7; pass++) {
    const copies = JSON.parse(JSON.stringify(scored.map((t) => t.text))) as string[];
    const t0 = performance.now();
    for (const t of copies) detect(t);
    if (pass >= 2) passes.push(((performance.now() - t0) * 1000) / copies.length);
  }
  return passes.sort((a, b) => a - b)[2];
}

interface Row {
  name: string;
  accuracy: Map<string, number>;
  asEnglish: Map<string, number>;
  overall: number;
  /** Share of texts named as another language (not counting "und"). */
  wrong: number;
  lowShort: number;
  lowMixed: number;
  us: number;
  mb: number;
}
const rows: Row[] = [];
for (const [name, load] of candidates) {
  const detect = await load();
  const mb = heapMb(name);
  const accuracy = new Map<string, number>();
  const asEnglish = new Map<string, number>();
  let right = 0;
  let wrong = 0;
  const misses = new Map<string, number>();
  for (const lang of languages) {
    const own = texts.filter((t) => t.lang === lang);
    const guesses = own.map((t) => detect(t.text));
    if (lang === "short" || lang === "mixed") {
      accuracy.set(lang, guesses.filter((g) => !g.confident || g.code === "und").length / own.length);
      continue;
    }
    const ok = guesses.filter((g) => g.code === lang).length;
    right += ok;
    wrong += guesses.filter((g) => g.code !== lang && g.code !== "und").length;
    accuracy.set(lang, ok / own.length);
    asEnglish.set(lang, guesses.filter((g) => g.code === "en").length / own.length);
    for (const g of guesses)
      if (g.code !== lang) misses.set(`${lang}→${g.code}`, (misses.get(`${lang}→${g.code}`) ?? 0) + 1);
  }
  const us = usPerMessage(detect);
  rows.push({
    name,
    accuracy,
    asEnglish,
    overall: right / scored.length,
    wrong: wrong / scored.length,
    lowShort: accuracy.get("short") ?? 0,
    lowMixed: accuracy.get("mixed") ?? 0,
    us,
    mb,
  });
  const top = [...misses].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`${name}: most frequent misses ${top.map(([k, n]) => `${k} ${n}`).join(", ") || "none"}`);
}

const pct = (x: number | undefined) => (x === undefined ? "—" : `${(x * 100).toFixed(0)}%`);
const head = [
  "detector",
  ...languages.filter((l) => l !== "short" && l !== "mixed"),
  "all",
  "all: wrong",
  "short: low",
  "mixed: low",
  "µs/msg",
  "heap MB",
];
console.log(
  "\nAccuracy per language (share of texts named correctly); all: wrong = share named as another language (undetermined is not wrong); short / mixed: share reported with low confidence or undetermined",
);
console.log(`| ${head.join(" | ")} |`);
console.log(`|${head.map(() => "---").join("|")}|`);
for (const r of rows) {
  const cells = [...r.accuracy].filter(([l]) => l !== "short" && l !== "mixed").map(([, a]) => pct(a));
  console.log(
    `| ${[r.name, ...cells, pct(r.overall), pct(r.wrong), pct(r.lowShort), pct(r.lowMixed), r.us.toFixed(1), r.mb.toFixed(1)].join(" | ")} |`,
  );
}
console.log("\nShare of each language's texts detected as English");
const others = languages.filter((l) => l !== "short" && l !== "mixed" && l !== "en");
console.log(`| detector | ${others.join(" | ")} |`);
console.log(`|---|${others.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.name} | ${others.map((l) => pct(r.asEnglish.get(l))).join(" | ")} |`);
console.log("");
reportInVader(rows.map((r) => [`${r.name}, µs per message`, r.us]));
