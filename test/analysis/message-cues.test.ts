import { describe, expect, it } from "vitest";
import { cueBranch, messageCuesOf } from "../../src/analysis/message-cues.js";
import { analyze, type AnalysisInput } from "../../src/analysis/index.js";
import type { LexiconStage } from "../../src/analysis/learned/index.js";
import { analyse, lexicons } from "./engine.js";

// The cue classes that read the learned layer's outputs (src/analysis/message-cues.ts), on phrases
// written for this file (not from the hard-case suites or the shared data sets).
const branchOf = (text: string, extra: Partial<AnalysisInput> = {}) => {
  let stage: LexiconStage | undefined;
  analyze({ channel: "chat", text, ...extra }, lexicons, (s) => {
    stage = s;
  });
  return cueBranch(messageCuesOf(stage!.customerSentences, stage!.needs, lexicons.messageCues!));
};

describe("message cue classes", () => {
  it("reads a failure stated flatly as a negative complaint, with the failure as a reason", () => {
    for (const text of [
      "The voucher code keeps getting declined at the till",
      "My statement shows a payment I don't remember making",
      "The parcel still hasn't turned up and the tracking says delivered",
    ]) {
      expect(branchOf(text), text).toBe("failure");
      const r = analyse(text, { channel: "chat" });
      expect(r.sentiment.label, text).toBe("negative");
      expect(r.complaint.flagged, text).toBe(true);
      expect(
        r.complaint.reasons.map((x) => x.code),
        text,
      ).toContain("stated_failure");
    }
  });

  it("does not count a failure that is negated or only supposed", () => {
    expect(branchOf("Nothing damaged at all, thanks")).not.toBe("failure");
    expect(branchOf("If the train is cancelled tomorrow, is my ticket valid on the next one?")).not.toBe("failure");
  });

  it("lowers the complaint risk of distress the company did not cause", () => {
    const text = "My grandfather died on Sunday and I need to sort out his savings account";
    expect(branchOf(text)).toBe("circumstance");
    const r = analyse(text, { channel: "email" });
    expect(r.complaint.flagged).toBe(false);
    expect(r.sentiment.label).toBe("negative");
  });

  it("reads a problem settled after it was stated as praise", () => {
    const text = "Our boiler broke on Friday, the engineer came Saturday morning and fixed it. Impressive";
    expect(branchOf(text)).toBe("resolved");
    const r = analyse(text, { channel: "social" });
    expect(r.sentiment.label).toBe("positive");
    expect(r.complaint.flagged).toBe(false);
  });

  it("keeps a problem stated after the praise a complaint", () => {
    expect(branchOf("The first agent was really helpful, but the refund still hasn't arrived")).toBe("failure");
  });

  it("reads an agent's courtesy and a polite request as neutral, not as complaint or praise", () => {
    expect(branchOf("Apologies for the wait. Let me just check that for you.")).toBe("agent");
    const request = analyse("Please update the email address on my account. Thank you.", { channel: "email" });
    expect(request.sentiment.label).toBe("neutral");
  });
});
