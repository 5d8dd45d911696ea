// How much one CSV export holds, and how it is read: a caller who needs more follows the continuation
// cursor, so no request reads more than EXPORT_MAX_ROWS rows, and no export is cut without saying so.

/** The most rows one export holds. */
export const EXPORT_MAX_ROWS = 10_000;
/** Rows read from the database per query while an export streams. */
export const EXPORT_PAGE_ROWS = 500;

/** What an export holds, known before its first row is written, and its rows as they are read. */
export interface ExportPlan<R> {
  columns: readonly string[];
  /** How many rows it holds (rows arriving inside its range while it streams are added). */
  rows: number;
  /** Pass back as `cursor` for the rows after these; null when this export reaches the end. */
  nextCursor: string | null;
  records(): AsyncGenerator<R>;
}
