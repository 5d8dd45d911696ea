import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { failedWithdrawalThenChat } from "../support/journeys.js";
import { createHarness, type Harness } from "../support/harness.js";
import { receiver, type Receiver } from "../support/receiver.js";
import { json, problem } from "../support/http.js";

// Slack and Teams deliveries, received on 127.0.0.1 and checked against the tools' documented formats:
// Slack's Block Kit limits (written out below from its reference) and Microsoft's own Adaptive Cards
// parser and validator.

// The bundled build: the library's ES modules import without file extensions, which Node refuses.
const AC = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js");

const plain = (max: number) =>
  z.object({ type: z.literal("plain_text"), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const mrkdwn = (max: number) => z.object({ type: z.literal("mrkdwn"), text: z.string().min(1).max(max) });
/** Block Kit, as its reference states the blocks used here: https://api.slack.com/reference/block-kit/blocks */
const slackMessage = z
  .object({
    text: z.string().min(1).max(40_000),
    blocks: z
      .array(
        z.discriminatedUnion("type", [
          z.object({ type: z.literal("header"), text: plain(150) }).strict(),
          z
            .object({
              type: z.literal("section"),
              text: mrkdwn(3000).optional(),
              fields: z.array(mrkdwn(2000)).max(10).optional(),
            })
            .strict()
            .refine((s) => s.text || s.fields, "a section needs text or fields"),
          z
            .object({
              type: z.literal("actions"),
              elements: z
                .array(
                  z
                    .object({
                      type: z.literal("button"),
                      text: plain(75),
                      action_id: z.string().max(255),
                      url: z.url().max(3000),
                    })
                    .strict(),
                )
                .min(1)
                .max(25),
            })
            .strict(),
        ]),
      )
      .min(1)
      .max(50),
  })
  .strict();

/** The Teams incoming-webhook envelope around one Adaptive Card. */
const teamsEnvelope = z.object({
  type: z.literal("message"),
  attachments: z
    .array(
      z.object({
        contentType: z.literal("application/vnd.microsoft.card.adaptive"),
        contentUrl: z.null(),
        content: z.looseObject({ type: z.literal("AdaptiveCard"), version: z.string(), body: z.array(z.unknown()) }),
      }),
    )
    .length(1),
});

/** Microsoft's parser and validator: every problem it reports, parse and validation alike. */
function adaptiveCardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  parsed.parse(card, ctx);
  const out: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) out.push(ctx.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) out.push(e.message);
  return out;
}

let h: Harness;
let slack: Receiver;
let teams: Receiver;
beforeAll(async () => {
  // Stored text unmasked, so the excerpt's own masking is what keeps the card number out of the chat.
  h = await createHarness({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    REDACT_PII: "false",
    CONSOLE_PUBLIC_URL: "https://earshot.example.com",
  });
  slack = await receiver();
  teams = await receiver();
});
afterAll(async () => {
  await h.close();
  await slack.close();
  await teams.close();
});

const register = (body: unknown) => h.request("POST", "/v1/webhooks", { key: h.keys.admin, body });

describe("Slack and Teams deliveries", () => {
  it("refuses a bad format and non-moment events for a chat format, naming the field", async () => {
    const bad = await register({ url: slack.url, events: ["moment.flagged"], format: "discord" });
    expect((await problem(bad, "validation_failed")).errors?.[0].field).toBe("format");
    const analysed = await register({
      url: slack.url,
      events: ["moment.flagged", "interaction.analyzed"],
      format: "slack",
    });
    expect((await problem(analysed, "validation_failed")).errors?.[0].field).toBe("events.1");
  });

  it("sends a flagged moment as a Block Kit message and an Adaptive Card, masked, with a console link", async () => {
    for (const [r, format] of [
      [slack, "slack"],
      [teams, "teams"],
    ] as const) {
      const res = await register({ url: r.url, events: ["moment.flagged", "moment.assigned"], format });
      expect(res.status).toBe(201);
      expect(await json(res)).toMatchObject({ format });
    }
    const customer = { customerId: "crm-chat-alert", name: "Ana Pereira" };
    await failedWithdrawalThenChat(h, customer, {
      failedAt: "2026-03-20T16:24:00Z",
      chatAt: "2026-03-20T16:25:00Z",
      session: { waitSeconds: 900 },
      turns: [
        {
          speaker: "customer",
          text: "My withdrawal failed, card 4111 1111 1111 1111 charged anyway. Nobody helps, this is ridiculous!",
        },
      ],
    });
    await h.runtime.momentQueue.idle();
    const [moment] = (await json<{ items: Array<{ id: string }> }>(await h.request("GET", "/v1/moments?status=open")))
      .items;
    expect(moment).toBeDefined();
    await h.runtime.deliveries.runOnce();

    expect(slack.got).toHaveLength(1);
    const s = slack.got[0];
    expect(s.headers["content-type"]).toBe("application/json");
    expect(s.headers["webhook-signature"]).toBeUndefined();
    const message = slackMessage.parse(JSON.parse(s.body));
    const all = JSON.stringify(message);
    expect(message.blocks[0]).toMatchObject({ type: "header" });
    expect(all).toContain("Ana Pereira");
    expect(all).toContain("*Channel*\\nchat");
    expect(all).toContain("withdrawal failed");
    expect(all).not.toContain("4111");
    expect(all).toContain("failed transaction or error shortly before contacting");
    expect(message.blocks.at(-1)).toMatchObject({
      elements: [{ url: `https://earshot.example.com/console/moments/${moment.id}` }],
    });

    expect(teams.got).toHaveLength(1);
    const t = teamsEnvelope.parse(JSON.parse(teams.got[0].body));
    const card = t.attachments[0].content;
    expect(adaptiveCardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain("Ana Pereira");
    expect(text).not.toContain("4111");
    expect(text).toContain(`https://earshot.example.com/console/moments/${moment.id}`);
    // The checker is real: a wrong card is reported.
    expect(adaptiveCardProblems({ ...card, body: [{ type: "TextBlock", text: "x", weight: "Heavy" }] })).not.toEqual(
      [],
    );
  });

  it("sends an assignment with who holds it", async () => {
    const [moment] = (await json<{ items: Array<{ id: string }> }>(await h.request("GET", "/v1/moments?status=open")))
      .items;
    const res = await h.request("POST", `/v1/moments/${moment.id}/assign`, {
      key: h.keys.admin,
      body: { person: { id: "agent-7", name: "Sam Agent" } },
    });
    expect(res.status).toBe(200);
    await h.runtime.deliveries.runOnce();
    const header = slackMessage.parse(JSON.parse(slack.got[1].body)).blocks[0];
    expect(header).toMatchObject({ text: { text: "Ana Pereira: assigned to Sam Agent" } });
    expect(adaptiveCardProblems(teamsEnvelope.parse(JSON.parse(teams.got[1].body)).attachments[0].content)).toEqual([]);
  });
});

describe("the SSRF guard for chat formats", () => {
  it("refuses a Slack webhook whose host resolves to a private address", async () => {
    const strict = await createHarness({}, { resolveHost: async () => [{ address: "10.0.0.5", family: 4 }] });
    try {
      const res = await strict.request("POST", "/v1/webhooks", {
        key: strict.keys.admin,
        body: { url: "https://hooks.slack.test/services/T0/B0/x", events: ["moment.flagged"], format: "slack" },
      });
      expect((await problem(res, "validation_failed")).errors?.[0].field).toBe("url");
    } finally {
      await strict.close();
    }
  });
});
