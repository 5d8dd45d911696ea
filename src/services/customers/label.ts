import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { IdentityKind } from "../../db/schema/index.js";

/**
 * The identifier a person recognises a customer by when they have no name: an email or a phone
 * before a CRM id, device ids last. Never the internal `cus_…` id.
 */
export const displayPriority: IdentityKind[] = [
  "email",
  "phone",
  "handle",
  "customer_id",
  "account_number",
  "sender_id",
  "device_id",
];

/** A correlated subquery: the customer's best identifier as `kind:value`, or null (one index probe per row). */
export const bestIdentifierSql = (customerId: SQLWrapper | SQL): SQL =>
  sql`(SELECT kind || ':' || value FROM identities WHERE customer_id = ${customerId} ORDER BY CASE kind ${sql.join(
    displayPriority.map((k, i) => sql`WHEN ${k} THEN ${i}`),
    sql` `,
  )} ELSE 99 END LIMIT 1)`;

/** What a customer is called on a page: their name, else their best identifier's value, else "unnamed customer". */
export function customerLabel(name: string | null | undefined, best: string | null | undefined): string {
  if (name?.trim()) return name.trim();
  if (best) {
    const colon = best.indexOf(":");
    const kind = best.slice(0, colon);
    const value = best.slice(colon + 1);
    return kind === "customer_id" ? `customer ${value}` : value;
  }
  return "unnamed customer";
}

/**
 * The same label for a message that leaves Earshot (Slack, Teams): an identifier is partly hidden
 * (`j•••@example.com`, `+44•••••••123`), since a chat channel is read more widely than the console.
 */
export function maskedCustomerLabel(name: string | null | undefined, best: string | null | undefined): string {
  if (name?.trim()) return name.trim();
  if (!best) return "unnamed customer";
  const value = best.slice(best.indexOf(":") + 1);
  const at = value.indexOf("@");
  if (at > 0) return `${value[0]}•••${value.slice(at)}`;
  if (value.length <= 4) return "•".repeat(value.length);
  return `${value.slice(0, 3)}${"•".repeat(Math.max(3, value.length - 6))}${value.slice(-3)}`;
}
