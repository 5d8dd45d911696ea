import { describe, expect, it } from "vitest";
import { isCardNumber, maskFreeJson, maskText } from "../../src/analysis/masking.js";
import { detectPii } from "../../src/analysis/pii.js";
import { analyzer, lexicons } from "./engine.js";

/** Each detected span as "kind:text". */
const found = (text: string) => detectPii(text).map((s) => `${s.kind}:${text.slice(s.start, s.end)}`);

describe("national ids, sort codes and dates of birth", () => {
  it.each([
    // An SSN-shaped number is an SSN, not a phone number.
    ["my SSN is 123-45-6789, thanks", "ssn:123-45-6789"],
    ["social security 078 05 1120", "ssn:078 05 1120"],
    ["sort code 12-34-56 and account 12345678", "sort_code:12-34-56"],
    ["Sort-code: 20 00 00", "sort_code:20 00 00"],
    ["s/c 404784", "sort_code:404784"],
    // Without the words, three hyphenated pairs that cannot be a date.
    ["paid into 12-34-56 yesterday", "sort_code:12-34-56"],
    ["send it to 04-00-04 please", "sort_code:04-00-04"],
    ["DOB: 12/03/1985", "date_of_birth:12/03/1985"],
    ["d.o.b. 1985-03-12", "date_of_birth:1985-03-12"],
    ["I was born on 3 March 1985 in Leeds", "date_of_birth:3 March 1985"],
    ["born on the 3rd of March 1985", "date_of_birth:3rd of March 1985"],
    ["date of birth is March 3rd, 1985", "date_of_birth:March 3rd, 1985"],
    ["birthdate 03.03.85", "date_of_birth:03.03.85"],
  ])("finds %s", (text, span) => {
    expect(found(text)).toContain(span);
  });

  it.each([
    // Ordinary dates, times and amounts: what support conversations are full of.
    "the charge on 12-03-24 was wrong",
    "statement of 2024-03-12",
    "On 2026-03-01 at 10:15 I paid 1,250.00 for order 42",
    "the call at 10:30:45 dropped",
    "between 10-30-45 minutes",
    "I paid £12.34 and then £56.78",
    "ref 12-34 and 56",
    "on 12/03/2024 I paid twice",
    "delivered March 3, 2026",
    "born in 1985",
    "Dobson 12/03/1985",
    "my birthday is soon",
    "order 000-12-3456",
  ])("finds no new kind in %s", (text) => {
    expect(detectPii(text).map((s) => s.kind)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(ssn|sort_code|date_of_birth)$/)]),
    );
  });

  it("masks each with its own mask, keeping the words around it", () => {
    const text = "SSN 123-45-6789, sort code 12-34-56, DOB 12/03/1985, call 07700 900123";
    expect(maskText(text, lexicons.pii)).toBe("SSN [SSN], sort code [SORT_CODE], DOB [DOB], call [PHONE]");
    expect(analyzer.analyze({ channel: "text", text }).stored.pii).toEqual(
      expect.arrayContaining([
        { kind: "ssn", count: 1 },
        { kind: "sort_code", count: 1 },
        { kind: "date_of_birth", count: 1 },
        { kind: "phone", count: 1 },
      ]),
    );
  });
});

describe("masking free JSON", () => {
  it("masks strings at every depth, keys included, and card numbers sent as numbers", () => {
    const value = {
      note: "card 4111 1111 1111 1111 blocked",
      nested: { list: ["mail jo@example.com", 7, { deep: "SSN 123-45-6789" }] },
      "jo@example.com": true,
      "ann@example.com": false,
      cardNumber: 4111111111111111,
      createdMs: 1767225600000,
      orderId: 123456789,
      ok: "nothing here",
    };
    expect(maskFreeJson(value, lexicons.pii)).toEqual({
      note: "card [CARD] blocked",
      nested: { list: ["mail [EMAIL]", 7, { deep: "SSN [SSN]" }] },
      "[EMAIL]": true,
      "[EMAIL] (2)": false,
      cardNumber: "[CARD]",
      createdMs: 1767225600000,
      orderId: 123456789,
      ok: "nothing here",
    });
  });

  it("returns JSON without personal data as the same object", () => {
    const value = { a: "plain", b: [1, 2, { c: "words" }] };
    expect(maskFreeJson(value, lexicons.pii)).toBe(value);
  });

  it("keeps a __proto__ key a key", () => {
    const value = JSON.parse('{"__proto__": {"x": "jo@example.com"}}');
    const masked = maskFreeJson(value, lexicons.pii) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(JSON.stringify(masked)).toBe('{"__proto__":{"x":"[EMAIL]"}}');
  });

  it("drops what nests deeper than it masks, rather than storing it unmasked", () => {
    let deep: unknown = "jo@example.com";
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(JSON.stringify(maskFreeJson(deep, lexicons.pii))).not.toContain("jo@example.com");
  });

  it("tells card numbers from timestamps and ids", () => {
    expect(isCardNumber(4111111111111111)).toBe(true);
    expect(isCardNumber(378282246310005)).toBe(true); // Amex, 15 digits
    expect(isCardNumber(4111111111111112)).toBe(false); // Luhn fails
    expect(isCardNumber(1767225600000)).toBe(false); // epoch milliseconds
    expect(isCardNumber(4111.5)).toBe(false);
  });
});
