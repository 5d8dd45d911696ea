import type { LexiconSources, PiiKind } from "./lexicon-schema.js";
import { LiteralPrefilter, PatternSet, type CompiledPattern } from "./pattern-set.js";
import { TermMatcher } from "./term-matcher.js";
import { TokenInfoCache } from "./token-info.js";
import { type LanguagePack, packWithModel, withoutPackModels } from "./languages/pack.js";
import { compileModel, type LearnedModel, type ModelFile } from "./learned/index.js";
import { compileMessageCues, type MessageCueLexicon } from "./message-cues.js";

export type { CompiledPattern } from "./pattern-set.js";

export interface Cue {
  /** Which entry the cue belongs to (emotion, topic or need id). */
  id: string;
  weight: number;
}

/** What the sentiment lexicon says about one word (lower-cased, or an emoticon as written). */
export interface SentimentWord {
  valence: number | undefined;
  /** Phrases starting with this word, longest first. */
  phrases: { tokens: string[]; valence: number }[] | undefined;
  modifier: number | undefined;
  negator: boolean;
  /** Negates the word before it (Korean 않다, 못하다 after a -지 form). */
  negatesPrevious: boolean;
  contrastAfter: boolean;
  contrastBefore: boolean;
}

/** Lexicons compiled once into the lookup structures the pipeline uses on every message. */
export interface Lexicons {
  /** The lexicons' version, followed by the model's content hash when a model is loaded. */
  version: string;
  /** The lexicons' own version, without the model. */
  lexiconVersion: string;
  /** The learned layer (lexicons/model-en.json); without it, English is scored by the rules alone. */
  model?: LearnedModel;
  sentiment: {
    patterns: PatternSet<{ id: string; valence: number; reason: string }>;
    labels: { positive: number; negative: number };
    /**
     * Everything the scorer needs to know about a word, from one lookup: its valence, the phrases it
     * starts, whether it modifies, negates or marks contrast.
     */
    vocabulary: Map<string, SentimentWord>;
    /** For inflected languages: base words by stem, looked up when the word itself is not listed. */
    stemmed?: { words: Map<string, number>; stem: (word: string) => string };
  };
  /** Languages other than English scored for sentiment only (their cue lexicons are English). */
  sentimentByLanguage: Map<string, Lexicons["sentiment"]>;
  emotions: { labels: Map<string, string>; terms: TermMatcher<Cue[]>; patterns: PatternSet<Cue> };
  topics: { minScore: number; labels: Map<string, string>; terms: TermMatcher<Cue[]> };
  needs: {
    minConfidence: number;
    labels: Map<string, string>;
    requiresNegative: Set<string>;
    requiresPositive: Set<string>;
    terms: TermMatcher<Cue[]>;
    patterns: PatternSet<Cue>;
  };
  complaint: LexiconSources["complaint"];
  /** complaint.json's cue classes, which read the learned layer's outputs per message (message-cues.ts). */
  messageCues?: MessageCueLexicon;
  pii: Map<PiiKind, { redact: boolean; mask: string }>;
  languages: { minWords: number /** word → languages that use it */; words: Map<string, string[]> };
  /** Emoji valences, read without regard to language (src/analysis/language-free.ts). */
  emoji: Map<string, number>;
  /** English token facts in one lookup; term families in `TERM_FAMILY` order. */
  tokens: TokenInfoCache<SentimentWord>;
  /** Languages analysed in full with lexicons of their own (Spanish, Chinese, Korean), by code. */
  packs: Map<string, LanguagePack>;
}

/** Where each English term family's starts are in `TokenInfo.starts`. */
export const TERM_FAMILY = { emotions: 0, needs: 1, topics: 2 } as const;

/** Several entries may list the same term; each match then yields all their cues. */
export function cueTerms(entries: Array<{ id: string; terms: Record<string, number> }>): TermMatcher<Cue[]> {
  const byTerm = new Map<string, Cue[]>();
  for (const { id, terms } of entries) {
    for (const [term, weight] of Object.entries(terms)) {
      const key = term.toLowerCase();
      byTerm.set(key, [...(byTerm.get(key) ?? []), { id, weight }]);
    }
  }
  return new TermMatcher(byTerm);
}

// Lexicon patterns are ASCII-oriented and compiled without the `u` flag: it makes V8 regexps ~7x slower here.
export function cuePatterns(
  entries: Array<{ id: string; patterns: Record<string, number> }>,
  flags = "i",
): CompiledPattern<Cue>[] {
  return entries.flatMap(({ id, patterns }) =>
    Object.entries(patterns).map(([source, weight]) => ({ regex: new RegExp(source, flags), payload: { id, weight } })),
  );
}

