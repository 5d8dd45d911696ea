import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createAnalyzer, type AnalysisInput } from "../../src/analysis/index.js";
import { momentRulesSchema, scoreJourney, type JourneyItem } from "../../src/journeys/journey-risk.js";
import { defaultLexiconDir, loadLexicons } from "../../src/services/lexicons.js";

const rules = momentRulesSchema.parse(JSON.parse(readFileSync(`${defaultLexiconDir}/moments.json`, "utf8")));
const analyzer = createAnalyzer(loadLexicons());
const T0 = Date.parse("2026-03-10T09:00:00Z");
const min = (m: number) => T0 + m * 60_000;
let n = 0;

function contact(
  channel: AnalysisInput["channel"],
  at: number,
  content: string | Array<["customer" | "agent", string]>,
  extra: Partial<JourneyItem> = {},
): JourneyItem {
  const input: AnalysisInput =
    typeof content === "string"
      ? { channel, text: content }
      : { channel, turns: content.map(([speaker, text]) => ({ speaker, text })) };
  input.context = { waitSeconds: extra.waitSeconds, holdSeconds: extra.holdSeconds, public: extra.public };
  const a = analyzer.analyze(input).stored;
  return {
    kind: "interaction",
    id: `int_${++n}`,
    occurredAt: at,
    channel,
    sentiment: a.sentiment.score ?? undefined,
    risk: a.complaint.risk,
    needs: a.needs.map((x) => x.id),
    topics: a.topics.map((x) => x.id),
    ...extra,
  };
}
const event = (type: string, status: string, at: number): JourneyItem => ({
  kind: "event",
  id: `evt_${++n}`,
  occurredAt: at,
  type,
  status,
});
const score = (journey: JourneyItem[]) => scoreJourney(journey[journey.length - 1], journey, rules);
const codes = (s: ReturnType<typeof score>) => s.reasons.map((r) => r.code);

describe("complaint-risk moments over whole journeys", () => {
  it("the bank story: failed withdrawal, a 44-second chat wait, an angry post, a closure email → critical", () => {
    const journey = [
      event("login", "succeeded", min(0)),
      event("page_view", "viewed", min(1)),
      event("transaction", "failed", min(2)),
      event("error", "shown", min(2)),
      contact(
        "chat",
        min(3),
        [
          ["customer", "I just tried to withdraw my money and got an error. Why?"],
          ["customer", "Hello?? Nobody is answering."],
        ],
        { waitSeconds: 44 },
      ),
      contact("social", min(20), "Worst bank ever. Could not get my own money out and waited forever in chat.", {
        public: true,
      }),
      contact("email", min(45), "I want to close my checking and savings accounts. This is unacceptable."),
    ];
    const s = score(journey);
    expect(s.severity).toBe("critical");
    expect(codes(s)).toEqual(
      expect.arrayContaining([
        "failed_before_contact",
        "long_wait",
        "public_complaint",
        "escalation",
        "negative_across_contacts",
      ]),
    );
    const failed = s.reasons.find((r) => r.code === "failed_before_contact")!;
    expect(failed.refs).toEqual([journey[2].id, journey[3].id, journey[4].id]);
  });

  it("repeat contacts about one refund", () => {
    const s = score([
      contact("email", min(0), "Please refund the duplicate payment on my card."),
      contact("chat", min(60 * 24), [["customer", "Following up: where is my refund? Still nothing."]]),
      contact("call_note", min(60 * 48), "Customer called again chasing the refund, third contact, upset."),
    ]);
    expect(s.flagged).toBe(true);
    expect(s.reasons.find((r) => r.code === "repeat_contact")?.text).toMatch(/3 contacts about refund/);
    expect(codes(s)).toContain("channel_switch");
  });

  it("a billing error followed by a public complaint", () => {
    const s = score([
      event("transaction", "failed", min(0)),
      contact("social", min(10), "Charged twice by @bank and the app shows an error. Ridiculous.", { public: true }),
    ]);
    expect(s.flagged).toBe(true);
    expect(codes(s)).toEqual(expect.arrayContaining(["public_complaint", "failed_before_contact"]));
  });

  it("a happy customer with one sharp email is not critical", () => {
    const s = score([
      contact("chat", min(0), [["customer", "Thanks, the new card works great!"]]),
      contact("email", min(60 * 30), "The statement fee this month is annoying, please explain it."),
    ]);
    expect(s.severity).not.toBe("critical");
    expect(codes(s)).not.toContain("negative_across_contacts");
  });

  it("a chat that starts angry and ends thankful is not flagged", () => {
    const s = score([
      contact("chat", min(0), [
        ["customer", "This is ridiculous, my card was declined again!"],
        ["agent", "I've fixed the block."],
        ["customer", "Brilliant, it works now. Thank you so much!"],
      ]),
    ]);
    expect(s.flagged).toBe(false);
  });

  it("an agent's apology does not raise risk", () => {
    const base: Array<["customer" | "agent", string]> = [["customer", "Can you check why my transfer is pending?"]];
    const plain = score([contact("chat", min(0), base)]);
    const apologetic = score([
      contact("chat", min(0), [
        ...base,
        ["agent", "I am so sorry for the terrible delay, we apologise for this awful experience."],
      ]),
    ]);
    expect(apologetic.risk).toBe(plain.risk);
  });

  it("switching channels for the same need", () => {
    const s = score([
      contact("chat", min(0), [["customer", "I can't log in to the app."]]),
      contact("call_note", min(120), "Customer still locked out of online banking, called after chat."),
      contact("social", min(240), "Locked out of my bank app for a day now.", { public: true }),
    ]);
    expect(s.reasons.find((r) => r.code === "channel_switch")?.text).toMatch(/chat → call_note → social/);
  });

  it("a neutral question is not a moment", () => {
    const s = score([contact("email", min(0), "What are your opening hours on Saturday?")]);
    expect(s).toMatchObject({ flagged: false, severity: null });
  });

  it("a long hold on a call counts", () => {
    const s = score([
      contact("call_note", min(0), "Customer frustrated about a pending transfer.", { holdSeconds: 900 }),
    ]);
    expect(s.reasons.find((r) => r.code === "long_wait")?.text).toBe("long wait (900 s)");
  });

  it("failed logins before a chat about access", () => {
    const s = score([
      event("login", "failed", min(0)),
      event("login", "failed", min(1)),
      event("error", "shown", min(2)),
      contact("chat", min(10), [["customer", "I'm locked out of my account again."]]),
    ]);
    expect(codes(s)).toContain("failed_before_contact");
    expect(s.flagged).toBe(true);
  });

  it("old contacts outside the window do not count as repeats", () => {
    const s = score([
      contact("email", min(0), "My refund has not arrived."),
      contact("email", min(60 * 24 * 10), "My refund has not arrived."),
    ]);
    expect(codes(s)).not.toContain("repeat_contact");
  });

  it("praise after a problem stays calm", () => {
    const s = score([
      event("transaction", "failed", min(0)),
      contact("social", min(30), "Shoutout to the support team, sorted my payment in five minutes!", { public: true }),
    ]);
    expect(codes(s)).not.toContain("public_complaint");
    expect(s.severity).not.toBe("critical");
    expect(s.severity).not.toBe("high");
  });
});
