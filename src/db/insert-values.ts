import type { InArgs, Transaction } from "@libsql/client";

export type SqlValue = string | number | null;

// SQLite binds at most 32,766 parameters per statement; stay well below it.
const MAX_PARAMS = 30_000;

/**
 * Inserts rows (values in `columns`' order) with multi-row INSERT statements, as many rows per
 * statement as the parameter limit allows: one statement per few hundred rows instead of one per row.
 */
export async function insertValues(tx: Transaction, table: string, columns: string[], rows: SqlValue[][]): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => "?").join(",")})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement);
    const args: SqlValue[] = [];
    for (const row of part) for (const v of row) args.push(v);
    await tx.execute({ sql: `INSERT INTO ${table} (${columns.join(",")}) VALUES ${part.map(() => tuple).join(",")}`, args: args as InArgs });
  }
}
