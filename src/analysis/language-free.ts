import type { RiskSignal } from "./complaint-risk.js";
import type { RiskReason } from "./types.js";
import type { Token } from "./text.js";

// What a text says without reading its words: emoji, runs of "!" and words in capitals. These are
// the signals left for a text in a language Earshot does not analyse, so that a furious message in
// French or Turkish still counts towards its complaint risk instead of scoring as calm.

/** Words of at least this many letters, all capitals, count as shouting ("NO" and "OK" do not). */
const SHOUT_LETTERS = 3;
const CASED = /\p{Lu}|\p{Ll}/u;
const LOWER = /\p{Ll}/u;

/**
 * Risk signals from a text's emoji (their valence in the emoji lexicon), "!!"-runs and capitals.
 * Glad emoji outweighing sad ones cancel the emphasis signals: "MERCI!!! 😍" is not a complaint.
 */
export function languageFreeSignals(tokens: Token[], emoji: Map<string, number>): RiskSignal[] {
  let sad = 0;
  let glad = 0;
  const sadEmoji: string[] = [];
  let runs = 0;
  let cased = 0;
  let shouted = 0;
  for (const t of tokens) {
    if (t.kind === "emoji" || t.kind === "emoticon") {
      const v = emoji.get(t.text) ?? 0;
      if (v < 0) {
        sad -= v;
        if (sadEmoji.length < 3 && !sadEmoji.includes(t.text)) sadEmoji.push(t.text);
      } else glad += v;
    } else if (t.kind === "punct" && t.text.indexOf("!") !== t.text.lastIndexOf("!")) {
      // "!!", "!!!", "?!!": the tokenizer keeps a run of ! and ? as one token.
      runs++;
    } else if (t.kind === "word" && t.text.length >= SHOUT_LETTERS && CASED.test(t.text)) {
      cased++;
      if (!LOWER.test(t.text)) shouted++;
    }
  }
  const signals: RiskSignal[] = [];
  if (sad > 0)
    signals.push({ code: "negative_emoji", strength: Math.min(1, sad / 3), detail: `(${sadEmoji.join(" ")})` });
  if (glad > sad) return signals;
  if (runs > 0) signals.push({ code: "exclamations", strength: Math.min(1, runs / 2), detail: `(${runs}×)` });
  if (shouted >= 2 && shouted / cased >= 0.5)
    signals.push({
      code: "shouting",
      strength: Math.min(1, shouted / cased),
      detail: `(${shouted} of ${cased} words)`,
    });
  return signals;
}

const names = new Intl.DisplayNames(["en"], { type: "language" });

/** The reason that says the words themselves were not read, naming the language ("French (fr)"). */
export function notAnalysedReason(code: string): RiskReason {
  let name = code;
  try {
    name = names.of(code) ?? code;
  } catch {
    // A code Intl does not know is shown as it is.
  }
  return {
    code: "text_not_analysed",
    text: `text not analysed: written in ${name} (${code}), a language Earshot does not analyse`,
    weight: 0,
  };
}
