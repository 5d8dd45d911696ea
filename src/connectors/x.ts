import { z } from "zod";
import type { InteractionInput } from "../contracts/interactions.js";
import { readPayload } from "./read.js";
import { bad, hmac, ok, sameSignature, timeOf } from "./signature.js";
import type { Connector, Mapped } from "./types.js";

// X API v2 responses (a search, a mention or a conversation page, or a filtered-stream line): `data`
// holds one tweet or a list, `includes.users` their authors (`expansions=author_id`), with
// `tweet.fields=created_at,conversation_id,referenced_tweets,lang`. Account Activity webhooks are
// signed: x-twitter-webhooks-signature is "sha256=" and the base64 HMAC-SHA256 of the body with the
// app's consumer secret. Pages an Earshot user's poller posts are unsigned (see CONNECTOR_UNSIGNED).

const tweet = z.looseObject({
  id: z.string(),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  conversation_id: z.string().optional(),
  lang: z.string().optional(),
  referenced_tweets: z.array(z.looseObject({ type: z.string(), id: z.string() })).optional(),
});
const page = z.looseObject({
  data: z.union([tweet, z.array(tweet)]),
  includes: z
    .looseObject({
      users: z.array(z.looseObject({ id: z.string(), username: z.string(), name: z.string().optional() })).default([]),
    })
    .optional(),
});

export const x: Connector = {
  sender: "x",
  signatureHeader: "x-twitter-webhooks-signature",
  verify(raw, header, secret) {
    const expected = "sha256=" + hmac("sha256", secret, [raw], "base64");
    return sameSignature(expected, header("x-twitter-webhooks-signature") ?? "")
      ? ok
      : bad("x-twitter-webhooks-signature does not match the body");
  },
  map(payload) {
    const p = readPayload(page, payload, "x");
    const tweets = Array.isArray(p.data) ? p.data : [p.data];
    const users = new Map((p.includes?.users ?? []).map((u) => [u.id, u]));
    const out: Mapped = { event: "tweets", interactions: [], events: [], unmapped: [] };
    for (const t of tweets) {
      const at = timeOf(t.created_at)?.toISOString();
      if (!at) {
        out.unmapped.push(`tweet ${t.id} has no created_at (request tweet.fields=created_at)`);
        continue;
      }
      const user = t.author_id ? users.get(t.author_id) : undefined;
      if (!t.author_id) {
        out.unmapped.push(`tweet ${t.id} has no author_id (request expansions=author_id)`);
        continue;
      }
      const repliedTo = t.referenced_tweets?.find((r) => r.type === "replied_to")?.id;
      const quoted = t.referenced_tweets?.find((r) => r.type === "quoted")?.id;
      if (t.referenced_tweets?.some((r) => r.type === "retweeted")) {
        out.unmapped.push(`tweet ${t.id} is a retweet: the words are someone else's`);
        continue;
      }
      out.interactions.push({
        source: "x",
        externalId: t.id,
        occurredAt: at,
        channel: "social",
        platform: "x",
        text: t.text,
        public: true,
        ...(user ? { authorHandle: user.username, url: `https://x.com/${user.username}/status/${t.id}` } : {}),
        ...(repliedTo ? { inReplyTo: repliedTo } : {}),
        customer: { senderId: { system: "x", id: `user:${t.author_id}` }, ...(user?.name ? { name: user.name } : {}) },
        metadata: {
          x: {
            conversationId: t.conversation_id,
            ...(quoted ? { quotes: quoted } : {}),
            ...(t.lang ? { lang: t.lang } : {}),
          },
        },
      } as InteractionInput);
    }
    return out;
  },
};
