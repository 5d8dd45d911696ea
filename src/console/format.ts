/** Small display helpers shared by the console's pages. */

export type Tone = "negative" | "neutral" | "positive";

/** The engine's own label thresholds (lexicons/sentiment.json: ±0.1). */
export const toneOf = (score: number | null | undefined): Tone =>
  score == null ? "neutral" : score <= -0.1 ? "negative" : score >= 0.1 ? "positive" : "neutral";

export const signed = (n: number, digits = 2) => (n > 0 ? "+" : n < 0 ? "−" : "") + Math.abs(n).toFixed(digits);

/** "2026-03-01 10:15 UTC": agents compare times across channels, so one zone everywhere. */
export const when = (iso: string | number | Date) =>
  new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** The value a `datetime-local` input shows for an instant (UTC). */
export const inputValue = (d: Date) => d.toISOString().slice(0, 16);

/** Reads a `datetime-local` value (taken as UTC) or a full ISO 8601 instant; undefined when blank or invalid. */
export function parseInstant(v: string | undefined): Date | undefined {
  if (!v?.trim()) return undefined;
  const s = v.trim();
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? `${s}Z` : s;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export const channelLabel: Record<string, string> = {
  chat: "Chat",
  email: "Email",
  call_note: "Call note",
  social: "Social post",
};
