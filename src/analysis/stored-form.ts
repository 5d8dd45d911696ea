import type { Driver } from "./sentiment.js";
import type { AnalysisResult, SentenceResult, SentimentLabel, Speaker, TurnResult } from "./types.js";

// The analysis as the interactions table keeps it: the same result, packed into positional arrays.
//
// Why: the result as an object was ~1.6 KB of JSON per interaction, three quarters of each row, and
// most of it key names, label words and each turn's drivers repeated from its sentences. Packed it is
// about half that, which is half the bytes SQLite writes and the WAL carries for every interaction, and
// less for the analysis worker to serialise. Readers get the object back with `unpackAnalysis`; rows
// written before this form (a JSON object, not an array) read back unchanged.
//
// Layout (`PACKED` names the positions, which SQL paths such as `$[10]` use):
//   [format, version, [code, confidence, analysed 0|1, scope], score, label,
//    sentences [[text, score, label, speaker|null, turn|null, drivers]],
//    speakers [[speaker, score, label, turns]] | null,
//    trajectory [start, end, lowest score, lowest turn, trend] | null,
//    turns [[speaker, score, label]] | null   (index = position; drivers = its sentences' drivers),
//    emotions [[id, label, score, evidence]], topics [[id, label, score, sentiment, evidence]],
//    key phrases, needs [[id, label, confidence, evidence]],
//    complaint [risk, flagged 0|1, threshold, [[code, text, weight]]], pii [[kind, count]]]
// A driver is [term, weight], [term, weight, rules] or [term, weight, rules, reason]; a label is
// -1 (negative), 0 (neutral) or 1 (positive); the overall score and label are null for a text not analysed.

/** The first element of a packed analysis: the layout above. */
export const PACKED_FORMAT = 2;

/** Positions in a packed analysis. */
export const PACKED = {
  format: 0,
  version: 1,
  language: 2,
  score: 3,
  label: 4,
  sentences: 5,
  speakers: 6,
  trajectory: 7,
  turns: 8,
  emotions: 9,
  topics: 10,
  keyPhrases: 11,
  needs: 12,
  complaint: 13,
  pii: 14,
} as const;

type Packed = unknown[];
type PackedDriver = [string, number] | [string, number, string[]] | [string, number, string[], string];

const labelCode = (l: SentimentLabel) => (l === "negative" ? -1 : l === "positive" ? 1 : 0);
/** The overall label, null where the text was not analysed (its score is null too). */
const overallCode = (l: AnalysisResult["sentiment"]["label"]) => (l === "not_analysed" ? null : labelCode(l));
const overallOf = (c: number | null): AnalysisResult["sentiment"]["label"] =>
  c === null ? "not_analysed" : labelOf(c);
const labelOf = (c: number): SentimentLabel => (c < 0 ? "negative" : c > 0 ? "positive" : "neutral");

function packDrivers(drivers: Driver[]): PackedDriver[] {
  const out: PackedDriver[] = new Array(drivers.length);
  for (let i = 0; i < drivers.length; i++) {
    const d = drivers[i];
    out[i] =
      d.reason !== undefined
        ? [d.term, d.weight, d.rules, d.reason]
        : d.rules.length > 0
          ? [d.term, d.weight, d.rules]
          : [d.term, d.weight];
  }
  return out;
}

function unpackDrivers(packed: PackedDriver[]): Driver[] {
  const out: Driver[] = new Array(packed.length);
  for (let i = 0; i < packed.length; i++) {
    const [term, weight, rules, reason] = packed[i];
    out[i] = reason !== undefined ? { term, weight, rules: rules ?? [], reason } : { term, weight, rules: rules ?? [] };
  }
  return out;
}