export function compileSentiment(
  s: LexiconSources["sentiment"],
  base: Array<Record<string, number>>,
  prefilter: LiteralPrefilter,
  stem?: (word: string) => string,
): Lexicons["sentiment"] {
  const words = new Map<string, number>();
  for (const list of base) for (const [w, v] of Object.entries(list)) words.set(w, v);
  for (const [w, v] of Object.entries(s.emoticons)) words.set(w, v);
  for (const [w, v] of Object.entries(s.words)) words.set(w.toLowerCase(), v);

  const phrases = new Map<string, { tokens: string[]; valence: number }[]>();
  for (const [phrase, valence] of Object.entries(s.phrases)) {
    const tokens = phrase.toLowerCase().split(/\s+/);
    const list = phrases.get(tokens[0]) ?? [];
    list.push({ tokens, valence });
    list.sort((a, b) => b.tokens.length - a.tokens.length);
    phrases.set(tokens[0], list);
  }
  const patterns = s.patterns.map((p) => ({
    regex: new RegExp(p.regex, "gi"),
    payload: { id: p.id, valence: p.valence, reason: p.reason },
  }));
  const stemmed = stem
    ? { words: new Map([...words].map(([w, v]) => [stem(w), v] as [string, number])), stem }
    : undefined;
  const modifiers = new Map([...Object.entries(s.intensifiers), ...Object.entries(s.downtoners)]);
  const negators = new Set(s.negators);
  const negatesPrevious = new Set(s.negatorsAfter);
  const contrastAfter = new Set(s.contrast.after);
  const contrastBefore = new Set(s.contrast.before);
  const vocabulary = new Map<string, SentimentWord>();
  for (const w of new Set([
    ...words.keys(),
    ...phrases.keys(),
    ...modifiers.keys(),
    ...negators,
    ...negatesPrevious,
    ...contrastAfter,
    ...contrastBefore,
  ])) {
    vocabulary.set(w, {
      valence: words.get(w),
      phrases: phrases.get(w),
      modifier: modifiers.get(w),
      negator: negators.has(w),
      negatesPrevious: negatesPrevious.has(w),
      contrastAfter: contrastAfter.has(w),
      contrastBefore: contrastBefore.has(w),
    });
  }
  return {
    patterns: new PatternSet(patterns, prefilter),
    labels: s.labels,
    vocabulary,
    ...(stemmed ? { stemmed } : {}),
  };
}

export function compileLexicons(src: LexiconSources, version: string): Lexicons {
  const s = src.sentiment;
  const emotionEntries = Object.entries(src.emotions.emotions).map(([id, e]) => ({ id, ...e }));
  const emotionPatterns = cuePatterns(emotionEntries);
  const needPatterns = cuePatterns(src.needs.needs);
  // English's pattern families share one prefilter, so each sentence is scanned once for all of them.
  const english = new LiteralPrefilter();
  const sentiment = compileSentiment(s, [src.afinn, src.emoji], english);
  const terms = {
    emotions: cueTerms(emotionEntries),
    needs: cueTerms(src.needs.needs),
    topics: cueTerms(src.topics.topics),
  };
  return {
    version,
    lexiconVersion: version,
    sentiment,
    sentimentByLanguage: new Map(
      Object.entries(src.extraSentiment).map(([code, x]) => [
        code,
        compileSentiment(x.file, [x.base, src.emoji], new LiteralPrefilter(), x.stem),
      ]),
    ),
    emotions: {
      labels: new Map(emotionEntries.map((e) => [e.id, e.label])),
      terms: terms.emotions,
      patterns: new PatternSet(emotionPatterns, english),
    },
    topics: {
      minScore: src.topics.minScore,
      labels: new Map(src.topics.topics.map((t) => [t.id, t.label])),
      terms: terms.topics,
    },
    needs: {
      minConfidence: src.needs.minConfidence,
      labels: new Map(src.needs.needs.map((n) => [n.id, n.label])),
      requiresNegative: new Set(src.needs.needs.filter((n) => n.requiresNegative).map((n) => n.id)),
      requiresPositive: new Set(src.needs.needs.filter((n) => n.requiresPositive).map((n) => n.id)),
      terms: terms.needs,
      patterns: new PatternSet(needPatterns, english),
    },
    complaint: src.complaint,
    messageCues: compileMessageCues(src.complaint.cues, english),
    pii: new Map(Object.entries(src.pii.kinds) as [PiiKind, { redact: boolean; mask: string }][]),
    languages: { minWords: src.languages.minWords, words: languageIndex(src.languages.languages) },
    emoji: new Map(Object.entries(src.emoji)),
    // In TERM_FAMILY's order.
    tokens: new TokenInfoCache(sentiment.vocabulary, [terms.emotions, terms.needs, terms.topics]),
    // Filled by compileLanguagePacks (languages/pack.ts), which builds on these lexicons.
    packs: new Map(),
  };
}

function languageIndex(languages: Record<string, string[]>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const [code, words] of Object.entries(languages))
    for (const w of words) index.set(w, [...(index.get(w) ?? []), code]);
  return index;
}

/** Combines independent cue weights: 1 - prod(1 - w). */
export const noisyOr = (weights: number[]) => 1 - weights.reduce((p, w) => p * (1 - Math.min(1, Math.max(0, w))), 1);

/** The same lexicons with another model (validated and compiled here), versioned by both. */
export function withModel(lex: Lexicons, file: ModelFile | unknown): Lexicons {
  const model = compileModel(file);
  return { ...lex, model, version: `${lex.lexiconVersion}.m${model.hash}` };
}

/**
 * The same lexicons without a model, English's or any language's: the rules alone (what the training
 * script reads signals from). Language models are hashed into the lexicon version, which this keeps.
 */
export function withoutModel(lex: Lexicons): Lexicons {
  return { ...lex, model: undefined, version: lex.lexiconVersion, packs: withoutPackModels(lex.packs) };
}

/** The same lexicons with `file` as language `code`'s model (validated and compiled here), versioned by it too. */
export function withLanguageModel(lex: Lexicons, code: string, file: ModelFile | unknown): Lexicons {
  const pack = lex.packs.get(code);
  if (!pack) throw new Error(`no language pack for ${code}`);
  const model = compileModel(file);
  if (model.file.language !== code) throw new Error(`a model for ${model.file.language} is not ${code}'s`);
  const packs = new Map(lex.packs);
  packs.set(code, packWithModel(pack, model));
  return { ...lex, packs, version: `${lex.version}.${code}${model.hash}` };
}
