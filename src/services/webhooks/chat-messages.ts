import type { KnownBlock } from "@slack/types";

// Moment alerts as the messages chat tools' incoming webhooks take: Slack's Block Kit and a Microsoft
// Teams Adaptive Card. Pure: the alert's facts in, the JSON body out.
// @see https://api.slack.com/reference/block-kit/blocks
// @see https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using

export interface MomentAlert {
  /** The event type (`moment.flagged`, …). */
  type: string;
  severity: string;
  status: string;
  /** The customer's name or a partly hidden identifier. */
  customer: string;
  channel: string | null;
  /** A short excerpt of the customer's words, PII masked. */
  excerpt: string | null;
  /** The strongest reasons, in words. */
  reasons: string[];
  /** Who acted, for acknowledged / assigned / resolved. */
  by: string | null;
  assignee: string | null;
  /** The moment in the console. */
  link: string;
}

/** What happened, in a line. */
export function alertHeadline(a: MomentAlert): string {
  const who = a.customer;
  switch (a.type) {
    case "moment.flagged":
      return `${cap(a.severity)} complaint risk: ${who}`;
    case "moment.escalated":
      return `Escalated to ${a.severity}: ${who}`;
    case "moment.acknowledged":
      return `${who}: acknowledged${a.by ? ` by ${a.by}` : ""}`;
    case "moment.assigned":
      return `${who}: assigned to ${a.assignee ?? "a team"}`;
    case "moment.closed":
      return `${who}: closed after a quiet period`;
    case "moment.reopened":
      return `${who}: re-opened by a new signal`;
    case "moment.resolved":
      return `${who}: resolved${a.by ? ` by ${a.by}` : ""}`;
    default:
      return `${who}: ${a.type}`;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** Cuts at a word boundary, so a limit never splits a word. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
/** Slack's mrkdwn treats these three as markup; text from customers must not become links or mentions. */
const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A Block Kit message: a header, the facts as fields, the excerpt, the reasons and a button to the console. */
export function slackMessage(a: MomentAlert): { text: string; blocks: KnownBlock[] } {
  const headline = alertHeadline(a);
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: clip(headline, 150) } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Customer*\n${slackEscape(clip(a.customer, 200))}` },
        { type: "mrkdwn", text: `*Channel*\n${slackEscape(a.channel ?? "journey event")}` },
        { type: "mrkdwn", text: `*Severity*\n${a.severity}` },
        { type: "mrkdwn", text: `*Status*\n${a.status}` },
      ],
    },
  ];
  if (a.excerpt)
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `>${slackEscape(clip(a.excerpt, 500))}` } });
  if (a.reasons.length)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(`*Top reasons*\n${a.reasons.map((r) => `• ${slackEscape(r)}`).join("\n")}`, 3000),
      },
    });
  blocks.push({
    type: "actions",
    elements: [
      {
        type: "button",
        action_id: "open_moment",
        text: { type: "plain_text", text: "Open in Earshot" },
        url: a.link,
      },
    ],
  });
  // `text` is what notifications and screen readers show when blocks are not rendered.
  return { text: clip(`${headline} (${a.channel ?? "journey"}): ${a.reasons[0] ?? a.severity}`, 300), blocks };
}

/** A Teams incoming-webhook message carrying one Adaptive Card (version 1.4, which Teams renders). */
export function teamsMessage(a: MomentAlert) {
  const body: Array<Record<string, unknown>> = [
    { type: "TextBlock", text: clip(alertHeadline(a), 200), weight: "Bolder", size: "Medium", wrap: true },
    {
      type: "FactSet",
      facts: [
        { title: "Customer", value: clip(a.customer, 200) },
        { title: "Channel", value: a.channel ?? "journey event" },
        { title: "Severity", value: a.severity },
        { title: "Status", value: a.status },
      ],
    },
  ];
  if (a.excerpt) body.push({ type: "TextBlock", text: `“${clip(a.excerpt, 500)}”`, wrap: true, isSubtle: true });
  if (a.reasons.length) body.push({ type: "TextBlock", text: a.reasons.map((r) => `- ${r}`).join("\r"), wrap: true });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          actions: [{ type: "Action.OpenUrl", title: "Open in Earshot", url: a.link }],
        },
      },
    ],
  };
}
