import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { deliver, hmacOf } from "./support.js";

// A page in the shape of X API v2's recent-search / mentions responses with
// tweet.fields=created_at,conversation_id,referenced_tweets,lang and expansions=author_id.
const SECRET = "x-consumer-secret-555";

const page = {
  data: [
    {
      id: "1897001",
      text: "@AcmeBank your app logged me out three times today and support never answers",
      author_id: "2244994945",
      created_at: "2025-03-03T10:15:00.000Z",
      conversation_id: "1897001",
      lang: "en",
      edit_history_tweet_ids: ["1897001"],
    },
    {
      id: "1897002",
      text: "@maria_g Sorry about that! Please DM us your details.",
      author_id: "783214",
      created_at: "2025-03-03T10:20:00.000Z",
      conversation_id: "1897001",
      lang: "en",
      referenced_tweets: [{ type: "replied_to", id: "1897001" }],
      edit_history_tweet_ids: ["1897002"],
    },
    {
      id: "1897003",
      text: "Same here, it's been broken all week",
      author_id: "99887766",
      created_at: "2025-03-03T10:25:00.000Z",
      conversation_id: "1897003",
      referenced_tweets: [{ type: "quoted", id: "1897001" }],
      edit_history_tweet_ids: ["1897003"],
    },
    {
      id: "1897004",
      text: "RT @maria_g: your app logged me out",
      author_id: "11223344",
      created_at: "2025-03-03T10:26:00.000Z",
      referenced_tweets: [{ type: "retweeted", id: "1897001" }],
      edit_history_tweet_ids: ["1897004"],
    },
    { id: "1897005", text: "no time on this one", author_id: "11223344", edit_history_tweet_ids: ["1897005"] },
  ],
  includes: {
    users: [
      { id: "2244994945", name: "Maria G", username: "maria_g" },
      { id: "783214", name: "Acme Bank", username: "AcmeBank" },
      { id: "99887766", name: "Tom", username: "tom_t" },
    ],
  },
  meta: { newest_id: "1897005", oldest_id: "1897001", result_count: 5 },
};

describe("POST /v1/connectors/x", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ CONNECTOR_X_SECRET: SECRET });
  });
  afterAll(() => h.close());

  const send = (body: unknown, secret = SECRET) => {
    const raw = JSON.stringify(body);
    return deliver(h, "x", raw, {
      "x-twitter-webhooks-signature": "sha256=" + hmacOf("sha256", secret, raw, "base64"),
    });
  };

  it("maps tweets to public social posts with their author's handle, replies and quotes; reports retweets and tweets without a time", async () => {
    const out = await (await send(page)).json();
    expect(out.records.map((r: { externalId: string }) => r.externalId)).toEqual(["1897001", "1897002", "1897003"]);
    expect(out.unmapped).toEqual([
      expect.stringContaining("1897004 is a retweet"),
      expect.stringContaining("1897005 has no created_at"),
    ]);
    const first = await (await h.request("GET", `/v1/interactions/${out.records[0].id}`)).json();
    expect(first).toMatchObject({ channel: "social", source: "x" });
    expect(first.channelData).toMatchObject({
      platform: "x",
      authorHandle: "maria_g",
      url: "https://x.com/maria_g/status/1897001",
      public: true,
    });
    const reply = await (await h.request("GET", `/v1/interactions/${out.records[1].id}`)).json();
    expect(reply.channelData.inReplyTo).toBe("1897001");
    const quote = await (await h.request("GET", `/v1/interactions/${out.records[2].id}`)).json();
    expect(quote.metadata.x.quotes).toBe("1897001");
    const customer = await (await h.request("GET", `/v1/customers/${first.customerId}`)).json();
    expect(JSON.stringify(customer)).toContain("x:maria_g");
    expect(JSON.stringify(customer)).toContain("x:user:2244994945");
  });

  it("takes a single-tweet object too, and is idempotent on the tweet id", async () => {
    const one = { data: page.data[0], includes: page.includes };
    const out = await (await send(one)).json();
    expect(out.records[0]).toMatchObject({ externalId: "1897001", status: "existing" });
  });

  it("refuses a wrong or missing signature unless x is allowed unsigned", async () => {
    expect((await send(page, "nope")).status).toBe(401);
    expect((await deliver(h, "x", page)).status).toBe(401);
    const open = await createHarness({ CONNECTOR_UNSIGNED: "x" });
    try {
      expect((await deliver(open, "x", page)).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it("refuses a page without data (422)", async () => {
    const res = await send({ meta: { result_count: 0 } });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].field).toBe("data");
  });
});
