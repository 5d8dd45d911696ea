import type { ResultSet } from "@libsql/client";

/**
 * The rows of a hand-built statement, typed as the caller's row interface, which names the columns
 * its SQL selects. Only work on a raw write transaction uses it: ingest and the scoring inside its
 * transaction (where a Drizzle session per transaction and its row mapping would cost every stored
 * record), identity merges, erasure and the masking of stored records (statements beside pragmas and
 * FTS commands in one transaction, rows walked by rowid). Everywhere else Drizzle types the rows.
 */
export const rowsAs = <T>(rs: ResultSet): T[] => rs.rows as unknown as T[];
