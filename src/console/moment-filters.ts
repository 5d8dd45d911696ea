import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { interactionChannels } from "../contracts/interactions.js";
import { severities } from "../db/schema/index.js";

// What the moments page narrows to when a dashboard's "Moments by severity" cell or bar leads there:
// severities, channels and a window of trigger times. Values that are not valid are left out, as the
// console does with every filter, so a hand-edited link still shows a page.

type Severity = (typeof severities)[number];

export interface MomentFilters {
  severity: Severity[];
  channel: string[];
}

/** Whether the request asks for a window's moments rather than the live board. */
export const asksForWindow = (c: Context<AppEnv>) =>
  ["severity", "from", "to", "channel"].some((name) => c.req.query(name) !== undefined);

/** The filters of a moments page's query string (repeated or comma-separated lists). */
export function momentFiltersOf(c: Context<AppEnv>): MomentFilters {
  const list = (name: string) => [...new Set((c.req.queries(name) ?? []).flatMap((v) => v.split(",")))];
  return {
    severity: list("severity").filter((s): s is Severity => (severities as readonly string[]).includes(s)),
    channel: list("channel").filter((ch) => (interactionChannels as readonly string[]).includes(ch)),
  };
}

/**
 * The moments page listing exactly the moments of a window and filters, for a link; with a cursor,
 * the page of them after it.
 */
export function momentsHref(
  w: { from: Date; to: Date },
  f: { severity?: string[]; channel?: string[] },
  cursor?: string | null,
) {
  const p = new URLSearchParams({ from: w.from.toISOString(), to: w.to.toISOString() });
  if (f.severity?.length) p.set("severity", f.severity.join(","));
  if (f.channel?.length) p.set("channel", f.channel.join(","));
  if (cursor) p.set("cursor", cursor);
  return `/console/moments?${p}`;
}
