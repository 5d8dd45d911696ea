import type { JourneyItem, MomentScore } from "../../journeys/journey-risk.js";

/**
 * The channels and needs of the interactions behind a score's reasons (and its trigger), as the
 * comma-separated lists the queue filters on.
 */
export function workContext(window: JourneyItem[], trigger: JourneyItem, score: MomentScore) {
  const refs = new Set<string>([trigger.id]);
  for (const r of score.reasons) for (const ref of r.refs) refs.add(ref);
  const channels = new Set<string>();
  const needs = new Set<string>();
  for (const item of window) {
    if (item.kind !== "interaction" || !refs.has(item.id)) continue;
    if (item.channel) channels.add(item.channel);
    for (const n of item.needs ?? []) needs.add(n);
  }
  return { channels: [...channels].join(",") || null, needs: [...needs].join(",") || null };
}

/** Two comma-separated lists as one, each value once. */
export const unionList = (a: string | null, b: string | null) =>
  [...new Set([...(a ? a.split(",") : []), ...(b ? b.split(",") : [])])].join(",") || null;
