// Helpers for the ordered lists the pipeline builds per sentence and per message: sorting them
// cheaply while they are short, and searching them without a scan.

const SMALL = 32;

/**
 * Stable in-place insertion sort for the handful of items the pipeline orders per sentence and per
 * message (drivers, reasons, signals). `Array.prototype.sort` allocates a work array on every call,
 * which was ~2 KB of the ~35 KB each message allocated; for a few items insertion sort also compares
 * less. Same order as the built-in sort for the same comparator (both are stable).
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  // Insertion sort is quadratic: a long list (one hostile sentence can hold thousands of drivers)
  // takes the built-in sort, whose order is the same.
  if (items.length > SMALL) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i];
    let j = i - 1;
    for (; j >= 0 && compare(items[j], item) > 0; j--) items[j + 1] = items[j];
    items[j + 1] = item;
  }
  return items;
}

/**
 * In items ordered by position and disjoint (tokens, clauses), the index of the first whose end
 * (`endKey`) is past `offset`, or `items.length`. A binary search: a linear scan per lookup was
 * quadratic on long hostile texts.
 */
export function firstEndingAfter<K extends string>(
  items: ReadonlyArray<Record<K, number>>,
  endKey: K,
  offset: number,
): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid][endKey] > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
