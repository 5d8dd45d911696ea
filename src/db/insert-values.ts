import type { InArgs, InStatement, Transaction } from "@libsql/client";

export type SqlValue = string | number | null;

/** Most parameters one INSERT binds (SQLite allows 32,766); also bounds the statements kept prepared. */
const MAX_PARAMS = 8192;

/**
 * Inserts rows (values in `columns`' order) with multi-row INSERT statements whose row counts are
 * powers of two (500 rows: 256 + 128 + 64 + 32 + 16 + 4). A multi-row statement costs ~7.5 µs per
 * row to prepare, about a quarter of inserting an interaction; with a few shapes per table, the
 * client keeps them all prepared (src/db/local-client.ts) instead of preparing one for every row count.
 */
export async function insertValues(
  tx: Transaction,
  table: string,
  columns: string[],
  rows: SqlValue[][],
): Promise<void> {
  if (rows.length > 0) await tx.batch(insertStatements(table, columns, rows));
}

/**
 * The statements insertValues runs, for a caller that sends them with others in one batch: through a
 * libSQL server a batch is one round trip, however many statements it holds.
 */
export function insertStatements(table: string, columns: string[], rows: SqlValue[][]): InStatement[] {
  const tuple = `(${columns.map(() => "?").join(",")})`;
  const head = `INSERT INTO ${table} (${columns.join(",")}) VALUES `;
  let largest = 1;
  while (largest * 2 * columns.length <= MAX_PARAMS) largest *= 2;
  const out: InStatement[] = [];
  for (let i = 0; i < rows.length; ) {
    let size = largest;
    while (size > rows.length - i) size >>= 1;
    const args: SqlValue[] = [];
    for (let r = i; r < i + size; r++) for (const v of rows[r]) args.push(v);
    out.push({ sql: head + Array(size).fill(tuple).join(","), args: args as InArgs });
    i += size;
  }
  return out;
}

/**
 * A list of values as one JSON parameter, for `IN (SELECT value FROM json_each(?))`: the statement's
 * text is then the same however long the list, so it stays prepared.
 */
export function jsonList(values: readonly SqlValue[]): string {
  return JSON.stringify(values);
}
