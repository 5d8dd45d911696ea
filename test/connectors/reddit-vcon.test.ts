import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { deliver } from "./support.js";

// Reddit: a comments page as /r/{sub}/comments/{id}.json returns it (the submission's Listing, then
// the comments' Listing with replies nested), fields as in Reddit's API documentation.
const comment = (id: string, body: string, author: string, parent: string, replies: unknown = "") => ({
  kind: "t1",
  data: {
    id,
    name: `t1_${id}`,
    author,
    author_fullname: `t2_${author}`,
    body,
    created_utc: 1741000000,
    link_id: "t3_1abcde",
    parent_id: parent,
    permalink: `/r/acme/comments/1abcde/app/${id}/`,
    subreddit: "acme",
    replies,
  },
});
const redditPage = [
  {
    kind: "Listing",
    data: {
      children: [
        {
          kind: "t3",
          data: {
            id: "1abcde",
            name: "t3_1abcde",
            author: "maria_g",
            author_fullname: "t2_maria",
            title: "App keeps logging me out",
            selftext: "Third time today, support is useless.",
            created_utc: 1740990000,
            permalink: "/r/acme/comments/1abcde/app/",
            subreddit: "acme",
          },
        },
      ],
    },
  },
  {
    kind: "Listing",
    data: {
      children: [
        comment("c1", "Same for me since the update", "tom_t", "t3_1abcde", {
          kind: "Listing",
          data: { children: [comment("c2", "Reinstalling fixed it for me", "ann", "t1_c1")] },
        }),
        comment("c3", "[deleted]", "[deleted]", "t3_1abcde"),
        { kind: "more", data: { count: 12, children: ["c9"] } },
      ],
    },
  },
];

// vCon: the shape of draft-ietf-vcon-vcon-core's examples: parties, a text dialog pair and a
// recording with its transcript in `analysis`.
const vcon = {
  vcon: "0.0.2",
  uuid: "018e8a1c-7c2f-8b3a-9d4e-5f6a7b8c9d0e",
  created_at: "2025-03-03T10:00:00.000Z",
  subject: "Billing dispute",
  parties: [
    { tel: "+14155550123", name: "Alex Doe", role: "customer" },
    { mailto: "agent.kim@acme.example", name: "Kim", role: "agent" },
  ],
  dialog: [
    {
      type: "text",
      start: "2025-03-03T10:00:00.000Z",
      parties: [0, 1],
      originator: 0,
      mimetype: "text/plain",
      body: "I was charged twice this month.",
    },
    {
      type: "text",
      start: "2025-03-03T10:01:00.000Z",
      parties: [1, 0],
      originator: 1,
      mimetype: "text/plain",
      body: "I can see that, I'll refund one.",
    },
    {
      type: "recording",
      start: "2025-03-03T10:05:00.000Z",
      duration: 184,
      parties: [0, 1],
      mimetype: "audio/x-wav",
      url: "https://recordings.example/abc.wav",
    },
  ],
  analysis: [
    {
      type: "transcript",
      dialog: 2,
      vendor: "acme-asr",
      encoding: "json",
      body: JSON.stringify([
        { party: 0, text: "Is the refund done? This is getting ridiculous." },
        { party: 1, text: "Yes, it went out this morning." },
      ]),
    },
  ],
  attachments: [],
};

describe("reddit and vcon connectors", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it("maps a Reddit comments page: the submission and nested comments, with deleted ones and 'more' stubs reported", async () => {
    const res = await deliver(h, "reddit", redditPage);
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.records.map((r: { externalId: string }) => r.externalId)).toEqual(["t3_1abcde", "t1_c1", "t1_c2"]);
    expect(out.unmapped).toEqual([expect.stringContaining("deleted"), expect.stringContaining("more")]);
    const post = await (await h.request("GET", `/v1/interactions/${out.records[0].id}`)).json();
    expect(post.text).toBe("App keeps logging me out\n\nThird time today, support is useless.");
    expect(post.channelData).toMatchObject({
      platform: "reddit",
      authorHandle: "maria_g",
      url: "https://www.reddit.com/r/acme/comments/1abcde/app/",
    });
    const reply = await (await h.request("GET", `/v1/interactions/${out.records[2].id}`)).json();
    expect(reply.channelData.inReplyTo).toBe("t1_c1");
    const again = await (await deliver(h, "reddit", redditPage)).json();
    expect(again.records.every((r: { status: string }) => r.status === "existing")).toBe(true);
  });

  it("maps a vCon: text dialogs to one chat by party role, a recording to a call note from its transcript, parties to identifiers", async () => {
    const out = await (await deliver(h, "vcon", vcon)).json();
    expect(out.records.map((r: { externalId: string }) => r.externalId).sort()).toEqual([
      `${vcon.uuid}:dialog:2`,
      `${vcon.uuid}:text`,
    ]);
    const chatRecord = out.records.find((r: { externalId: string }) => r.externalId.endsWith(":text"));
    const chat = await (await h.request("GET", `/v1/interactions/${chatRecord.id}`)).json();
    expect(chat.turns.map((t: { speaker: string }) => t.speaker)).toEqual(["customer", "agent"]);
    const callRecord = out.records.find((r: { externalId: string }) => r.externalId.endsWith(":dialog:2"));
    const call = await (await h.request("GET", `/v1/interactions/${callRecord.id}`)).json();
    expect(call).toMatchObject({ channel: "call_note" });
    expect(call.turns).toHaveLength(2);
    expect(call.channelData.durationSeconds).toBe(184);
    expect(call.customerId).toBe(chat.customerId);
    const customer = await (await h.request("GET", `/v1/customers/${chat.customerId}`)).json();
    expect(JSON.stringify(customer)).toContain("+14155550123");
  });

  it("reports a recording without a transcript and refuses a vCon without parties (422)", async () => {
    const noTranscript = await (await deliver(h, "vcon", { ...vcon, uuid: "other", analysis: [] })).json();
    expect(noTranscript.unmapped).toEqual([expect.stringContaining("dialog 2 is a recording without")]);
    const res = await deliver(h, "vcon", { uuid: "x", parties: [] });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].field).toBe("parties");
  });
});
