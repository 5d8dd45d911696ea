// natural's root import loads database back-ends that print to stdout; import the stemmer alone.
import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer.js";

const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/**
 * Longer "words" are not stemmed (nor cached): no lexicon term is this long, and the Porter stemmer's
 * regular expressions are quadratic in a word's length (a 100,000-letter token took ~60 s).
 */
export const MAX_STEMMED_LENGTH = 64;

/** Porter stem of a lower-cased word, memoised (stemming dominates the cost of term matching). */
export function stem(word: string): string {
  if (word.length > MAX_STEMMED_LENGTH) return word;
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const s = word.includes("'") ? word : PorterStemmer.stem(word);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, s);
  return s;
}
