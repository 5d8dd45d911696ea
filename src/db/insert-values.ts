import type { InArgs, InStatement, Transaction } from "@libsql/client";
import { LocalTransaction } from "./local-transaction.js";

export type SqlValue = string | number | null;

/** Inserts rows (values in `columns`' order) in the caller's transaction, with insertStatements' statements. */
export async function insertValues(
  tx: Transaction,
  table: string,
  columns: string[],
  rows: SqlValue[][],
): Promise<void> {
  if (rows.length > 0) await tx.batch(insertStatements(tx, table, columns, rows));
}

/**
 * The statements that insert rows (values in `columns`' order) in `tx`, shaped for its driver, for a
 * caller that sends them with others in one batch (through a libSQL server, one round trip):
 * - through a libSQL server, statements whose rows travel as one JSON text each (jsonRowsStatements):
 *   every bound value is an object @libsql/client encodes one by one (Hrana's JSON; 0.x has no
 *   protobuf over ws), which was a third of a node's CPU under batch ingest (bench/insert-shape.ts:
 *   client 83–92 → 15–18 µs per interaction row, sqld about the same);
 * - on an embedded file, multi-row VALUES statements (valuesStatements): binding values to a kept
 *   prepared statement costs nothing to encode, and SQLite parsing the JSON is 4–6 µs per row more.
 */
export function insertStatements(tx: Transaction, table: string, columns: string[], rows: SqlValue[][]): InStatement[] {
  if (rows.length === 0) return [];
  return tx instanceof LocalTransaction
    ? valuesStatements(table, columns, rows)
    : jsonRowsStatements(table, columns, rows);
}

const jsonRowsSql = new Map<string, string>();

/**
 * The longest JSON text one statement carries, in UTF-16 units: at most 3 bytes each in UTF-8, under
 * the 4–8 MB sqld 0.24 accepts for one argument ("string or blob too big" above it).
 */
const MAX_JSON_CHARS = 1_000_000;

/**
 * INSERTs of any number of rows whose values are one JSON text per statement (an array of rows, each
 * an array in `columns`' order) that SQLite unpacks with `json_each` and `->>`:
 * `INSERT INTO t (a, b) SELECT value->>0, value->>1 FROM json_each(?)`. One statement unless the rows
 * pass MAX_JSON_CHARS. The text is the same for every row count, a few hundred bytes for the server
 * to parse. `->>` gives SQL values (a JSON string TEXT, a number INTEGER or REAL, null NULL) and the
 * column's affinity applies as for any insert (test/db/insert-shapes.test.ts round-trips both shapes
 * on a file and through sqld).
 * @see https://sqlite.org/json1.html#jptr
 */
export function jsonRowsStatements(table: string, columns: string[], rows: SqlValue[][]): InStatement[] {
  const key = `${table}\u0000${columns.join(",")}`;
  let sql = jsonRowsSql.get(key);
  if (!sql) {
    sql = `INSERT INTO ${table} (${columns.join(",")}) SELECT ${columns.map((_, i) => `value->>${i}`).join(",")} FROM json_each(?)`;
    jsonRowsSql.set(key, sql);
  }
  const whole = JSON.stringify(rows);
  if (whole.length <= MAX_JSON_CHARS) return [{ sql, args: [whole] }];
  const out: InStatement[] = [];
  let part: string[] = [];
  let length = 0;
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (part.length > 0 && length + text.length > MAX_JSON_CHARS) {
      out.push({ sql, args: [`[${part.join(",")}]`] });
      part = [];
      length = 0;
    }
    part.push(text);
    length += text.length + 1;
  }
  out.push({ sql, args: [`[${part.join(",")}]`] });
  return out;
}

/** Most parameters one INSERT binds (SQLite allows 32,766); also bounds the statements kept prepared. */
const MAX_PARAMS = 8192;

/**
 * Multi-row INSERT statements whose row counts are powers of two (500 rows: 256 + 128 + 64 + 32 + 16
 * + 4). A multi-row statement costs ~7.5 µs per row to prepare, about a quarter of inserting an
 * interaction; with a few shapes per table, the client keeps them all prepared
 * (src/db/local-client.ts) instead of preparing one for every row count.
 */
export function valuesStatements(table: string, columns: string[], rows: SqlValue[][]): InStatement[] {
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
