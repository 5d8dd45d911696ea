import OpenCC from "opencc-js/t2cn";

// Lexicons are kept in simplified characters; traditional text (Taiwan, Hong Kong) is converted
// before lookup with OpenCC's phrase-level tables (opencc-js). Which characters have a simplified
// form comes from lexicons/zh/script-variants.json (made from the same tables), so simplified text,
// most of what mainland customers write, is recognised at a lookup per character and never converted,
// and the converter (~0.15 s to build, ~2.5 µs a character) is built on the first traditional text.

/** Simplified character → the traditional characters converted to it (发 → 發髮). */
export type ScriptVariants = Record<string, string>;

export class ChineseScript {
  readonly #traditional = new Set<number>();
  readonly #variants: Map<string, string>;
  #converter: ((text: string) => string) | undefined;

  constructor(variants: ScriptVariants) {
    this.#variants = new Map(Object.entries(variants));
    for (const chars of this.#variants.values())
      for (let i = 0; i < chars.length; i++) this.#traditional.add(chars.charCodeAt(i));
  }

  /** Whether `text` holds a character written differently in simplified Chinese. */
  hasTraditional(text: string): boolean {
    for (let i = 0; i < text.length; i++) if (this.#traditional.has(text.charCodeAt(i))) return true;
    return false;
  }

  /** `text` in simplified characters; the same string when it has nothing to convert. */
  toSimplified(text: string): string {
    if (!this.hasTraditional(text)) return text;
    const convert = (this.#converter ??= OpenCC.Converter({ from: "tw", to: "cn" }));
    return convert(text);
  }

  /**
   * A regular expression written in simplified characters, widened to match traditional text too:
   * each character with traditional forms becomes a class of them (投诉 → 投[诉訴]), and a class
   * gets them added.
   */
  widen(source: string): string {
    let out = "";
    let inClass = false;
    for (let i = 0; i < source.length; i++) {
      const c = source[i];
      if (c === "\\") {
        out += c + (source[i + 1] ?? "");
        i++;
        continue;
      }
      if (c === "[" && !inClass) inClass = true;
      else if (c === "]" && inClass) inClass = false;
      const v = this.#variants.get(c);
      out += v === undefined ? c : inClass ? c + v : `[${c}${v}]`;
    }
    return out;
  }
}
