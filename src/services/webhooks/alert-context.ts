import { eq, inArray, sql } from "drizzle-orm";
import type { PiiRules } from "../../analysis/masking.js";
import { maskText } from "../../analysis/masking.js";
import type { Db } from "../../db/client.js";
import { customers, interactions } from "../../db/schema/index.js";
import { bestIdentifierSql, maskedCustomerLabel } from "../customers/label.js";
import { clip, type MomentAlert } from "./chat-messages.js";

interface MomentEventData {
  id?: unknown;
  customerId?: unknown;
  severity?: unknown;
  status?: unknown;
  triggerId?: unknown;
  reasons?: Array<{ text: string; weight: number; refs?: string[] }>;
  byName?: unknown;
  assignee?: { name?: string } | null;
  team?: unknown;
}

/**
 * The facts a chat alert shows, read when it is sent: the customer's name (or a partly hidden
 * identifier), the channel and a short excerpt of the contact behind the moment, masked again here
 * (the stored text is unmasked when REDACT_PII=false), and the strongest reasons. Two indexed lookups.
 */
export async function momentAlert(
  db: Db,
  event: { type: string; data: MomentEventData },
  opts: { consoleUrl: string; pii: PiiRules },
): Promise<MomentAlert> {
  const d = event.data;
  const customerId = String(d.customerId ?? "");
  const [c] = await db
    .select({ name: customers.displayName, best: sql<string | null>`${bestIdentifierSql(customers.id)}` })
    .from(customers)
    .where(eq(customers.id, customerId));
  const reasons = [...(d.reasons ?? [])].sort((a, b) => b.weight - a.weight);
  // The contact to quote: the trigger when it is one, else the first contact behind the top reason.
  const candidates = [String(d.triggerId ?? ""), ...reasons.flatMap((r) => r.refs ?? [])].filter((id) =>
    id.startsWith("int_"),
  );
  let channel: string | null = null;
  let excerpt: string | null = null;
  if (candidates.length) {
    const rows = await db
      .select({ id: interactions.id, channel: interactions.channel, text: interactions.text })
      .from(interactions)
      .where(inArray(interactions.id, [...new Set(candidates)].slice(0, 20)));
    const pick = candidates.map((id) => rows.find((r) => r.id === id)).find(Boolean);
    if (pick) {
      channel = pick.channel;
      // Chat text is stored as "speaker: words" lines; the alert quotes the words.
      const words = maskText(pick.text, opts.pii).replace(/^(customer|agent|bot|system):\s*/gim, "");
      excerpt = clip(words.replace(/\s+/g, " ").trim(), 180) || null;
    }
  }
  const id = String(d.id ?? "");
  return {
    type: event.type,
    severity: String(d.severity ?? "unknown"),
    status: String(d.status ?? "open"),
    customer: maskedCustomerLabel(c?.name, c?.best),
    channel,
    excerpt,
    reasons: reasons.slice(0, 3).map((r) => r.text),
    by: typeof d.byName === "string" ? d.byName : null,
    assignee: d.assignee?.name ?? (typeof d.team === "string" ? `team ${d.team}` : null),
    link: `${opts.consoleUrl.replace(/\/+$/, "")}/console/moments/${encodeURIComponent(id)}`,
  };
}
