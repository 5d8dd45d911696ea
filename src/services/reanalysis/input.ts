import type { AnalysisInput, Speaker } from "../../analysis/types.js";

/** The stored columns an interaction is analysed again from. */
export interface StoredForAnalysis {
  channel: string;
  subject: string | null;
  text: string;
  turns: Array<{ speaker: string; text: string }> | null;
  channelData: Record<string, unknown>;
}

/**
 * The analysis input of a stored interaction, built as ingest built it (src/services/ingest/prepare.ts)
 * from what was stored: the analysed text or turns and the channel facts that bear on risk. With
 * REDACT_PII the stored text is masked, so personal data reads as its mask (`[CARD]`) this time.
 */
export function analysisInputOf(row: StoredForAnalysis): AnalysisInput {
  const turns = row.turns?.length ? row.turns.map((t) => ({ speaker: t.speaker as Speaker, text: t.text })) : undefined;
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  switch (row.channel) {
    case "chat":
      return { channel: "chat", turns: turns ?? [], context: { waitSeconds: num(row.channelData.waitSeconds) } };
    case "email":
      return { channel: "email", subject: row.subject ?? undefined, text: row.text };
    case "call_note":
      return turns
        ? { channel: "call_note", turns, context: { holdSeconds: num(row.channelData.holdSeconds) } }
        : { channel: "call_note", text: row.text, context: { holdSeconds: num(row.channelData.holdSeconds) } };
    default:
      return {
        channel: "social",
        text: row.text,
        context: {
          public: row.channelData.public === false ? false : row.channelData.public === true ? true : undefined,
        },
      };
  }
}
