import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput } from "./support/factories.js";

// A support thread in the headers mail clients write: Gmail (References and In-Reply-To, a
// multipart/alternative body), the help desk's reply, and an Outlook reply that names only its parent
// (In-Reply-To, Thread-Index) and arrives before the message it answers.
const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");

const original = crlf(`MIME-Version: 1.0
Date: Mon, 3 Mar 2025 09:00:00 +0100
Message-ID: <CAOrig123@mail.gmail.example>
Subject: Refund for order 5512
From: Maria Garcia <maria.garcia@example.com>
To: Support <help@support.example>
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset="UTF-8"

I returned order 5512 two weeks ago and the refund has not arrived.

--b1
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">I returned order 5512 two weeks ago and the refund has not arrived.</div>

--b1--
`);

const agentReply = crlf(`MIME-Version: 1.0
Date: Mon, 3 Mar 2025 11:30:00 +0100
Message-ID: <reply-77@support.example>
In-Reply-To: <CAOrig123@mail.gmail.example>
References: <CAOrig123@mail.gmail.example>
Subject: Re: Refund for order 5512
From: Support <help@support.example>
To: Maria Garcia <maria.garcia@example.com>
Content-Type: text/plain; charset="UTF-8"

Your refund was approved today and will reach your card in three days.

On Mon, Mar 3, 2025 at 9:00 AM Maria Garcia <maria.garcia@example.com> wrote:
> I returned order 5512 two weeks ago and the refund has not arrived.
`);

const outlookReply = crlf(`MIME-Version: 1.0
Date: Thu, 6 Mar 2025 10:00:00 +0100
Message-ID: <AM0PR01MB9876@eurprd01.prod.outlook.example>
In-Reply-To: <reply-77@support.example>
Thread-Topic: Refund for order 5512
Thread-Index: AQHbjK1yZ3Vh
Subject: RE: Refund for order 5512
From: Maria Garcia <maria.garcia@example.com>
To: Support <help@support.example>
Content-Type: text/plain; charset="UTF-8"

Three days have passed and there is still no refund. I am very disappointed.

From: Support <help@support.example>
Sent: Monday, March 3, 2025 11:30 AM
To: Maria Garcia <maria.garcia@example.com>
Subject: Re: Refund for order 5512

Your refund was approved today and will reach your card in three days.
`);

// Another thread in the same inbox: a reply to a stored message, naming only its parent.
const other = crlf(`Message-ID: <other-1@mail.example>
Date: Tue, 4 Mar 2025 08:00:00 +0000
From: Lee Wong <lee.wong@example.com>
To: help@support.example
Subject: Wrong size
Content-Type: text/plain

The shoes are the wrong size.
`);
const otherReply = crlf(`Message-ID: <other-2@support.example>
Date: Tue, 4 Mar 2025 09:00:00 +0000
In-Reply-To: <other-1@mail.example>
References: <other-1@mail.example>
From: help@support.example
To: Lee Wong <lee.wong@example.com>
Subject: Re: Wrong size
Content-Type: text/plain

We will send a label for the exchange.
`);
const otherReply2 = crlf(`Message-ID: <other-3@mail.example>
Date: Tue, 4 Mar 2025 10:00:00 +0000
In-Reply-To: <other-2@support.example>
From: Lee Wong <lee.wong@example.com>
To: help@support.example
Subject: Re: Wrong size
Content-Type: text/plain

Thanks, the label arrived.
`);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const post = async (raw: string) => {
  const res = await h.request("POST", "/v1/inbound/email?source=support-inbox", {
    body: raw,
    headers: { "content-type": "message/rfc822" },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; customerId: string };
};
const threadOf = async (id: string, key?: string | null) => h.request("GET", `/v1/interactions/${id}/thread`, { key });

describe("email threads", () => {
  it("joins a thread whose replies arrive before the messages they answer, oldest message first, new text only", async () => {
    // The Outlook reply first: it knows only its parent, so it names its thread after it …
    const third = await post(outlookReply);
    // … until the parent arrives with its References, and the reply moves into the root's thread.
    const second = await post(agentReply);
    const first = await post(original);
    const res = await threadOf(third.id);
    expect(res.status).toBe(200);
    const thread = await res.json();
    expect(thread.threadId).toBe("CAOrig123@mail.gmail.example");
    expect(thread.truncated).toBe(false);
    expect(thread.messages.map((m: { id: string }) => m.id)).toEqual([first.id, second.id, third.id]);
    expect(thread.messages.map((m: { direction: string }) => m.direction)).toEqual(["inbound", "inbound", "inbound"]);
    expect(thread.messages[2].text).toBe(
      "Three days have passed and there is still no refund. I am very disappointed.",
    );
    // Each message carries its own new text; the history quoted in it is not repeated.
    expect(thread.messages[1].text).not.toContain("two weeks ago");
    for (const m of [first, second, third])
      expect((await (await threadOf(m.id)).json()).threadId).toBe("CAOrig123@mail.gmail.example");
  });

  it("puts a reply that names only a stored parent into the parent's thread, not a thread of the parent", async () => {
    const a = await post(other);
    await post(otherReply);
    const c = await post(otherReply2);
    const stored = await (await h.request("GET", `/v1/interactions/${c.id}`)).json();
    expect(stored.channelData.threadId).toBe("other-1@mail.example");
    const thread = await (await threadOf(a.id)).json();
    expect(thread.messages).toHaveLength(3);
    // Threads are apart: the refund thread holds none of these.
    expect(JSON.stringify(thread)).not.toContain("refund");
  });

  it("answers a thread of one for a record of another channel, 404 for an unknown id, and needs the read scope", async () => {
    const chat = await h.request("POST", "/v1/interactions", { body: chatInput() });
    const { id } = await chat.json();
    const one = await (await threadOf(id)).json();
    expect(one).toMatchObject({ threadId: null, truncated: false });
    expect(one.messages).toHaveLength(1);
    const missing = await threadOf("int_unknown");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    expect((await threadOf(id, null)).status).toBe(401);
    expect((await threadOf(id, h.keys.ingest)).status).toBe(403);
  });

  it("reads a thread and moves replies into it through the thread index", async () => {
    for (const sql of [
      `EXPLAIN QUERY PLAN SELECT id FROM interactions WHERE source = 'support-inbox' AND json_extract(channel_data, '$.threadId') = 'x' AND channel = 'email' ORDER BY occurred_at, id`,
      `EXPLAIN QUERY PLAN UPDATE interactions SET channel_data = json_set(channel_data, '$.threadId', 'y')
         WHERE source = 'support-inbox' AND json_extract(channel_data, '$.threadId') IN (SELECT value FROM json_each('["x"]')) AND channel = 'email'`,
    ]) {
      const plan = await h.runtime.db.$client.execute(sql);
      expect(JSON.stringify(plan.rows), sql).toContain("interactions_email_thread_idx");
    }
  });
});
