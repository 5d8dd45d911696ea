import type { LocaleSources } from "../lexicon-schema.js";
import { compileModel, type LearnedModel } from "../learned/index.js";
import { compileSentiment, cuePatterns, cueTerms, type Lexicons } from "../lexicons.js";
import { LiteralPrefilter, PatternSet } from "../pattern-set.js";
import type { Token } from "../text.js";
import { TokenInfoCache } from "../token-info.js";
import { prepareChinese } from "./chinese.js";
import { ChineseScript } from "./chinese-script.js";
import { loadChineseSegmenter } from "./chinese-segmenter.js";
import { conjugatedForms, prepareKorean } from "./korean.js";
import { foldSpanish, prepareSpanish } from "./spanish.js";

/**
 * A language analysed in full: its lexicons in the English engine's shapes (so sentiment, needs,
 * topics, emotions and complaint risk run the same code), and how its tokens are made ready for them
 * (Chinese cut into words and read in simplified characters, Korean words read as their stems,
 * Spanish read without accents).
 */
export interface LanguagePack {
  code: string;
  lex: Lexicons;
  prepare(tokens: Token[]): Token[];
  /** The language's learned sentiment (lexicons/<code>/model.json), when it has one. */
  model?: LearnedModel;
}

type Fold = (s: string) => string;

const MIN_STEMMED = 6;

const foldKeys = (record: Record<string, number>, fold: Fold) => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(record)) out[fold(k)] = v;
  return out;
};

/** The cue files' terms folded as tokens are (accents, script); patterns kept, run on the text as written. */
function foldCues<T extends { terms: Record<string, number> }>(entry: T, fold: Fold): T {
  return { ...entry, terms: foldKeys(entry.terms, fold) };
}

/** Each pattern widened to match both scripts (patterns are written in simplified characters). */
function withScriptVariants(patterns: Record<string, number>, toTraditional: Fold): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [source, weight] of Object.entries(patterns)) out[toTraditional(source)] = weight;
  return out;
}

