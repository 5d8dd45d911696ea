// The corpora bench:analysis measures: the sample interactions (English chats, emails, call notes,
// social posts), and a mixed-language one with Chinese, Korean and Spanish reviews and tweets from
// ../shared/datasets (read in place) interleaved, one message in four each.
import { chineseReviews, interTass, nsmc } from "./datasets.js";
import { sampleInteractions } from "./lib.js";

export interface BenchMessage {
  id: number;
  channel: "chat";
  subject?: string;
  text: string | undefined;
  turns: Array<{ speaker: "customer"; text: string }> | undefined;
}

export function englishCorpus(): BenchMessage[] {
  return sampleInteractions().map((r, i) => ({
    id: i,
    channel: r.channel as "chat",
    text: (r.text ?? r.body) as string | undefined,
    turns: r.turns as BenchMessage["turns"],
  }));
}

/** The first 2,000 texts of each foreign set, in the order the mixed corpus interleaves them. */
export function foreignTexts(): string[][] {
  return [
    chineseReviews("delivery").slice(0, 2000),
    nsmc().slice(0, 2000),
    [...interTass("train"), ...interTass("val")].slice(0, 2000),
  ].map((rows) => rows.map((r) => r.text));
}

export function mixedCorpus(english = englishCorpus()): BenchMessage[] {
  const foreign = foreignTexts();
  const out: BenchMessage[] = [];
  for (let i = 0; i < english.length * 4; i++) {
    const k = i % 4;
    const text = k === 0 ? undefined : foreign[k - 1][Math.floor(i / 4) % foreign[k - 1].length];
    out.push(text ? { id: i, channel: "chat", text, turns: undefined } : { ...english[Math.floor(i / 4)], id: i });
  }
  return out;
}