/** The analysis as JSON in the packed form. Loops, not callbacks: this runs for every interaction stored. */
export function packAnalysis(a: AnalysisResult): string {
  const sentences: unknown[] = new Array(a.sentiment.sentences.length);
  for (let i = 0; i < sentences.length; i++) {
    const s = a.sentiment.sentences[i];
    sentences[i] = [s.text, s.score, labelCode(s.label), s.speaker ?? null, s.turn ?? null, packDrivers(s.drivers)];
  }
  let speakers: unknown[] | null = null;
  if (a.speakers) {
    speakers = [];
    for (const speaker of ["customer", "agent", "bot"] as const) {
      const s = a.speakers[speaker];
      if (s) speakers.push([speaker, s.score, labelCode(s.label), s.turns]);
    }
  }
  const t = a.trajectory;
  let turns: unknown[] | null = null;
  if (a.turns) {
    turns = new Array(a.turns.length);
    for (let i = 0; i < a.turns.length; i++)
      turns[i] = [a.turns[i].speaker, a.turns[i].score, labelCode(a.turns[i].label)];
  }
  const emotions: unknown[] = [];
  for (const e of a.emotions) emotions.push([e.id, e.label, e.score, e.evidence]);
  const topics: unknown[] = [];
  for (const e of a.topics) topics.push([e.id, e.label, e.score, e.sentiment, e.evidence]);
  const needs: unknown[] = [];
  for (const e of a.needs) needs.push([e.id, e.label, e.confidence, e.evidence]);
  const reasons: unknown[] = [];
  for (const r of a.complaint.reasons) reasons.push([r.code, r.text, r.weight]);
  const pii: unknown[] = [];
  for (const p of a.pii) pii.push([p.kind, p.count]);
  const l = a.language;
  const packed: Packed = [
    PACKED_FORMAT,
    a.version,
    [l.code, l.confidence, l.analysed ? 1 : 0, l.scope],
    a.sentiment.score,
    overallCode(a.sentiment.label),
    sentences,
    speakers,
    t ? [t.start, t.end, t.lowest.score, t.lowest.turn, t.trend] : null,
    turns,
    emotions,
    topics,
    a.keyPhrases,
    needs,
    [a.complaint.risk, a.complaint.flagged ? 1 : 0, a.complaint.threshold, reasons],
    pii,
  ];
  return JSON.stringify(packed);
}

/** A stored analysis (packed, or an object from before the packed form) as the result it was. */
export function unpackAnalysis(json: string): AnalysisResult {
  return analysisFrom(JSON.parse(json));
}

/** `unpackAnalysis` for a value already parsed (Drizzle parses JSON columns). */
export function analysisFrom(stored: unknown): AnalysisResult {
  if (!Array.isArray(stored)) return stored as AnalysisResult;
  const p = checked(stored);
  const h = headlineFrom(p);
  // Keys in the order the engine writes them (absent ones undefined, which JSON leaves out), so the
  // JSON an API answers with is the engine's.
  const sentences: SentenceResult[] = (
    p[PACKED.sentences] as Array<[string, number, number, Speaker | null, number | null, PackedDriver[]]>
  ).map(([text, score, label, speaker, turn, drivers]) => ({
    text,
    score,
    label: labelOf(label),
    speaker: speaker ?? undefined,
    turn: turn ?? undefined,
    drivers: unpackDrivers(drivers),
  }));
  const result: AnalysisResult = {
    version: h.version,
    language: h.language,
    sentiment: { score: h.sentiment.score, label: h.sentiment.label, sentences },
    speakers: undefined,
    trajectory: h.trajectory,
    turns: undefined,
    emotions: h.emotions,
    topics: h.topics,
    keyPhrases: h.keyPhrases,
    needs: h.needs,
    complaint: h.complaint,
    pii: h.pii,
  };
  const speakers = p[PACKED.speakers] as Array<[Speaker, number, number, number]> | null;
  if (speakers) {
    result.speakers = {};
    for (const [speaker, score, label, turns] of speakers)
      result.speakers[speaker] = { score, label: labelOf(label), turns };
  }
  const turns = p[PACKED.turns] as Array<[Speaker, number, number]> | null;
  if (turns) {
    const drivers = driversByTurn(sentences, turns.length);
    result.turns = turns.map(
      ([speaker, score, label], index): TurnResult => ({
        index,
        speaker,
        score,
        label: labelOf(label),
        drivers: drivers[index],
      }),
    );
  }
  return result;
}

