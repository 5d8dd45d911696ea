import { bucketStarts } from "../lib/time-window.js";
import type { Dashboard } from "../services/dashboard.js";
import { momentsHref } from "./moment-filters.js";
import { searchHref } from "./search-filters.js";

/**
 * Where each of the dashboard's bars and points leads: the search page narrowed to exactly the
 * interactions it counts, or, for moments, the moments page narrowed to exactly those. A bucket's range is its part of the window, [max(from, start), min(to, end)),
 * the same rows the dashboard grouped into it (buckets are whole UTC hours or days, the grain it groups by).
 */
export function dashboardLinks(data: Dashboard, from: Date, to: Date, channels: string[]) {
  const starts = bucketStarts(from.getTime(), to.getTime(), data.bucket);
  const bucketWindow = (i: number) => ({
    from: new Date(Math.max(from.getTime(), starts[i])),
    to: new Date(Math.min(to.getTime(), starts[i + 1] ?? to.getTime())),
  });
  const window = { from, to };
  return {
    all: searchHref(window, { channel: channels }),
    flagged: searchHref(window, { channel: channels, flagged: true }),
    sentiment: Object.fromEntries(
      data.sentimentByChannel.map((s) => [
        s.channel,
        starts.map((_, i) => searchHref(bucketWindow(i), { channel: [s.channel] })),
      ]),
    ),
    topics: data.topics.map((t) => searchHref(window, { channel: channels, topic: t.id })),
    needs: data.needs.map((n) => searchHref(window, { channel: channels, need: n.id })),
    /** Per severity, per bucket. */
    moments: Object.fromEntries(
      data.momentsBySeverity.map((s) => [
        s.severity,
        starts.map((_, i) => momentsHref(bucketWindow(i), { severity: [s.severity], channel: channels })),
      ]),
    ),
    allMoments: momentsHref(window, { channel: channels }),
  };
}

export type DashboardLinks = ReturnType<typeof dashboardLinks>;
