import nlp from "compromise";
import { tokenize } from "./text.js";

/**
 * Noun phrases for what the topic taxonomy misses. compromise's full parse costs about a millisecond
 * per message, so instead of parsing we use its lexicon (24k words with their part of speech) to chunk:
 * a phrase is a run of nouns, adjectives and unknown words (mostly nouns and names) between words of
 * other classes, ending in a noun or an unknown word.
 */
const lexicon = (nlp as unknown as { model(): { one: { lexicon: Record<string, string> } } }).model().one.lexicon;
const CONTENT =
  /^(Singular|Plural|Noun|Uncountable|Adjective|Comparative|Superlative|ProperNoun|Place|Organization|Person|FirstName|LastName|MaleName|FemaleName|Country|City|Region|Month|WeekDay|Acronym|Currency)$/;
const HEAD =
  /^(Singular|Plural|Noun|Uncountable|ProperNoun|Place|Organization|Person|FirstName|LastName|MaleName|FemaleName|Country|City|Region|Acronym|Currency)$/;
const STOP = new Set([
  "i",
  "me",
  "my",
  "you",
  "your",
  "we",
  "us",
  "our",
  "it",
  "its",
  "this",
  "that",
  "they",
  "them",
  "thing",
  "things",
  "way",
  "time",
  "today",
  "yesterday",
  "hi",
  "hello",
  "thanks",
  "please",
  "ok",
  "okay",
  "yes",
  "no",
  "lot",
  "bit",
  "day",
  "week",
]);

const isContent = (w: string) => {
  const tag = lexicon[w];
  return tag === undefined
    ? !/^\d/.test(w) && w.length > 2 && !w.includes("'") && !/(?:ly|ing|ed)$/.test(w)
    : CONTENT.test(tag);
};
const isHead = (w: string) => {
  const tag = lexicon[w];
  return tag === undefined ? isContent(w) : HEAD.test(tag);
};

export function keyPhrases(text: string, max = 5): string[] {
  const counts = new Map<string, number>();
  let run: string[] = [];
  const close = () => {
    while (run.length && !isHead(run[run.length - 1])) run.pop();
    while (run.length && STOP.has(run[0])) run.shift();
    if (run.length && run.length <= 4 && !run.every((w) => STOP.has(w))) {
      const phrase = run.join(" ");
      counts.set(phrase, (counts.get(phrase) ?? 0) + run.length);
    }
    run = [];
  };
  for (const t of tokenize(text.slice(0, 4000))) {
    if (t.kind === "word" && !STOP.has(t.lower) && isContent(t.lower)) run.push(t.lower);
    else close();
  }
  close();
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([p]) => p);
}
