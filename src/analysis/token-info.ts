import { stem } from "./stem.js";
import type { TermMatcher, TermStart } from "./term-matcher.js";

/** What the pipeline looks up for a token, once per distinct token rather than once per lexicon. */
export interface TokenInfo<W> {
  /** Porter stem for words; the token itself for anything else. */
  stem: string;
  /** The sentiment vocabulary's entry. */
  word: W | undefined;
  /** Per term family (in the order given to the cache), the terms whose first stem this is. */
  starts: Array<TermStart | undefined>;
}

const CACHE_LIMIT = 50_000;

/**
 * Token facts by lower-cased token. Every word of every sentence was looked up in the sentiment
 * vocabulary, the stem cache and the emotion, need and topic term indexes, five large maps in
 * all: one lookup here answers them together. Bounded, cleared when full, as the stem cache is.
 */
export class TokenInfoCache<W> {
  readonly #words = new Map<string, TokenInfo<W>>();
  /** Numbers, punctuation, emoticons: their "stem" is themselves, so they are kept apart from words. */
  readonly #others = new Map<string, TokenInfo<W>>();

  constructor(
    private readonly vocabulary: Map<string, W>,
    private readonly families: ReadonlyArray<TermMatcher<unknown>>,
  ) {}

  get(lower: string, isWord: boolean): TokenInfo<W> {
    const cache = isWord ? this.#words : this.#others;
    let info = cache.get(lower);
    if (info === undefined) {
      const s = isWord ? stem(lower) : lower;
      info = { stem: s, word: this.vocabulary.get(lower), starts: this.families.map((f) => f.startingWith(s)) };
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(lower, info);
    }
    return info;
  }
}
