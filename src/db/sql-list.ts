import { sql, type SQL } from "drizzle-orm";

/** `(?, ?, …)`: a list of values bound as parameters, for `IN` in queries written with Drizzle's `sql`. */
export const sqlList = (values: readonly (string | number)[]): SQL =>
  sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