/** Everything in an analysis but its sentences, speakers and turns: what summaries read. */
export type AnalysisHeadline = Omit<AnalysisResult, "sentiment" | "speakers" | "turns"> & {
  sentiment: Omit<AnalysisResult["sentiment"], "sentences">;
};

/**
 * The headline of a stored analysis. Timelines and search results show it for every row; unpacking a
 * result's sentences and their drivers is most of the cost of unpacking it whole.
 */
export function unpackHeadline(json: string): AnalysisHeadline {
  const stored: unknown = JSON.parse(json);
  return Array.isArray(stored) ? headlineFrom(checked(stored)) : (stored as AnalysisResult);
}

function checked(stored: unknown[]): Packed {
  if (stored[PACKED.format] !== PACKED_FORMAT)
    throw new Error(`unknown stored analysis format ${String(stored[PACKED.format])}`);
  return stored;
}

function headlineFrom(p: Packed): AnalysisHeadline {
  const [code, confidence, analysed, scope] = p[PACKED.language] as [
    string,
    number,
    number,
    AnalysisResult["language"]["scope"],
  ];
  const t = p[PACKED.trajectory] as [number, number, number, number, "improving" | "worsening" | "stable"] | null;
  return {
    version: p[PACKED.version] as string,
    language: { code, confidence, analysed: analysed === 1, scope },
    // Keyed on `analysed` too: rows stored with a neutral 0 for an unread text read back as unread.
    sentiment:
      analysed === 1
        ? { score: p[PACKED.score] as number | null, label: overallOf(p[PACKED.label] as number | null) }
        : { score: null, label: "not_analysed" },
    trajectory: t ? { start: t[0], end: t[1], lowest: { score: t[2], turn: t[3] }, trend: t[4] } : undefined,
    emotions: (p[PACKED.emotions] as Array<[string, string, number, string[]]>).map(([id, label, score, evidence]) => ({
      id,
      label,
      score,
      evidence,
    })),
    topics: (p[PACKED.topics] as Array<[string, string, number, number | null, string[]]>).map(
      ([id, label, score, sentiment, evidence]) => ({ id, label, score, sentiment, evidence }),
    ),
    keyPhrases: p[PACKED.keyPhrases] as string[],
    needs: (p[PACKED.needs] as Array<[string, string, number, string[]]>).map(([id, label, confidence, evidence]) => ({
      id,
      label,
      confidence,
      evidence,
    })),
    complaint: complaintFrom(p[PACKED.complaint] as [number, number, number, Array<[string, string, number]>]),
    pii: (p[PACKED.pii] as Array<[AnalysisResult["pii"][number]["kind"], number]>).map(([kind, count]) => ({
      kind,
      count,
    })),
  };
}

function complaintFrom([risk, flagged, threshold, reasons]: [
  number,
  number,
  number,
  Array<[string, string, number]>,
]): AnalysisResult["complaint"] {
  return {
    risk,
    flagged: flagged === 1,
    threshold,
    reasons: reasons.map(([code, text, weight]) => ({ code, text, weight })),
  };
}

/**
 * Each turn's drivers: its sentences' drivers, in order (as the engine collects them), in one pass
 * over the sentences (a search per turn was quadratic in a long transcript's length).
 */
function driversByTurn(sentences: SentenceResult[], turnCount: number): Driver[][] {
  const out: Driver[][] = new Array(turnCount);
  for (let i = 0; i < turnCount; i++) out[i] = [];
  for (const s of sentences)
    if (s.turn !== undefined && s.turn < turnCount) for (const d of s.drivers) out[s.turn].push(d);
  return out;
}
