import type { ResultSet } from "@libsql/client";

/**
 * The rows of a hand-built statement, typed as the caller's row interface, which names the columns
 * its SQL selects. Only the write path (ingest and the scoring inside its transaction) runs hand-built
 * SQL on a raw transaction, where a Drizzle session per transaction and its row mapping would cost
 * every stored record; everywhere else Drizzle types the rows.
 */
export const rowsAs = <T>(rs: ResultSet): T[] => rs.rows as unknown as T[];
