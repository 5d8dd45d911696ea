import type { Token } from "../text.js";

// Korean words (eojeol) are a stem followed by particles and endings: 배송이, 늦어요, 좋았는데.
// Without a morphological analyser, a word is read as the longest lexicon key it starts with
// (늦어요 → 늦, 실망했습니다 → 실망); stems that change before their ending (나쁘 → 나빠, 아프 → 아팠)
// get their changed forms as keys too (conjugatedForms). Negation written before a word (안 좋아요,
// 못 받았어요) is a word of its own; written after (좋지 않아요) it is a key marked `negatorsAfter`.

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
const HANGUL = /[\uac00-\ud7a3]/;
/** Words of bare jamo, typed as laughter or tears: ㅋㅋㅋㅋ, ㅠㅠㅠ, ㅡㅡ. */
const JAMO_ONLY = /^[\u3131-\u318e]+$/;
const REPEATS = /(.)\1+/g;
const isSyllable = (c: number) => c >= SYLLABLE_FIRST && c <= SYLLABLE_LAST;

function parts(ch: string): { initial: number; medial: number; final: number } {
  const v = ch.charCodeAt(0) - SYLLABLE_FIRST;
  return { initial: Math.floor(v / 588), medial: Math.floor((v % 588) / 28), final: v % 28 };
}
const syllable = (initial: number, medial: number, final: number) =>
  String.fromCharCode(SYLLABLE_FIRST + initial * 588 + medial * 28 + final);

const MEDIAL = { a: 0, eo: 4, o: 8, wa: 9, wae: 10, oe: 11, u: 13, wo: 14, eu: 18, i: 20, yeo: 6 } as const;
const FINAL_SS = 20;
const FINAL_B = 17;

/**
 * The forms a predicate stem takes before -아/-어 endings, where they differ from the stem: the
 * vowel contracts (나쁘 → 나빠, 기쁘 → 기뻐, 보 → 봐, 되 → 돼, 마시 → 마셔), each also with the
 * past tense's ㅆ (나빴, 돼 → 됐); ㅂ-stems drop the ㅂ (어렵 → 어려워 read from 어려).
 */
export function conjugatedForms(stem: string): string[] {
  const last = stem[stem.length - 1];
  if (!last || !isSyllable(last.charCodeAt(0))) return [];
  const head = stem.slice(0, -1);
  const { initial, medial, final } = parts(last);
  const out: string[] = [];
  if (final === 0) {
    let contracted: number | undefined;
    if (medial === MEDIAL.eu) {
      // ㅡ drops and takes the vowel the syllable before calls for (ㅏ/ㅗ → ㅏ, else ㅓ).
      const before = head ? parts(head[head.length - 1]).medial : MEDIAL.eo;
      contracted = before === MEDIAL.a || before === MEDIAL.o ? MEDIAL.a : MEDIAL.eo;
    } else if (medial === MEDIAL.o) contracted = MEDIAL.wa;
    else if (medial === MEDIAL.u) contracted = MEDIAL.wo;
    else if (medial === MEDIAL.oe) contracted = MEDIAL.wae;
    else if (medial === MEDIAL.i) contracted = MEDIAL.yeo;
    // ㅏ and ㅓ take the past tense's ㅆ directly (비싸 → 비쌌, 화나 → 화났).
    else if (medial === MEDIAL.a || medial === MEDIAL.eo) out.push(head + syllable(initial, medial, FINAL_SS));
    if (contracted !== undefined)
      out.push(head + syllable(initial, contracted, 0), head + syllable(initial, contracted, FINAL_SS));
  } else if (final === FINAL_B && head) out.push(head + syllable(initial, medial, 0));
  // A lone syllable's forms are too often other words' beginnings (봐, 돼 aside, which callers list themselves).
  return stem.length >= 2 || final === FINAL_B ? out.filter((f) => f.length >= 2) : [];
}

/**
 * Particles and endings that follow a noun, longest first: stripped from a word no key starts with,
 * so 서비스가 and 서비스는 are read as 서비스.
 */
const PARTICLES = [
  "에서는",
  "으로는",
  "에게서",
  "한테서",
  "이라도",
  "까지도",
  "에서",
  "에게",
  "한테",
  "으로",
  "부터",
  "까지",
  "마저",
  "조차",
  "처럼",
  "보다",
  "이나",
  "이랑",
  "이요",
  "이고",
  "은",
  "는",
  "이",
  "가",
  "을",
  "를",
  "의",
  "에",
  "로",
  "와",
  "과",
  "도",
  "만",
  "랑",
  "요",
];

