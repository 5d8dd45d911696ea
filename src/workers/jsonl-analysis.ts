import { z } from "zod";
import type { Analyzer } from "../analysis/index.js";
import type { AnalysisResult } from "../analysis/types.js";
import { turnSchema } from "../contracts/interactions.js";

// The batch CLI's line contract: input `{"id","text","channel"?}` or `{"id","channel","turns":[...]}`.
const lineSchema = z
  .object({
    id: z.union([z.string(), z.number()]),
    channel: z.enum(["chat", "email", "call_note", "social", "text"]).default("text"),
    subject: z.string().optional(),
    text: z.string().optional(),
    turns: z.array(turnSchema).min(1).optional(),
  })
  .refine((v) => (v.text?.trim() ?? "") !== "" || v.turns !== undefined, {
    message: "needs text or turns",
    path: ["text"],
  });

export interface LineOutcome {
  json: string;
  error?: string;
}

/** One input line to exactly one output line: the analysis, or `{"id","error"}` for a bad line. */
export function analyseLine(line: string, analyzer: Analyzer): LineOutcome {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    const error = `not JSON: ${(e as Error).message}`;
    return { json: JSON.stringify({ id: null, error }), error };
  }
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) {
    const id = raw && typeof raw === "object" && "id" in raw ? (raw as { id: unknown }).id : null;
    const error = parsed.error.issues.map((i) => `${i.path.join(".") || "(line)"}: ${i.message}`).join("; ");
    return { json: JSON.stringify({ id, error }), error };
  }
  // The line itself is the input (the analyser reads only what it knows): no copy without `id`.
  return { json: JSON.stringify(cliLine(parsed.data.id, analyzer.analyze(parsed.data).stored)) };
}

/**
 * The contract's output line. Built property by property (no spreads or rest copies): this runs for
 * every line, and object spread is V8's slow path.
 */
function cliLine(id: string | number, r: AnalysisResult) {
  const emotions = new Array(r.emotions.length);
  for (let i = 0; i < emotions.length; i++)
    emotions[i] = { id: r.emotions[i].id, score: r.emotions[i].score, evidence: r.emotions[i].evidence };
  const topics = new Array(r.topics.length);
  for (let i = 0; i < topics.length; i++)
    topics[i] = { id: r.topics[i].id, score: r.topics[i].score, sentiment: r.topics[i].sentiment };
  const needs = new Array(r.needs.length);
  for (let i = 0; i < needs.length; i++)
    needs[i] = { id: r.needs[i].id, confidence: r.needs[i].confidence, evidence: r.needs[i].evidence };
  const reasons = new Array(r.complaint.reasons.length);
  for (let i = 0; i < reasons.length; i++) reasons[i] = r.complaint.reasons[i].text;
  let turns: Array<{ index: number; speaker: string; score: number; label: string }> | undefined;
  if (r.turns) {
    turns = new Array(r.turns.length);
    for (let i = 0; i < turns.length; i++)
      turns[i] = {
        index: r.turns[i].index,
        speaker: r.turns[i].speaker,
        score: r.turns[i].score,
        label: r.turns[i].label,
      };
  }
  return {
    id,
    language: r.language.code,
    sentiment: { score: r.sentiment.score, label: r.sentiment.label },
    emotions,
    topics,
    needs,
    complaint: { risk: r.complaint.risk, flagged: r.complaint.flagged, reasons },
    // Undefined for a plain text, which JSON leaves out.
    turns,
  };
}
