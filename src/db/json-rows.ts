import type { InStatement, ResultSet, Transaction } from "@libsql/client";
import { LocalTransaction } from "./local-transaction.js";
import { rowsAs } from "./raw-rows.js";

// The reads of the ingest transaction through a libSQL server, answered as one JSON text.
//
// @libsql/client 0.18 reads a transaction's batch through a Hrana cursor: every row of every answer
// is a line of JSON of its own, each value an object ({"type":"text","value":…}), which the client
// decodes line by line (TextDecoder, JSON.parse, then its own object walk) and sqld encodes value by
// value. A journey read answers thousands of rows per batch of 500. Packed by SQLite into one JSON
// array of arrays, the same rows are one text value: the server encodes one string, the client
// parses it with V8's native JSON.parse. On an embedded file the rows cost nothing to hand over, so
// they stay rows there.

/** The one column of a packed answer. */
const PACKED = "json_rows";

export interface RowsRead {
  /** The columns the SQL selects, in the order of each packed row. */
  columns: readonly string[];
  /** Columns that may hold REALs: SQLite's JSON renders 15 digits, so these travel as 17-digit text. */
  floats?: readonly string[];
}

const packedSql = new Map<string, string>();

/** True when `tx` reaches a libSQL server (its reads are worth packing); false on an embedded file. */
export const packsReads = (tx: Transaction): boolean => !(tx instanceof LocalTransaction);

/**
 * `statement` as `tx` should send it: through a server, wrapped so that its rows come back as one
 * JSON text (`SELECT json_group_array(json_array(…)) FROM (…)`); on a file, as it is. Read the
 * answer with rowsFrom.
 */
export function readStatement(tx: Transaction, statement: InStatement, read: RowsRead): InStatement {
  if (!packsReads(tx) || typeof statement === "string") return statement;
  let sql = packedSql.get(statement.sql);
  if (!sql) {
    const floats = new Set(read.floats ?? []);
    // printf('%!.17g') gives the 17 significant digits that bring a double back exactly (without '!'
    // SQLite stops at 16); integers, text and NULL pass through json_array as they are.
    const values = read.columns.map((c) =>
      floats.has(c) ? `CASE WHEN typeof(${c}) = 'real' THEN printf('%!.17g', ${c}) ELSE ${c} END` : c,
    );
    // The aggregate takes the rows in the order the subquery gives them (SQLite does not flatten a
    // subquery with an ORDER BY into an aggregate). sqld parses every statement itself and refuses
    // the aggregate's own ORDER BY (SQLite 3.44), so callers that need an order keep it in their SQL.
    sql = `SELECT json_group_array(json_array(${values.join(", ")})) AS ${PACKED} FROM (${statement.sql})`;
    packedSql.set(statement.sql, sql);
  }
  return { sql, args: statement.args };
}

/** The rows of an answer to readStatement, named by `read.columns`, whichever way they travelled. */
export function rowsFrom<T>(rs: ResultSet, read: RowsRead): T[] {
  if (rs.columns.length !== 1 || rs.columns[0] !== PACKED) return rowsAs<T>(rs);
  const packed = JSON.parse(String(rs.rows[0][0])) as unknown[][];
  const { columns } = read;
  const floats = read.floats ? read.floats.map((c) => columns.indexOf(c)) : [];
  const out: T[] = new Array(packed.length);
  for (let r = 0; r < packed.length; r++) {
    const values = packed[r];
    for (const f of floats) if (typeof values[f] === "string") values[f] = Number(values[f]);
    const row: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c]] = values[c];
    out[r] = row as T;
  }
  return out;
}
