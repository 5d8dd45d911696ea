import type { Segment, SplitSentence } from "./sentences.js";
import type { Token } from "./text.js";
import type { AnalysisInput, Speaker } from "./types.js";

/** How much of the customer's text settles its language. */
export const LANGUAGE_SAMPLE_CHARS = 400;

/** Who speaks for the customer: everything but agent and bot turns (an agent's notes describe the customer). */
export const isCustomerSide = (s: { speaker?: Speaker }) => s.speaker !== "agent" && s.speaker !== "bot";

export const wordsOf = (tokens: Token[]) => tokens.filter((t) => t.kind === "word");

export function segmentsOf(input: AnalysisInput): Segment[] {
  const segments: Segment[] = [];
  if (input.subject?.trim()) segments.push({ text: input.subject });
  if (input.text?.trim()) segments.push({ text: input.text });
  input.turns?.forEach((t, turn) => {
    segments.push({ text: t.text, speaker: t.speaker, turn });
  });
  return segments;
}

export function interactionText(input: AnalysisInput): string {
  const parts: string[] = [];
  if (input.text?.trim()) parts.push(input.text.trim());
  for (const t of input.turns ?? []) parts.push(`${t.speaker}: ${t.text.trim()}`);
  return parts.join("\n");
}

/**
 * The input in one shape. Callers hand in objects of many (parsed JSON lines with or without a
 * subject, turns with or without a time, structured clones), and every site reading them deoptimised
 * the pipeline as each new shape arrived; read once here, everything after sees one.
 */
export function normalised(input: AnalysisInput): AnalysisInput {
  let turns: AnalysisInput["turns"];
  if (input.turns) {
    turns = new Array(input.turns.length);
    for (let i = 0; i < turns.length; i++) turns[i] = { speaker: input.turns[i].speaker, text: input.turns[i].text };
  }
  const context = input.context && {
    waitSeconds: input.context.waitSeconds,
    holdSeconds: input.context.holdSeconds,
    public: input.context.public,
  };
  return { channel: input.channel, subject: input.subject, text: input.text, turns, context };
}

/**
 * The words of the customer's first few hundred characters, which settle the language, taken from
 * the sentences already tokenised (tokenising a long email again would cost more than the guess).
 */
export function languageSample(segments: Segment[], split: SplitSentence[][]): Token[] {
  const words: Token[] = [];
  let offset = 0;
  for (let k = 0; k < segments.length && offset < LANGUAGE_SAMPLE_CHARS; k++) {
    if (!isCustomerSide(segments[k])) continue;
    for (const s of split[k]) {
      for (const t of s.tokens)
        if (t.kind === "word" && offset + s.start + t.end <= LANGUAGE_SAMPLE_CHARS) words.push(t);
    }
    offset += segments[k].text.length + 1;
  }
  return words;
}

/** The customer's tokens (every token when no segment is the customer's), for the language-free signals. */
export function customerTokens(segments: Segment[], split: SplitSentence[][]): Token[] {
  const customer = segments.some(isCustomerSide);
  const tokens: Token[] = [];
  for (let k = 0; k < segments.length; k++)
    if (!customer || isCustomerSide(segments[k])) for (const s of split[k]) for (const t of s.tokens) tokens.push(t);
  return tokens;
}
