import nlp from "compromise";

const MAX_CHARS = 1500;
const STOP = /^(?:i|me|my|you|your|we|us|our|it|this|that|they|them|someone|something|anything|everything|nothing|thing|things|way|time|today|yesterday|hi|hello|thanks|thank you|please)$/i;

/**
 * Noun phrases for what the topic taxonomy misses. compromise's parse costs about a millisecond per
 * message, so the engine calls this only when no topic matched.
 */
export function keyPhrases(text: string, max = 5): string[] {
  const doc = nlp(text.slice(0, MAX_CHARS));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const phrase of doc.nouns().out("array") as string[]) {
    const clean = phrase
      .toLowerCase()
      .replace(/^(?:the|a|an|my|your|our|their|his|her|its|this|that|these|those|some|any)\s+/, "")
      .replace(/[^\p{L}\p{N}\s'-]/gu, "")
      .trim();
    if (!clean || STOP.test(clean) || clean.length < 3 || seen.has(clean)) continue;
    seen.add(clean);
    out.push(clean);
    if (out.length >= max) break;
  }
  return out;
}
