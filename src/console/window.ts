import { INSTANT_RANGE_MESSAGE, instantInRange, MAX_WINDOW_DAYS, MAX_WINDOW_MS } from "../lib/time-window.js";
import { parseInstant, when } from "./format.js";

export type ConsoleWindow = { from: Date; to: Date; note?: string } | { field: "from" | "to"; message: string };

/**
 * A console page's window from its `from`/`to` inputs, bounded as the API bounds its windows
 * (src/lib/time-window.ts). A blank input takes the default (`defaultSpanMs` ending now); one that is
 * not a date or lies outside 1970–2100 is refused naming the field, for the page to say so; an inverted
 * window is swapped back; one longer than the maximum keeps its end and is shortened, with a note
 * saying so, because a person who typed a long window still wants to see the most recent part of it.
 */
export function consoleWindow(query: { from?: string; to?: string }, now: Date, defaultSpanMs: number): ConsoleWindow {
  const given = { from: parseInstant(query.from), to: parseInstant(query.to) };
  for (const field of ["from", "to"] as const) {
    const raw = query[field]?.trim();
    if (!raw) continue;
    const d = given[field];
    if (!d) return { field, message: "is not a date and time, e.g. 2026-03-01T10:15" };
    if (!instantInRange(d)) return { field, message: INSTANT_RANGE_MESSAGE };
  }
  let to = given.to ?? now;
  let from = given.from ?? new Date(to.getTime() - defaultSpanMs);
  if (from >= to) [from, to] = [to, from];
  if (from.getTime() === to.getTime()) to = new Date(from.getTime() + 60_000);
  if (to.getTime() - from.getTime() <= MAX_WINDOW_MS) return { from, to };
  const shortened = new Date(to.getTime() - MAX_WINDOW_MS);
  return {
    from: shortened,
    to,
    note: `The window was shortened to its last ${MAX_WINDOW_DAYS} days (from ${when(shortened)}), the longest one page covers.`,
  };
}
