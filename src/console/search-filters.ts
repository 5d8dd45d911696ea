import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { interactionChannels } from "../contracts/interactions.js";

// What the console's search page narrows to besides its text and window: the buckets a dashboard chart
// drills down to. Each value is checked as the API checks it; one that is not valid is left out, as the
// console does with every filter, so a hand-edited link still shows a page.

const SENTIMENTS = ["negative", "neutral", "positive"] as const;
type Sentiment = (typeof SENTIMENTS)[number];

export interface SearchFilters {
  channel: string[];
  sentiment: Sentiment[];
  topic?: string;
  need?: string;
  flagged?: boolean;
}

const ID = /^[a-z_]{1,50}$/;

/** The filters of a search page's query string (repeated or comma-separated lists). */
export function searchFiltersOf(c: Context<AppEnv>): SearchFilters {
  const list = (name: string) => [...new Set((c.req.queries(name) ?? []).flatMap((v) => v.split(",")))];
  const topic = c.req.query("topic");
  const need = c.req.query("need");
  const flagged = c.req.query("flagged");
  return {
    channel: list("channel").filter((ch) => (interactionChannels as readonly string[]).includes(ch)),
    sentiment: list("sentiment").filter((s): s is Sentiment => (SENTIMENTS as readonly string[]).includes(s)),
    ...(topic && ID.test(topic) ? { topic } : {}),
    ...(need && ID.test(need) ? { need } : {}),
    ...(flagged === "true" || flagged === "false" ? { flagged: flagged === "true" } : {}),
  };
}

export const hasFilters = (f: SearchFilters) =>
  f.channel.length > 0 || f.sentiment.length > 0 || !!f.topic || !!f.need || f.flagged !== undefined;

/** A window and filters as query parameters, in the API's form (lists comma-separated), for a link. */
export function filterParams(w: { from: Date; to: Date; q?: string }, f: Partial<SearchFilters>) {
  const p = new URLSearchParams({ from: w.from.toISOString(), to: w.to.toISOString() });
  if (w.q) p.set("q", w.q);
  if (f.channel?.length) p.set("channel", f.channel.join(","));
  if (f.sentiment?.length) p.set("sentiment", f.sentiment.join(","));
  if (f.topic) p.set("topic", f.topic);
  if (f.need) p.set("need", f.need);
  if (f.flagged !== undefined) p.set("flagged", String(f.flagged));
  return p;
}

/** The search page showing exactly the interactions of a window and filters. */
export const searchHref = (w: { from: Date; to: Date; q?: string }, f: Partial<SearchFilters>) =>
  `/console?${filterParams(w, f)}`;
