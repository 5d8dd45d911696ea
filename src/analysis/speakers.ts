import type { AnalysedSentence } from "./sentences.js";
import type { Scored, Speaker } from "./types.js";

/** Each speaker's score over their own sentences, and how many turns they took. */
export function speakerScores(sentences: AnalysedSentence[], scored: (xs: AnalysedSentence[]) => Scored) {
  const bySpeaker = new Map<Speaker, AnalysedSentence[]>();
  for (const s of sentences) {
    if (!s.speaker) continue;
    const own = bySpeaker.get(s.speaker);
    if (own) own.push(s);
    else bySpeaker.set(s.speaker, [s]);
  }
  // Every key present from the start (absent speakers stay undefined, which JSON leaves out): adding
  // keys one by one to an empty literal took V8 through a new shape each time.
  const out: Partial<Record<Speaker, Scored & { turns: number }>> = {
    customer: undefined,
    agent: undefined,
    bot: undefined,
  };
  for (const speaker of ["customer", "agent", "bot"] as const) {
    const own = bySpeaker.get(speaker);
    if (!own) continue;
    const { score, label } = scored(own);
    let turns = 0;
    let lastTurn: number | undefined = -1;
    // A turn's sentences are adjacent, so counting changes of turn counts distinct turns.
    for (const s of own) {
      if (s.turn !== lastTurn) {
        turns++;
        lastTurn = s.turn;
      }
    }
    out[speaker] = { score, label, turns };
  }
  return out;
}
