import { z } from "zod";
import type { Analyzer } from "../analysis/index.js";
import type { AnalysisResult } from "../analysis/types.js";
import { turnSchema } from "../routes/interactions/schemas.js";

// The batch CLI's line contract: input `{"id","text","channel"?}` or `{"id","channel","turns":[...]}`.
const lineSchema = z
  .object({
    id: z.union([z.string(), z.number()]),
    channel: z.enum(["chat", "email", "call_note", "social", "text"]).default("text"),
    subject: z.string().optional(),
    text: z.string().optional(),
    turns: z.array(turnSchema).min(1).optional(),
  })
  .refine((v) => (v.text?.trim() ?? "") !== "" || v.turns !== undefined, { message: "needs text or turns", path: ["text"] });

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
  const { id, ...input } = parsed.data;
  return { json: JSON.stringify({ id, ...compact(analyzer.analyze(input).stored) }) };
}

function compact(r: AnalysisResult) {
  return {
    language: r.language.code,
    sentiment: { score: r.sentiment.score, label: r.sentiment.label },
    emotions: r.emotions.map(({ id, score, evidence }) => ({ id, score, evidence })),
    topics: r.topics.map(({ id, score, sentiment }) => ({ id, score, sentiment })),
    needs: r.needs.map(({ id, confidence, evidence }) => ({ id, confidence, evidence })),
    complaint: { risk: r.complaint.risk, flagged: r.complaint.flagged, reasons: r.complaint.reasons.map((x) => x.text) },
    ...(r.turns ? { turns: r.turns.map(({ index, speaker, score, label }) => ({ index, speaker, score, label })) } : {}),
  };
}
