import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";

// Raw messages in the shapes mail clients send: headers folded, parts encoded, charsets declared.
const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");

const gmail = crlf(`MIME-Version: 1.0
Date: Mon, 3 Mar 2025 10:15:00 +0100
Message-ID: <CAF1a2b3c4d5e6@mail.gmail.example>
In-Reply-To: <ticket-77@support.example>
References: <ticket-77@support.example>
Subject: Re: Your refund
From: Maria Garcia <maria.garcia@example.com>
To: Support <help@support.example>
Content-Type: multipart/alternative; boundary="000000000000abcd"

--000000000000abcd
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

I still haven=E2=80=99t received the refund and nobody answers the phone. This i=
s really frustrating.

On Fri, Feb 28, 2025 at 9:00 AM Support <help@support.example> wrote:
> Your refund for order 5512 was approved. Call us on +44 7700 900123.

--000000000000abcd
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">I still haven=E2=80=99t received the refund and nobody answers the phone.</div>=
<div class=3D"gmail_quote"><blockquote>Your refund was approved.</blockquote></div>

--000000000000abcd--
`);

// Outlook, HTML only, ISO-8859-1 in base64, French header block.
const outlookHtml = Buffer.from(
  "<html><body><p>Le colis est arrivé cassé, je veux un échange.</p><hr><p><b>De :</b> SAV &lt;sav@boutique.example&gt;<br><b>Envoyé :</b> lundi 3 mars 2025 09:00<br><b>À :</b> client@example.fr<br><b>Objet :</b> Commande</p><p>Votre colis a été expédié.</p></body></html>",
  "latin1",
).toString("base64");
const outlook = crlf(`MIME-Version: 1.0
Date: Mon, 3 Mar 2025 11:00:00 +0100
Message-ID: <AM0PR01MB1234@eurprd01.prod.outlook.example>
Subject: =?iso-8859-1?Q?RE:_Commande_exp=E9di=E9e?=
From: =?iso-8859-1?Q?Ren=E9e_Dupont?= <renee.dupont@example.fr>
To: sav@boutique.example
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: base64

${outlookHtml.match(/.{1,76}/g)!.join("\n")}
`);

// Apple Mail, German, with a PDF attached.
const appleMail = crlf(`Mime-Version: 1.0 (Mac OS X Mail 16.0)
Date: Tue, 4 Mar 2025 08:30:00 +0100
Message-Id: <A1B2C3D4-E5F6@example.de>
Subject: Rechnung falsch
From: Jonas Weber <jonas.weber@example.de>
To: rechnung@firma.example
Content-Type: multipart/mixed; boundary="Apple-Mail=_1234"

--Apple-Mail=_1234
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Die Rechnung ist schon wieder falsch.

Von meinem iPhone gesendet

Am 03.03.2025 um 17:00 schrieb Buchhaltung <rechnung@firma.example>:

> Anbei Ihre Rechnung.

--Apple-Mail=_1234
Content-Type: application/pdf; name="Rechnung-2025-03.pdf"
Content-Disposition: attachment; filename="Rechnung-2025-03.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoK

--Apple-Mail=_1234--
`);

const noMessageId = crlf(`Date: Tue, 4 Mar 2025 08:30:00 +0000
From: someone@example.org
Subject: hello
Content-Type: text/plain

Is anyone there?
`);

