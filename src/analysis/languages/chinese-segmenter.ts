import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";

// Chinese word segmentation with jieba (the Rust port, through @node-rs/jieba's native addon): more
// lexicon terms come out whole than with Intl.Segmenter (bench/segmentation.ts). Its dictionary
// takes ~0.5 s and ~60 MB to load, so it is loaded once per thread, on the first Chinese text, and
// called synchronously after that (the analysis stays a pure function; threads that never see
// Chinese never pay for it).

let jieba: Jieba | undefined;
const added = new Set<string>();

/** The segmenter, with `words` (lexicon terms) added to its dictionary so they come out whole. */
export function loadChineseSegmenter(words: Iterable<string> = []): void {
  jieba ??= Jieba.withDict(dict);
  const lines: string[] = [];
  for (const w of words) {
    // Terms of one character are words already; terms with spaces or Latin letters are no jieba words.
    if (w.length < 2 || added.has(w) || !/^[\u3400-\u9fff]+$/.test(w)) continue;
    added.add(w);
    // A middling frequency: enough to keep the term whole, not enough to swallow its neighbours.
    lines.push(`${w} 2000`);
  }
  if (lines.length) jieba.loadDict(Buffer.from(lines.join("\n")));
}

/** The words of a run of Chinese text, in order; their lengths add up to the text's. */
export function cutChinese(text: string): string[] {
  if (!jieba) loadChineseSegmenter();
  return jieba!.cut(text, true);
}
