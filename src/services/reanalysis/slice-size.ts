/** The last slice a job wrote: its rows and how long their write took. */
export interface SliceTiming {
  rows: number;
  ms: number;
}

/** Rows in a job's first slice, before any slice has been timed. */
export const FIRST_SLICE_ROWS = 4;

/**
 * Rows for the job's next write slice, aiming at `targetMs`. A live post waits behind one slice at
 * most, so a slice must never be much longer than the target: it grows at most two-fold from the
 * last one (a run of cheap rows is no promise about the next ones, which may carry many moments),
 * and a slice that ran over the target shrinks the next one at once, from its own rate rather than
 * the smoothed one, which a single slow slice moves only a little.
 */
export function nextSliceRows(last: SliceTiming | null, msPerRow: number | null, targetMs: number): number {
  if (last === null || msPerRow === null) return FIRST_SLICE_ROWS;
  let rows = Math.floor(targetMs / Math.max(1e-3, msPerRow));
  rows = Math.min(rows, 2 * last.rows);
  if (last.ms > targetMs) rows = Math.min(rows, Math.floor((last.rows * targetMs) / last.ms));
  return Math.max(1, rows);
}
