import { z } from "zod";
import type { InteractionInput } from "../contracts/interactions.js";
import { readPayload } from "./read.js";
import { timeOf } from "./signature.js";
import type { Connector, Mapped } from "./types.js";

// Reddit API "things": comments (kind t1) and submissions (t3), alone, in a Listing, or in a
// comments page (an array: the submission's listing, then the comments' listing, replies nested in
// `replies`). Reddit does not sign; the Earshot key authenticates the poster.

const thing = z.looseObject({ kind: z.string(), data: z.looseObject({}) });
const listing = z.looseObject({ kind: z.literal("Listing"), data: z.looseObject({ children: z.array(thing) }) });
const delivery = z.union([listing, z.array(listing), thing]);

const fields = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  author: z.string().optional(),
  author_fullname: z.string().optional(),
  body: z.string().optional(),
  title: z.string().optional(),
  selftext: z.string().optional(),
  created_utc: z.number(),
  permalink: z.string().optional(),
  parent_id: z.string().optional(),
  link_id: z.string().optional(),
  subreddit: z.string().optional(),
  replies: z.unknown().optional(),
});

/** Nested replies are walked iteratively, up to this many things per delivery. */
const MAX_THINGS = 5000;

export const reddit: Connector = {
  sender: "reddit",
  map(payload) {
    const d = readPayload(delivery, payload, "reddit");
    const out: Mapped = { event: "things", interactions: [], events: [], unmapped: [] };
    const stack: unknown[] = (Array.isArray(d) ? d : [d])
      .flatMap((l) => ("data" in l && "children" in l.data ? l.data.children : [l]))
      .reverse();
    let seen = 0;
    while (stack.length && seen < MAX_THINGS) {
      const t = thing.safeParse(stack.pop());
      if (!t.success) continue;
      seen++;
      if (t.data.kind === "more") {
        out.unmapped.push(`a "more" stub holds further comments: fetch them with /api/morechildren`);
        continue;
      }
      if (t.data.kind !== "t1" && t.data.kind !== "t3") {
        out.unmapped.push(`a thing of kind ${t.data.kind} is not mapped`);
        continue;
      }
      const f = fields.safeParse(t.data.data);
      if (!f.success) {
        out.unmapped.push(`a ${t.data.kind} without id or created_utc`);
        continue;
      }
      const c = f.data;
      const replies = listing.safeParse(c.replies);
      if (replies.success) for (const r of [...replies.data.data.children].reverse()) stack.push(r);
      const text = t.data.kind === "t1" ? c.body : [c.title, c.selftext].filter((s) => s?.trim()).join("\n\n");
      if (!text?.trim() || text === "[deleted]" || text === "[removed]" || !c.author || c.author === "[deleted]") {
        out.unmapped.push(`${t.data.kind}_${c.id} is deleted or has no text`);
        continue;
      }
      out.interactions.push({
        source: "reddit",
        externalId: c.name ?? `${t.data.kind}_${c.id}`,
        occurredAt: timeOf(c.created_utc)?.toISOString() ?? "",
        channel: "social",
        platform: "reddit",
        text,
        public: true,
        authorHandle: c.author,
        ...(c.permalink ? { url: `https://www.reddit.com${c.permalink}` } : {}),
        ...(c.parent_id ? { inReplyTo: c.parent_id } : {}),
        customer: c.author_fullname ? { senderId: { system: "reddit", id: c.author_fullname } } : undefined,
        metadata: { reddit: { subreddit: c.subreddit, ...(c.link_id ? { submission: c.link_id } : {}) } },
      } as InteractionInput);
    }
    if (stack.length) out.unmapped.push(`more than ${MAX_THINGS} things: the rest were left out`);
    return out;
  },
};
