import type { CountryCode } from "libphonenumber-js";
import type { Db } from "../../db/client.js";
import { identifierPriority, normaliseAccountNumber, normaliseEmail, normaliseHandle, normalisePhone } from "../identity/normalise.js";

type Row = Record<string, string | number | null>;

/**
 * Finds customers by name, email, phone, handle, account number, CRM or device id. The query is
 * normalised the way each identifier kind is stored, so "+1 (202) 555-0143", "@Maria_G" and
 * "MARIA@EXAMPLE.COM" all find their owner; names match case-insensitively on any part.
 */
export async function searchCustomers(db: Db, q: string, phoneRegion: CountryCode, limit: number) {
  const term = q.trim();
  const candidates = new Set<string>([term, normaliseEmail(term), normaliseAccountNumber(term)]);
  try {
    candidates.add(normalisePhone(term, phoneRegion));
  } catch {
    /* not a phone number */
  }
  const handle = term.replace(/^@/, "").toLowerCase();
  // Exact identifier lookups use the (kind, value) index. Handles without their platform and names are
  // substring scans, so they run only when the query could be one: "@name" or a word without "@" or digits.
  const mayBeHandle = term.startsWith("@") || /^[\w.]+$/.test(term);
  const mayBeName = !term.includes("@") && !/\d/.test(term);
  // Naming every kind lets the (kind, value) index probe each pair; by value alone SQLite scans the table.
  const parts = [`SELECT customer_id FROM identities WHERE kind IN (${identifierPriority.map(() => "?").join(",")}) AND value IN (${[...candidates].map(() => "?").join(",")})`];
  const args: (string | number)[] = [...identifierPriority, ...candidates];
  if (mayBeHandle) {
    parts.push("SELECT customer_id FROM identities WHERE kind = 'handle' AND value LIKE ? ESCAPE '\\'");
    args.push(`%:${escapeLike(handle)}`);
  }
  if (mayBeName) {
    parts.push("SELECT id FROM customers WHERE display_name LIKE ? ESCAPE '\\' COLLATE NOCASE");
    args.push(`%${escapeLike(term)}%`);
  }
  args.push(limit);
  const rs = await db.$client.execute({
    sql: `SELECT c.id, c.display_name, max(i.occurred_at) AS last_contact
      FROM customers c LEFT JOIN interactions i ON i.customer_id = c.id
      WHERE c.id IN (${parts.join(" UNION ")}) AND c.merged_into IS NULL
      GROUP BY c.id ORDER BY last_contact DESC NULLS LAST LIMIT ?`,
    args,
  });
  return withIdentifiers(db, rs.rows as unknown as Row[]);
}

/**
 * Customer rows (id, display_name, last_contact) as the cards search results show, each with its
 * identifiers (one query for all of them).
 */
export async function withIdentifiers(db: Db, rows: Row[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => String(r.id));
  const idRows = (await db.$client.execute({
    sql: `SELECT customer_id, kind, value FROM identities WHERE customer_id IN (${ids.map(() => "?").join(",")}) ORDER BY kind, value`,
    args: ids,
  })).rows as unknown as Row[];
  return rows.map((r) => ({
    id: String(r.id),
    displayName: r.display_name as string | null,
    lastContactAt: r.last_contact === null ? null : new Date(Number(r.last_contact)).toISOString(),
    identifiers: idRows.filter((x) => x.customer_id === r.id).map((x) => ({ kind: String(x.kind), value: String(x.value) })),
  }));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
