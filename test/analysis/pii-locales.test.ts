import { describe, expect, it } from "vitest";
import { maskText } from "../../src/analysis/masking.js";
import { detectPii } from "../../src/analysis/pii.js";
import { chineseIdValid, foldWidth, koreanRrnChecksumValid, spanishIdValid } from "../../src/analysis/pii-locales.js";
import { normalisePhone } from "../../src/services/identity/normalise.js";
import { lexicons } from "./engine.js";

/** Each detected span as "kind:text". */
const found = (text: string) => detectPii(text).map((s) => `${s.kind}:${text.slice(s.start, s.end)}`);

// Every number below was made for these tests: check digits computed by the rules, not copied from anywhere.
describe("national ids of China, Korea and Spain", () => {
  it.each([
    ["我的身份证号是11010519491231002X，请核实", "national_id:11010519491231002X"],
    ["身份证：310115200011294569", "national_id:310115200011294569"],
    ["id 440301 19850715 123X please", "national_id:440301 19850715 123X"],
    ["주민등록번호 850315-1234566 입니다", "national_id:850315-1234566"],
    ["제 번호는 0207044123451이에요", "national_id:0207044123451"],
    // Numbers issued since October 2020 carry no check digit: accepted where the words name them.
    ["주민번호: 210512-3987654", "national_id:210512-3987654"],
    ["Mi DNI es 12345678Z, gracias", "national_id:12345678Z"],
    ["dni 48392017-v", "national_id:48392017-v"],
    ["NIE X1234567L y el de mi mujer Z7654321H", "national_id:X1234567L"],
    ["NIE X1234567L y el de mi mujer Z7654321H", "national_id:Z7654321H"],
  ])("finds %s", (text, span) => {
    expect(found(text)).toContain(span);
  });

  it.each([
    // One digit or letter off: the check fails.
    "身份证 110105194912310021",
    "身份证 310115200011294568",
    // A valid check on an impossible birth date (month 13).
    "编号 110105194913310020",
    "번호 850315-1234567",
    "DNI 12345678A",
    "NIE X1234567M",
    // An unnamed number of the RRN shape without a valid check digit.
    "주문 210512-3987654 확인",
  ])("finds no national id in %s", (text) => {
    expect(detectPii(text).map((s) => s.kind)).not.toContain("national_id");
  });

  it("checks each scheme's digit or letter", () => {
    expect(chineseIdValid("11010519491231002X")).toBe(true);
    expect(chineseIdValid("11010519491231002x")).toBe(true);
    expect(chineseIdValid("110105194912310029")).toBe(false);
    expect(koreanRrnChecksumValid("8503151234566")).toBe(true);
    expect(koreanRrnChecksumValid("8503151234565")).toBe(false);
    expect(spanishIdValid("12345678Z")).toBe(true);
    expect(spanishIdValid("Y0000000Z")).toBe(true); // Y stands for 1: 10000000 mod 23 = 14, Z
    expect(spanishIdValid("12345678T")).toBe(false);
  });
});

describe("mobile numbers, IBANs and full-width digits", () => {
  it.each([
    ["请打13812345678联系我", "phone:13812345678"],
    ["电话 +86 139 1234 5678", "phone:+86 139 1234 5678"],
    ["연락처 010-1234-5678 입니다", "phone:010-1234-5678"],
    ["+82 10 9876 5432로 전화주세요", "phone:+82 10 9876 5432"],
    ["llámame al 612 34 56 78", "phone:612 34 56 78"],
    ["mi móvil es +34 699 123 456", "phone:+34 699 123 456"],
    ["IBAN ES91 2100 0418 4502 0005 1332 por favor", "iban:ES91 2100 0418 4502 0005 1332"],
    // Full-width digits as typed on Chinese keyboards: found, and masked in the original text.
    ["手机号１３８１２３４５６７８", "phone:１３８１２３４５６７８"],
    ["身份证号１１０１０５１９４９１２３１００２Ｘ", "national_id:１１０１０５１９４９１２３１００２Ｘ"],
  ])("finds %s", (text, span) => {
    expect(found(text)).toContain(span);
  });

  it("masks them in the text as written", () => {
    expect(maskText("我的手机１３８１２３４５６７８，身份证11010519491231002X。", lexicons.pii)).toBe(
      "我的手机[PHONE]，身份证[NATIONAL_ID]。",
    );
    expect(maskText("Mi DNI es 12345678Z y mi cuenta ES91 2100 0418 4502 0005 1332", lexicons.pii)).toBe(
      "Mi DNI es [NATIONAL_ID] y mi cuenta [IBAN]",
    );
    expect(maskText("주민등록번호 850315-1234566, 휴대폰 010-1234-5678", lexicons.pii)).toBe(
      "주민등록번호 [NATIONAL_ID], 휴대폰 [PHONE]",
    );
  });

  it("leaves dates, amounts and order numbers in these scripts alone", () => {
    for (const text of [
      "2026年3月1日下单，金额128元",
      "3월 1일에 5만원 결제했어요",
      "pedido 2026-03-01 por 49,99 €",
      "订单号 20260301",
    ]) {
      expect(detectPii(text)).toEqual([]);
    }
  });

  it("folds full-width forms without moving offsets", () => {
    const text = "ＡＢ１２－３\u3000x";
    expect(foldWidth(text)).toBe("AB12-3 x");
    expect(foldWidth(text)).toHaveLength(text.length);
  });
});

describe("phone normalisation for China, Korea and Spain", () => {
  it.each([
    ["138 1234 5678", "CN", "+8613812345678"],
    ["１３８－１２３４－５６７８", "CN", "+8613812345678"],
    ["010-1234-5678", "KR", "+821012345678"],
    ["+82 (0)10-1234-5678", "US", "+821012345678"],
    ["612 34 56 78", "ES", "+34612345678"],
    // 00 as the international prefix, even where the default region dials 011.
    ["0034 612 345 678", "US", "+34612345678"],
    ["0086 139 1234 5678", "US", "+8613912345678"],
  ] as const)("%s in %s is %s", (raw, region, e164) => {
    expect(normalisePhone(raw, region)).toBe(e164);
  });

  it("refuses what is no number", () => {
    expect(() => normalisePhone("0086 12", "US")).toThrow(/not a phone number/);
  });
});
