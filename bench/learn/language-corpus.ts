// The training corpora of the language packs' models (lexicons/<code>/model.json), one per language,
// from the shared labeled sets in that language, with the parts that are never trained on.
import { fnv1a } from "../../src/analysis/learned/hashing.js";
import type { FeatureOptions } from "../../src/analysis/learned/index.js";
import { chineseReviews, datasetLicense, interTass, nsmc, type Polarity } from "../datasets.js";
import type { Row } from "./corpus.js";

export const PACK_LANGUAGES = ["zh", "ko", "es"] as const;
export type PackLanguage = (typeof PACK_LANGUAGES)[number];

export interface LanguageRecipe {
  /** Binary review sets train the positive head alone; three-class tweets train all three. */
  heads: string[];
  features?: FeatureOptions;
  buckets: number;
  keptWeights: number;
  epochs: number;
  /** Repeat the rarer label until both weigh alike (binary heads); "length": within each length band. */
  balanced?: boolean | "length";
  /**
   * Trained on every row; calibration and per-class offsets on the heads' calibrated log-odds by
   * cross-validation on the training rows (bench/learn/class-offsets.ts).
   */
  classOffsets?: boolean;
}

export const RECIPES: Record<PackLanguage, LanguageRecipe> = {
  // Character 1–3 grams across the segmenter's words, of the words the rules read as opinion only,
  // labels balanced within each length band: the choices that carry across review domains
  // (docs/languages-cjk-es.md).
  zh: {
    heads: ["sentiment:positive"],
    features: { chars: "run", minChars: 1, maxChars: 3, key: "lower", terms: "drivers" },
    buckets: 2 ** 18,
    keptWeights: 60_000,
    epochs: 4,
    balanced: "length",
  },
  // Syllable 1–3 grams across words as written (stems with their endings and negators).
  ko: {
    heads: ["sentiment:positive"],
    features: { chars: "run", minChars: 1, maxChars: 3, key: "text" },
    buckets: 2 ** 18,
    keptWeights: 60_000,
    epochs: 4,
    balanced: true,
  },
  // English's features over the accent-folded words.
  es: {
    heads: ["sentiment:negative", "sentiment:neutral", "sentiment:positive"],
    buckets: 2 ** 17,
    keptWeights: 25_000,
    epochs: 4,
    classOffsets: true,
  },
};

/**
 * The fifth of NSMC (by the text's hash) that no Korean model is trained on, nor looked at while
 * choosing the recipe: the never-seen Korean figure. (NSMC's train file is not in ../shared.)
 */
export const isKoreanTest = (text: string) => fnv1a(text, 0x5bd1e995) % 5 === 0;

/** Data set ids `exclude` accepts per language: `chinese-reviews:hotel`, `chinese-reviews:delivery`, … */
export const LANGUAGE_DATASET_IDS: Record<PackLanguage, string[]> = {
  zh: ["chinese-reviews:hotel", "chinese-reviews:delivery"],
  ko: ["nsmc-korean-movie-reviews"],
  es: ["spanish-tweets-intertass:train", "spanish-tweets-intertass:val"],
};

export function buildLanguageCorpus(lang: PackLanguage): {
  rows: Row[];
  trainedOn: Array<{ id: string; rows: number; license: string; source: string }>;
} {
  const heads = RECIPES[lang].heads;
  const rows: Row[] = [];
  const push = (text: string, label: Polarity, source: string) => {
    const labels = new Float32Array(heads.length);
    heads.forEach((h, k) => {
      labels[k] = h === `sentiment:${label}` ? 1 : 0;
    });
    rows.push({ text, channel: "text", source, labels });
  };
  if (lang === "zh")
    for (const domain of ["hotel", "delivery"] as const)
      for (const r of chineseReviews(domain)) push(r.text, r.label, `chinese-reviews:${domain}`);
  if (lang === "ko")
    for (const r of nsmc()) if (!isKoreanTest(r.text)) push(r.text, r.label, "nsmc-korean-movie-reviews");
  if (lang === "es")
    for (const split of ["train", "val"] as const)
      for (const r of interTass(split)) push(r.text, r.label, `spanish-tweets-intertass:${split}`);
  const folder = (id: string) => id.split(":")[0];
  const trainedOn = LANGUAGE_DATASET_IDS[lang].map((id) => ({
    id,
    rows: rows.filter((r) => r.source === id).length,
    license: datasetLicense(folder(id)),
    source: `../shared/datasets/${folder(id)} (see its PROVENANCE.md)${lang === "ko" ? "; four fifths, by text hash" : ""}`,
  }));
  return { rows, trainedOn };
}
