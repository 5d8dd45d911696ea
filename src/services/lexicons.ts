import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import {
  baseWordsFileSchema,
  lexiconFileSchemas,
  scriptVariantsFileSchema,
  type LexiconSources,
  type LocaleSources,
  type PiiKind,
} from "../analysis/lexicon-schema.js";
import { compileLanguagePacks } from "../analysis/languages/pack.js";
import { modelFileSchema } from "../analysis/learned/index.js";
import type { PiiRules } from "../analysis/masking.js";
import { formatIssues } from "../lib/field-errors.js";
import { compileLexicons, withModel, type Lexicons } from "../analysis/lexicons.js";
import { MAX_STEMMED_LENGTH } from "../analysis/stem.js";

export const defaultLexiconDir = fileURLToPath(new URL("../../lexicons", import.meta.url));
const require = createRequire(import.meta.url);

/** Bumped when the engine's rules change in a way that changes results for the same lexicons. */
export const ENGINE_VERSION = "1";

export class LexiconError extends Error {}

/**
 * Reads, validates and compiles the lexicon files. The version is a hash of their content (and the
 * engine version), so every stored analysis says exactly which lexicons produced it.
 */
/** One rule file, read and validated: bad JSON or a bad field stops start-up naming the file and field. */
export function loadRuleFile<T extends z.ZodType>(path: string, schema: T): { data: z.infer<T>; raw: string } {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (e) {
    throw new LexiconError(`Cannot read ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new LexiconError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new LexiconError(`${path} is invalid:\n${formatIssues(parsed.error)}`);
  return { data: parsed.data, raw };
}

/** The learned model beside the lexicons; `npm run train` writes it. */
export const MODEL_FILE = "model-en.json";

/**
 * The lexicons with the learned model when `dir` holds one (`model: false` leaves it out). A model
 * file that is there but bad stops start-up, as a bad lexicon does.
 */
export function loadLexicons(dir = defaultLexiconDir, options: { model?: boolean } = {}): Lexicons {
  const lex = loadRulesOnly(dir, options.model !== false);
  const path = join(dir, MODEL_FILE);
  if (options.model === false || !existsSync(path)) return lex;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new LexiconError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return withModel(lex, json);
  } catch (e) {
    throw new LexiconError(`${path}: ${(e as Error).message}`);
  }
}

/** The lexicons (with each language's model when `languageModels`), without English's model. */
function loadRulesOnly(dir: string, languageModels: boolean): Lexicons {
  const hash = createHash("sha256").update(ENGINE_VERSION);
  const files = {} as Record<keyof typeof lexiconFileSchemas, unknown>;
  for (const [name, schema] of Object.entries(lexiconFileSchemas) as [
    keyof typeof lexiconFileSchemas,
    (typeof lexiconFileSchemas)[keyof typeof lexiconFileSchemas],
  ][]) {
    const { data, raw } = loadRuleFile(join(dir, `${name}.json`), schema);
    hash.update(name).update(raw);
    files[name] = data;
  }
  const locales = loadLocales(dir, hash, languageModels);
  const emoji = require("sentiment/build/emoji.json") as Record<string, number>;
  const sources: LexiconSources = {
    ...(files as Omit<LexiconSources, "afinn" | "emoji" | "extraSentiment">),
    afinn: require("sentiment/languages/en/labels.json") as Record<string, number>,
    emoji,
    extraSentiment: {},
  };
  const lexicons = compileLexicons(sources, `${ENGINE_VERSION}.${hash.digest("hex").slice(0, 12)}`);
  lexicons.packs = compileLanguagePacks(locales, lexicons, emoji);
  return lexicons;
}

const spanishStems = new Map<string, string>();

/** Languages analysed in full, each with a folder of its own under lexicons/. */
export const fullLanguages = ["es", "zh", "ko"] as const;

/** A fully analysed language's learned model, beside its lexicons; `npm run train -- --language <code>` writes it. */
export const languageModelFile = (code: string) => join(code, "model.json");

/**
 * Each fully analysed language's files (lexicons/<code>/), read, validated and hashed into the
 * version; its model too, when there is one and `models` is set.
 */
function loadLocales(dir: string, hash: ReturnType<typeof createHash>, models: boolean): Record<string, LocaleSources> {
  const spanishStemmer = require("natural/lib/natural/stemmers/porter_stemmer_es.js") as { stem(w: string): string };
  const derived: Record<(typeof fullLanguages)[number], string[]> = {
    es: ["sentiment-elhpolar"],
    zh: ["sentiment-ntusd"],
    ko: ["sentiment-kosac"],
  };
  const out: Record<string, LocaleSources> = {};
  for (const code of fullLanguages) {
    const file = <T extends z.ZodType>(name: string, schema: T): z.infer<T> => {
      const { data, raw } = loadRuleFile(join(dir, code, `${name}.json`), schema);
      hash.update(`${code}/${name}`).update(raw);
      return data;
    };
    out[code] = {
      sentiment: file("sentiment", lexiconFileSchemas.sentiment),
      base: derived[code].map((name) => file(name, baseWordsFileSchema)),
      emotions: file("emotions", lexiconFileSchemas.emotions),
      topics: file("topics", lexiconFileSchemas.topics),
      needs: file("needs", lexiconFileSchemas.needs),
      complaint: file("complaint", lexiconFileSchemas.complaint),
    };
    const modelPath = join(dir, languageModelFile(code));
    if (models && existsSync(modelPath)) {
      const { data, raw } = loadRuleFile(modelPath, modelFileSchema);
      if (data.language !== code) throw new LexiconError(`${modelPath} is invalid:\n  language: must be ${code}`);
      hash.update(`${code}/model`).update(raw);
      out[code].model = JSON.parse(raw);
    }
  }
  const variants = loadRuleFile(join(dir, "zh", "script-variants.json"), scriptVariantsFileSchema);
  hash.update("zh/script-variants").update(variants.raw);
  out.zh.scriptVariants = variants.data.variants;
  out.es.base.unshift({
    $source: "natural's Spanish AFINN list (afinnShortSortedSpanish.json)",
    $license: "MIT (natural)",
    words: require("natural/lib/natural/sentiment/Spanish/afinnShortSortedSpanish.json") as Record<string, number>,
    phrases: {},
  });
  // Very long tokens are left as they are, as the English stem() does (the stemmers are quadratic).
  // Memoised per thread: every load stems the ~6,000 base words again, and messages repeat words.
  out.es.stem = (word) => {
    if (word.length > MAX_STEMMED_LENGTH) return word;
    let s = spanishStems.get(word);
    if (s === undefined) {
      if (spanishStems.size >= 50_000) spanishStems.clear();
      spanishStems.set(word, (s = spanishStemmer.stem(word)));
    }
    return s;
  };
  return out;
}

/**
 * The masks of personal data alone (lexicons/pii.json), for masking on a thread that does not load the
 * analysis engine: the same file, and so the same rules, as the analysis workers mask with.
 */
export function loadPiiRules(dir = defaultLexiconDir): PiiRules {
  const { data } = loadRuleFile(join(dir, "pii.json"), lexiconFileSchemas.pii);
  return new Map(Object.entries(data.kinds) as [PiiKind, { redact: boolean; mask: string }][]);
}
