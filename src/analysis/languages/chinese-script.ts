import OpenCC from "opencc-js/t2cn";

// Lexicons are kept in simplified characters; traditional text (Taiwan, Hong Kong) is converted
// before lookup with OpenCC's phrase-level tables (opencc-js). The converter costs ~2.5 µs a
// character, so text is first checked for any character that has a simplified form: simplified
// text, most of what mainland customers write, skips the conversion.

let converter: ((text: string) => string) | undefined;
let traditional: Set<number> | undefined;
/** Simplified character → the traditional characters converted to it (发 → 發 髮). */
const variants = new Map<string, string>();

/** Builds the tables once per thread (~0.3 s): the first Chinese lexicon compiled does it. */
export function loadChineseScript(): void {
  if (converter) return;
  const convert = OpenCC.Converter({ from: "tw", to: "cn" });
  converter = convert;
  const chars: string[] = [];
  for (let u = 0x3400; u <= 0x9fff; u++) chars.push(String.fromCharCode(u));
  // One call over all characters, each on its own line so no phrase spans two.
  const simplified = convert(chars.join("\n")).split("\n");
  traditional = new Set();
  for (let i = 0; i < chars.length; i++) {
    if (simplified[i] === chars[i]) continue;
    traditional.add(chars[i].charCodeAt(0));
    if (simplified[i].length === 1) variants.set(simplified[i], (variants.get(simplified[i]) ?? "") + chars[i]);
  }
}

/**
 * A regular expression written in simplified characters, widened to match traditional text too:
 * each character with traditional forms becomes a class of them (投诉 → 投[诉訴]), and a class
 * gets them added. OpenCC's own simplified-to-traditional converter would take two seconds to load.
 */
export function withTraditional(source: string): string {
  loadChineseScript();
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
    const v = variants.get(c);
    out += v === undefined ? c : inClass ? c + v : `[${c}${v}]`;
  }
  return out;
}

/** Whether `text` holds a character written differently in simplified Chinese. */
export function hasTraditional(text: string): boolean {
  if (!traditional) loadChineseScript();
  for (let i = 0; i < text.length; i++) if (traditional!.has(text.charCodeAt(i))) return true;
  return false;
}

/** `text` in simplified characters; the same string when it has nothing to convert. */
export function toSimplified(text: string): string {
  return hasTraditional(text) ? converter!(text) : text;
}
