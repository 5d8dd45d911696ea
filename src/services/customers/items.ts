import { unpackHeadline } from "../../analysis/stored-form.js";

/** The parts of a stored analysis an agent sees on a timeline or in search results. */
export function analysisSummary(raw: string | null) {
  if (!raw) return null;
  const a = unpackHeadline(raw);
  return {
    language: { code: a.language.code, analysed: a.language.analysed },
    sentiment: { score: a.sentiment.score, label: a.sentiment.label },
    emotions: a.emotions.map((e) => ({ id: e.id, score: e.score })),
    topics: a.topics.map((t) => ({ id: t.id, sentiment: t.sentiment })),
    needs: a.needs.map((n) => ({ id: n.id, confidence: n.confidence })),
    complaint: {
      risk: a.complaint.risk,
      flagged: a.complaint.flagged,
      reasons: a.complaint.reasons.map((r) => r.text),
    },
    ...(a.trajectory ? { trajectory: a.trajectory } : {}),
  };
}

const oneLine = (s: string, max = 140) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
};

/** One line that says what an interaction was: its subject, or the customer's first words. */
export function interactionSummary(_channel: string, subject: string | null, text: string): string {
  if (subject) return oneLine(`${subject} — ${text}`);
  const customerLine = text.split("\n").find((l) => l.startsWith("customer: "));
  return oneLine(customerLine ? customerLine.slice("customer: ".length) : text);
}

/** One line for a journey event: "transaction withdrawal failed 900 USD". */
export function eventSummary(
  type: string,
  name: string | null,
  status: string | null,
  amount: number | null,
  currency: string | null,
): string {
  return [type, name, status, amount !== null ? `${amount}${currency ? ` ${currency}` : ""}` : null]
    .filter(Boolean)
    .join(" ");
}