describe("POST /v1/inbound/email", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  const post = (raw: string, opts: { key?: string | null; type?: string; query?: string } = {}) =>
    h.request("POST", `/v1/inbound/email${opts.query ?? ""}`, {
      key: opts.key,
      body: raw,
      headers: { "content-type": opts.type ?? "message/rfc822" },
    });

  it("stores a Gmail reply: new text analysed, quoted history apart and masked, thread from References", async () => {
    const res = await post(gmail);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ status: "created", bodyPart: "text", attachments: 0 });
    expect(res.headers.get("location")).toBe(`/v1/interactions/${body.id}`);
    const stored = await (await h.request("GET", `/v1/interactions/${body.id}`)).json();
    expect(stored.channel).toBe("email");
    expect(stored.subject).toBe("Re: Your refund");
    expect(stored.text).toContain("I still haven’t received the refund");
    expect(stored.text).not.toContain("approved");
    expect(stored.channelData.quoted).toContain("approved");
    // The other party's personal data in the history is masked like the customer's text.
    expect(stored.channelData.quoted).not.toContain("7700 900123");
    expect(stored.channelData.threadId).toBe("ticket-77@support.example");
    expect(stored.channelData.inReplyTo).toBe("ticket-77@support.example");
    expect(stored.occurredAt).toBe("2025-03-03T09:15:00.000Z");
    expect(stored.analysis.sentiment.label).toBe("negative");
  });

  it("is idempotent on the Message-ID", async () => {
    const first = await (await post(gmail)).json();
    const again = await post(gmail);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(first.id);
  });

  it("decodes an HTML-only Outlook message in ISO-8859-1 and cuts its French header block", async () => {
    const res = await post(outlook);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.bodyPart).toBe("html");
    const stored = await (await h.request("GET", `/v1/interactions/${body.id}`)).json();
    expect(stored.subject).toBe("RE: Commande expédiée");
    expect(stored.text).toBe("Le colis est arrivé cassé, je veux un échange.");
    expect(stored.channelData.quoted).toContain("Votre colis a été expédié.");
    const customer = await (await h.request("GET", `/v1/customers/${body.customerId}`)).json();
    expect(JSON.stringify(customer)).toContain("renee.dupont@example.fr");
  });

  it("lists attachments without storing them and puts the mobile footer in the signature", async () => {
    const res = await post(appleMail);
    const body = await res.json();
    expect(body.attachments).toBe(1);
    const stored = await (await h.request("GET", `/v1/interactions/${body.id}`)).json();
    expect(stored.text).toBe("Die Rechnung ist schon wieder falsch.");
    expect(stored.channelData.signature).toBe("Von meinem iPhone gesendet");
    expect(stored.channelData.quoted).toContain("Anbei Ihre Rechnung.");
    expect(stored.metadata.email.attachments).toEqual([
      { filename: "Rechnung-2025-03.pdf", mimeType: "application/pdf", size: expect.any(Number) },
    ]);
    expect(JSON.stringify(stored)).not.toContain("JVBERi0");
  });

  it("names a message without a Message-ID by its bytes, so a redelivery is the same record", async () => {
    const first = await post(noMessageId);
    expect(first.status).toBe(201);
    const again = await post(noMessageId);
    expect(again.status).toBe(200);
  });

  it("takes the first recipient as the customer of an outbound message", async () => {
    const raw = crlf(
      `Message-ID: <out-1@support.example>\nDate: Tue, 4 Mar 2025 09:00:00 +0000\nFrom: help@support.example\nTo: Maria Garcia <maria.garcia@example.com>\nSubject: Re: Your refund\nContent-Type: text/plain\n\nYour refund was sent today.\n`,
    );
    const res = await post(raw, { query: "?direction=outbound&source=helpdesk" });
    const body = await res.json();
    const gmailCustomer = (await (await post(gmail)).json()).customerId;
    expect(body.customerId).toBe(gmailCustomer);
  });

  it("refuses a message with no body (422 naming the field), a JSON body (415), a bad query (422)", async () => {
    const empty = await post(crlf("Message-ID: <e@x>\nFrom: a@example.com\nSubject: empty\n\n"));
    expect(empty.status).toBe(422);
    const problem = await empty.json();
    expect(problem.errors[0].field).toBe("body");
    expect(empty.headers.get("content-type")).toContain("application/problem+json");
    expect((await post(gmail, { type: "application/json" })).status).toBe(415);
    const badQuery = await post(gmail, { query: "?direction=sideways" });
    expect(badQuery.status).toBe(422);
    expect((await badQuery.json()).errors[0].field).toBe("direction");
  });

  it("refuses a body over the limit (413)", async () => {
    const big = gmail + "x".repeat(1024 * 1024 + 10);
    expect((await post(big)).status).toBe(413);
  });

  const head = (id: string) =>
    crlf(`Message-ID: <${id}@example.com>\nFrom: a@example.com\nSubject: long\nContent-Type: text/plain\n\n`);

  it("refuses a message of more lines than EMAIL_MAX_LINES with a 422 naming body, without parsing it", async () => {
    const t = performance.now();
    const res = await post(`${head("lines")}${"> >\n".repeat(200_000)}`);
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.errors[0]).toMatchObject({ field: "body" });
    expect(problem.errors[0].message).toContain("25000 lines");
    // Parsing those 200,000 lines took the MIME parser 5–10 s on this machine.
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it("refuses a text part over 500,000 characters with a 422 naming body, before splitting it", async () => {
    const res = await post(`${head("wide")}${`${"x".repeat(99)}\n`.repeat(8000)}`);
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.errors[0].field).toBe("body");
    expect(problem.errors[0].message).toContain("800000 characters");
  });

  it("takes a pathological body within the limits in bounded time", async () => {
    const t = performance.now();
    const res = await post(`${head("long")}My parcel never came.\n\n${"> >\n".repeat(24_000)}`);
    expect(res.status).toBe(201);
    expect(performance.now() - t).toBeLessThan(4000);
    const stored = await (await h.request("GET", `/v1/interactions/${(await res.json()).id}`)).json();
    expect(stored.text).toBe("My parcel never came.");
  });

  it("needs a key with the ingest scope", async () => {
    expect((await post(gmail, { key: null })).status).toBe(401);
    expect((await post(gmail, { key: h.keys.read })).status).toBe(403);
  });
});
