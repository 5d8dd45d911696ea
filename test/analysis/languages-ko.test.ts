import { describe, expect, it } from "vitest";
import { conjugatedForms } from "../../src/analysis/languages/korean.js";
import { analyse } from "./engine.js";
import { check, type Case } from "./languages.js";

// Sentences written for these tests (none taken from a data set).
const cases: Case[] = [
  { text: "담당자 말고 책임자 연결해 주세요", label: "neutral", needs: ["escalate"], why: "asking for someone senior" },
  { text: "이 카드 해지하고 싶어요", label: "neutral", needs: ["cancel"], why: "cancelling a card" },
  {
    text: "해지는 안 할게요, 주소만 변경해 주세요",
    label: "neutral",
    needs: ["change_details"],
    notNeeds: ["cancel"],
    why: "a negated cancel is no cancel",
  },
  {
    text: "같은 금액이 이중 결제됐어요. 환불해 주세요",
    label: "negative",
    needs: ["billing_dispute", "refund"],
    why: "a double charge and a refund",
  },
  { text: "앱이 계속 튕겨서 로그인이 안 돼요", label: "negative", needs: ["technical_problem"], why: "a crashing app" },
  {
    text: "제가 결제한 적 없는 내역이 있어요",
    label: "neutral",
    needs: ["fraud_report"],
    why: "an unrecognised payment",
  },
  {
    text: "직원 태도가 너무 불친절해서 민원 넣겠습니다",
    label: "negative",
    needs: ["complaint"],
    rules: ["intensified"],
    why: "an explicit complaint",
  },
  { text: "주문한 음식이 두 시간째 안 와요", label: "negative", needs: ["delivery_issue"], why: "a late delivery" },
  {
    text: "상담원분이 정말 친절하셨어요 감사합니다",
    label: "positive",
    drivers: ["친절하셨어요"],
    why: "praise for an agent",
  },
  { text: "서비스가 좋지 않아요", label: "negative", rules: ["negated"], why: "-지 않다 negates the word before" },
  { text: "별로 안 좋았어요", label: "negative", rules: ["negated"], why: "안 negates the word after" },
  {
    text: "맛은 좋지만 양이 너무 적고 비싸요",
    label: "negative",
    rules: ["contrast-after"],
    why: "-지만 puts weight on what follows",
  },
  {
    text: "기사님이 빨리 와 주셔서 정말 좋았어요 ㅎㅎ",
    label: "positive",
    rules: ["intensified"],
    why: "정말 intensifies",
  },
  {
    text: "가격이 너무 비쌌어요 ㅠㅠ",
    label: "negative",
    drivers: ["비쌌어요"],
    why: "a contracted past form is read as its stem",
  },
];

describe("Korean", () => {
  it.each(cases)("$text", (c) => {
    check("ko", c);
  });

  it("splits sentences at Korean endings when there is no full stop", () => {
    const r = analyse("배송이 너무 늦어요 언제 오나요");
    expect(r.sentiment.sentences.map((s) => s.text)).toEqual(["배송이 너무 늦어요", "언제 오나요"]);
  });

  it("gives complaint reasons in Korean", () => {
    const r = analyse("정말 최악이에요. 책임자 바꿔 주세요. 환불해 주세요");
    expect(r.complaint.flagged).toBe(true);
    expect(r.complaint.reasons.map((x) => x.text).join("; ")).toMatch(/상급자 연결 요구/);
  });

  it("derives the forms a stem takes before -아/-어", () => {
    expect(conjugatedForms("나쁘")).toEqual(["나빠", "나빴"]);
    expect(conjugatedForms("기쁘")).toEqual(["기뻐", "기뻤"]);
    expect(conjugatedForms("어렵")).toEqual(["어려"]);
    expect(conjugatedForms("비싸")).toEqual(["비쌌"]);
    expect(conjugatedForms("좋")).toEqual([]);
  });
});