/** A word's particles stripped, where what is left is two syllables or more. */
function withoutParticles(word: string): string {
  for (const p of PARTICLES) if (word.length - p.length >= 2 && word.endsWith(p)) return word.slice(0, -p.length);
  return word;
}

/**
 * A stem of one syllable is taken as the start of a longer word only before an ending that begins as
 * predicate endings do (좋아, 좋은, 좋고, 싫다, 늦게, 없는), not before any syllable (좋 in 좋아하 is a key of its own).
 */
const ENDING_STARTS = new Set("아어았었은는고다게지네요기음던데니습서면을으더군죠잖냐나구든대래며세시십겠".split(""));

export interface KoreanKeys {
  /** Every key, from the sentiment vocabulary and the cue terms. */
  has(key: string): boolean;
  longest: number;
}

/** The key a Korean word is read as: the longest key it starts with, else the word less its particles. */
export function koreanKey(word: string, keys: KoreanKeys): string {
  if (keys.has(word)) return word;
  for (let n = Math.min(word.length - 1, keys.longest); n >= 1; n--) {
    const head = word.slice(0, n);
    if (!keys.has(head)) continue;
    if (n === 1 && !ENDING_STARTS.has(word[1])) continue;
    return head;
  }
  return withoutParticles(word);
}

/**
 * Connective endings that oppose two clauses (좋지만 …, 재밌었는데 …): a word ending in one is
 * followed by a mark of no width whose key is the ending, which the lexicons list as a contrast word.
 */
const CONTRAST_ENDINGS = ["지만", "는데", "은데", "인데", "한데", "았는데", "었는데"];

/** Negators written joined to the word they negate (안좋아요, 못받았어요). */
const JOINED_NEGATORS = ["안", "못"];

/**
 * The tokens as the Korean lexicons look them up: each Hangul word's `lower` its key, and a negator
 * written joined to its word split off as a token of its own.
 */
export function prepareKorean(tokens: Token[], keys: KoreanKeys): Token[] {
  let out: Token[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "word" && JAMO_ONLY.test(t.text)) {
      // However long the run, it is read as two of each (ㅋㅋㅋㅋ → ㅋㅋ), as the lexicon lists them.
      out ??= tokens.slice(0, i);
      out.push({ text: t.text, lower: t.lower.replace(REPEATS, "$1$1"), kind: t.kind, start: t.start, end: t.end });
      continue;
    }
    if (t.kind !== "word" || !HANGUL.test(t.text)) {
      out?.push(t);
      continue;
    }
    out ??= tokens.slice(0, i);
    // 안/못 before a form of 하다 negates the noun before it (해지는 안 할게요): one token, read as 안하.
    const next = tokens[i + 1];
    if ((t.lower === "안" || t.lower === "못") && next?.kind === "word" && /^[하할해했합]/.test(next.lower)) {
      out.push({
        text: `${t.text}${" ".repeat(next.start - t.end)}${next.text}`,
        lower: `${t.lower}하`,
        kind: "word",
        start: t.start,
        end: next.end,
      });
      i++;
      continue;
    }
    const whole = koreanKey(t.lower, keys);
    const neg = JOINED_NEGATORS.find((n) => t.lower.length > 2 && t.lower.startsWith(n));
    if (neg && whole === withoutParticles(t.lower)) {
      // Nothing known starts the word as written: read it as a negator and a known word (안좋아요).
      const rest = koreanKey(t.lower.slice(neg.length), keys);
      if (keys.has(rest)) {
        out.push({
          text: t.text.slice(0, neg.length),
          lower: neg,
          kind: "word",
          start: t.start,
          end: t.start + neg.length,
        });
        out.push({
          text: t.text.slice(neg.length),
          lower: rest,
          kind: "word",
          start: t.start + neg.length,
          end: t.end,
        });
        continue;
      }
    }
    out.push({ text: t.text, lower: whole, kind: t.kind, start: t.start, end: t.end });
    const ending =
      i < tokens.length - 1
        ? CONTRAST_ENDINGS.find((e) => t.lower.length > e.length && t.lower.endsWith(e))
        : undefined;
    if (ending) out.push({ text: "", lower: ending.slice(-2), kind: "punct", start: t.end, end: t.end });
  }
  return out ?? tokens;
}