export function compileLanguagePack(
  code: string,
  src: LocaleSources,
  base: Lexicons,
  emoji: Record<string, number>,
): LanguagePack {
  const model = src.model ? compileModel(src.model) : undefined;
  if (model && model.file.language !== code)
    throw new Error(`lexicons/${code}/model.json is a model for ${model.file.language}, not ${code}`);
  const script = code === "zh" && src.scriptVariants ? new ChineseScript(src.scriptVariants) : undefined;
  const toTraditional = script && ((s: string) => script.widen(s));
  const fold: Fold = code === "es" ? foldSpanish : (s) => s.toLowerCase();
  const s = src.sentiment;
  const phrases: Record<string, number> = {};
  for (const b of src.base) Object.assign(phrases, foldKeys(b.phrases, fold));
  Object.assign(phrases, foldKeys(s.phrases, fold));
  const words = src.base.map((b) => foldKeys(b.words, fold));
  const neutral = new Set([
    ...s.negators,
    ...s.negatorsAfter,
    ...Object.keys(s.intensifiers),
    ...Object.keys(s.downtoners),
    ...s.contrast.after,
    ...s.contrast.before,
  ]);
  for (const [w, v] of Object.entries(s.words)) if (v === 0) neutral.add(w);
  // Grammar words and the words the file calls neutral carry no valence from the public lists (which
  // list 一直 "always" and pero "but" among their words): removed from them, and so from the words
  // the Chinese segmenter is taught.
  for (const list of words) for (const w of neutral) delete list[fold(w)];
  for (const w of neutral) delete phrases[fold(w)];
  const file = {
    ...s,
    words: foldKeys(s.words, fold),
    phrases,
    intensifiers: foldKeys(s.intensifiers, fold),
    downtoners: foldKeys(s.downtoners, fold),
    negators: s.negators.map(fold),
    negatorsAfter: s.negatorsAfter.map(fold),
    contrast: { after: s.contrast.after.map(fold), before: s.contrast.before.map(fold) },
  };
  if (code === "ko") {
    // Predicate stems' contracted forms (나빠, 아팠) as keys of their own, with the stem's entry.
    for (const list of [...words, file.words])
      for (const [w, v] of Object.entries(list)) for (const f of conjugatedForms(w)) list[f] ??= v;
    for (const w of [...file.negatorsAfter]) file.negatorsAfter.push(...conjugatedForms(w));
  }
  if (code === "zh" && toTraditional)
    file.patterns = file.patterns.map((p) => ({ ...p, regex: toTraditional(p.regex) }));
  const prefilter = new LiteralPrefilter();
  // Short words are not stemmed (on either side), see MIN_STEMMED.
  const stem = src.stem && ((w: string) => (w.length < MIN_STEMMED ? w : src.stem!(w)));
  const sentiment = compileSentiment(file, [...words, emoji], prefilter, stem);
  const emotionEntries = Object.entries(src.emotions.emotions).map(([id, e]) => ({
    id,
    ...foldCues(e, fold),
    patterns: toTraditional ? withScriptVariants(e.patterns, toTraditional) : e.patterns,
  }));
  const needEntries = src.needs.needs.map((n) => ({
    ...foldCues(n, fold),
    patterns: toTraditional ? withScriptVariants(n.patterns, toTraditional) : n.patterns,
  }));
  const topicEntries = src.topics.topics.map((t) => foldCues(t, fold));
  const terms = { emotions: cueTerms(emotionEntries), needs: cueTerms(needEntries), topics: cueTerms(topicEntries) };
  const lex: Lexicons = {
    ...base,
    sentiment,
    sentimentByLanguage: new Map(),
    emotions: {
      labels: new Map(emotionEntries.map((e) => [e.id, e.label])),
      terms: terms.emotions,
      patterns: new PatternSet(cuePatterns(emotionEntries), prefilter),
    },
    topics: {
      minScore: src.topics.minScore,
      labels: new Map(topicEntries.map((t) => [t.id, t.label])),
      terms: terms.topics,
    },
    needs: {
      minConfidence: src.needs.minConfidence,
      labels: new Map(needEntries.map((n) => [n.id, n.label])),
      requiresNegative: new Set(needEntries.filter((n) => n.requiresNegative).map((n) => n.id)),
      requiresPositive: new Set(needEntries.filter((n) => n.requiresPositive).map((n) => n.id)),
      terms: terms.needs,
      patterns: new PatternSet(cuePatterns(needEntries), prefilter),
    },
    complaint: src.complaint,
    tokens: new TokenInfoCache(sentiment.vocabulary, [terms.emotions, terms.needs, terms.topics]),
    packs: new Map(),
  };
  // Every key the lexicons look a token up by: sentiment words and every cue term's words.
  const keys = new Set(sentiment.vocabulary.keys());
  for (const entries of [emotionEntries, needEntries, topicEntries])
    for (const e of entries) for (const t of Object.keys(e.terms)) for (const w of t.split(/\s+/)) keys.add(w);
  if (script) {
    const prefixes = [
      ...new Set([...file.negators, ...Object.keys(file.intensifiers), ...Object.keys(file.downtoners)]),
    ].sort((a, b) => b.length - a.length);
    const known = { has: (w: string) => keys.has(w), prefixes };
    let taught = false;
    const prepare = (tokens: Token[]) => {
      // The segmenter learns the lexicons' terms once, on the first Chinese text.
      if (!taught) {
        loadChineseSegmenter(keys);
        taught = true;
      }
      return prepareChinese(tokens, known, script);
    };
    return { code, lex, prepare, model };
  }
  if (code === "ko") {
    let longest = 0;
    for (const k of keys) longest = Math.max(longest, k.length);
    const known = { has: (w: string) => keys.has(w), longest };
    return { code, lex, prepare: (tokens) => prepareKorean(tokens, known), model };
  }
  return { code, lex, prepare: prepareSpanish, model };
}

/** Compiles every fully analysed language's lexicons over the English ones (sharing PII rules, language words, emoji). */
export function compileLanguagePacks(
  locales: Record<string, LocaleSources>,
  base: Lexicons,
  emoji: Record<string, number>,
): Map<string, LanguagePack> {
  return new Map(
    Object.entries(locales).map(([code, src]) => [
      code,
      lazyPack(code, () => compileLanguagePack(code, src, base, emoji)),
    ]),
  );
}

/**
 * A pack compiled on first use. The files are read and validated at start-up (a bad edit still
 * fails there); compiling a language's lexicons (NTUSD's 20,000 words, the Spanish stems) costs
 * a few hundred milliseconds per thread, which a thread that never sees the language never pays.
 */
function lazyPack(code: string, compile: () => LanguagePack): LanguagePack {
  let pack: LanguagePack | undefined;
  const get = () => (pack ??= compile());
  return {
    code,
    get lex() {
      return get().lex;
    },
    prepare: (tokens) => get().prepare(tokens),
    get model() {
      return get().model;
    },
  };
}

/** The same pack (compiled when first used) with another model, or none. */
export function packWithModel(pack: LanguagePack, model: LearnedModel | undefined): LanguagePack {
  return {
    code: pack.code,
    get lex() {
      return pack.lex;
    },
    prepare: (tokens) => pack.prepare(tokens),
    model,
  };
}

/** The same packs with their learned models left out: each language's rules alone. */
export function withoutPackModels(packs: Map<string, LanguagePack>): Map<string, LanguagePack> {
  const out = new Map<string, LanguagePack>();
  for (const [code, pack] of packs) out.set(code, packWithModel(pack, undefined));
  return out;
}
