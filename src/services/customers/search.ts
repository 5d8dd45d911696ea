import type { CountryCode } from "libphonenumber-js";
import { sql } from "drizzle-orm";
import { sqlList } from "../../db/sql-list.js";
import type { Db } from "../../db/client.js";
import { identifierPriority, normaliseAccountNumber, normaliseEmail, normalisePhone } from "../identity/normalise.js";

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
  const parts = [
    sql`SELECT customer_id FROM identities WHERE kind IN ${sqlList(identifierPriority)} AND value IN ${sqlList([...candidates])}`,
  ];
  if (mayBeHandle)
    parts.push(
      sql`SELECT customer_id FROM identities WHERE kind = 'handle' AND value LIKE ${`%:${escapeLike(handle)}`} ESCAPE '\\'`,
    );
  if (mayBeName)
    parts.push(
      sql`SELECT id FROM customers WHERE display_name LIKE ${`%${escapeLike(term)}%`} ESCAPE '\\' COLLATE NOCASE`,
    );
  const rows = await db.all<CustomerCardRow>(sql`
    SELECT c.id, c.display_name, max(i.occurred_at) AS last_contact
      FROM customers c LEFT JOIN interactions i ON i.customer_id = c.id
      WHERE c.id IN (${sql.join(parts, sql` UNION `)}) AND c.merged_into IS NULL
      GROUP BY c.id ORDER BY last_contact DESC NULLS LAST LIMIT ${limit}`);
  return withIdentifiers(db, rows);
}

// The identity reads are written as SQL over the table names (test/query-plans.test.ts checks every
// statement that reads identities is answered from an index).

/** A customer row as the cards search results show: `last_contact` in epoch milliseconds. */
export interface CustomerCardRow {
  id: string;
  display_name: string | null;
  last_contact: number | null;
}

/** Customer rows as the cards search results show, each with its identifiers (one query for all of them). */
export async function withIdentifiers(db: Db, rows: CustomerCardRow[]) {
  if (rows.length === 0) return [];
  const idRows = await db.all<{ customer_id: string; kind: string; value: string }>(
    sql`SELECT customer_id, kind, value FROM identities WHERE customer_id IN ${sqlList(rows.map((r) => r.id))} ORDER BY kind, value`,
  );
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    lastContactAt: r.last_contact === null ? null : new Date(Number(r.last_contact)).toISOString(),
    identifiers: idRows.filter((x) => x.customer_id === r.id).map((x) => ({ kind: x.kind, value: x.value })),
  }));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
