import { describe, expect, it } from "vitest";
import { analyse } from "./engine.js";
import { check, type Case } from "./languages.js";

// Sentences written for these tests (none taken from a data set), simplified and traditional.
const cases: Case[] = [
  {
    text: "我要找你们经理，这件事必须给我一个说法",
    label: "neutral",
    needs: ["escalate"],
    why: "asking for the manager",
  },
  { text: "我想注销这张信用卡", label: "neutral", needs: ["cancel"], why: "closing a card account" },
  {
    text: "我不想取消订单，只想改一下地址",
    label: "neutral",
    needs: ["change_details"],
    notNeeds: ["cancel"],
    why: "a negated cancel is no cancel",
  },
  {
    text: "莫名其妙扣了我两次钱，请把钱退给我",
    label: "negative",
    needs: ["billing_dispute", "refund"],
    why: "a double charge and a refund",
  },
  {
    text: "手机银行一直闪退，根本无法登录",
    label: "negative",
    needs: ["technical_problem"],
    drivers: ["闪退"],
    why: "a crashing app",
  },
  { text: "我的卡被盗刷了，不是我本人消费的", label: "negative", needs: ["fraud_report"], why: "card fraud" },
  {
    text: "服务态度非常差，我要投诉！",
    label: "negative",
    needs: ["complaint"],
    rules: ["intensified"],
    why: "an explicit complaint; 非常 intensifies 差",
  },
  {
    text: "外卖送了两个小时还没到，饭都凉了",
    label: "negative",
    needs: ["delivery_issue"],
    why: "late, cold delivery",
  },
  { text: "客服很耐心，问题很快就解决了，谢谢！", label: "positive", drivers: ["耐心"], why: "praise for an agent" },
  { text: "房间不干净", label: "negative", rules: ["negated"], drivers: ["干净"], why: "不 negates 干净" },
  { text: "价格有点贵", label: "negative", rules: ["downtoned"], why: "有点 softens" },
  {
    text: "房间很大，但是隔音很差",
    label: "negative",
    rules: ["contrast-after"],
    why: "after 但是 the second clause weighs more",
  },
  { text: "这次体验非常好，下次还会再来", label: "positive", why: "will come again" },
  {
    text: "這家銀行的服務態度很差，我要投訴",
    label: "negative",
    needs: ["complaint"],
    drivers: ["很差"],
    why: "traditional characters read as simplified",
  },
  { text: "櫃檯人員非常親切，謝謝", label: "positive", why: "traditional praise" },
];

describe("Chinese", () => {
  it.each(cases)("$text", (c) => {
    check("zh", c);
  });

  it("splits sentences on 。！？ and keeps the drivers' text as written", () => {
    const r = analyse("房間很乾淨。服務很差！還會再來嗎？");
    expect(r.sentiment.sentences.map((s) => s.text)).toEqual(["房間很乾淨。", "服務很差！", "還會再來嗎？"]);
    expect(r.sentiment.sentences[1].drivers.map((d) => d.term)).toContain("很差");
  });

  it("gives complaint reasons in Chinese", () => {
    const r = analyse("你们太差劲了，我要投诉，叫你们经理来");
    expect(r.complaint.flagged).toBe(true);
    expect(r.complaint.reasons.map((x) => x.text).join("; ")).toMatch(/明确投诉/);
    expect(r.complaint.reasons.map((x) => x.text).join("; ")).toMatch(/要求找主管/);
  });

  it("finds topics with their own sentiment", () => {
    const r = analyse("味道不错，但是配送太慢了");
    const topics = new Map(r.topics.map((t) => [t.id, t.sentiment]));
    expect(topics.get("product_quality")).toBeGreaterThan(0);
    expect(topics.get("delivery")).toBeLessThan(0);
  });
});
