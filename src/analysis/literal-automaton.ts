/**
 * Aho–Corasick over case-folded text: one pass finds which of many literals occur in a sentence, at a
 * table lookup per character. Built as a dense table (state × character class) so the scan allocates
 * nothing and does no hashing for ASCII text. A curly apostrophe (’) is read as a straight one, as
 * the tokenizer reads "don’t".
 */
const APOSTROPHE = 39;
const CURLY_APOSTROPHE = 0x2019;

export class LiteralAutomaton {
  readonly #classes: number;
  readonly #asciiClass = new Uint8Array(128);
  readonly #otherClass = new Map<number, number>();
  readonly #next: Int32Array;
  /** The ids of the literals that end at each state (including those reached through failure links). */
  readonly #outputs: (number[] | null)[];

  /** `literals[i]` is found under id `ids[i]`; several literals may share an id. */
  constructor(literals: string[], ids: number[]) {
    const entries = literals
      .map((l, i) => ({ literal: l.toLowerCase().replace(/’/g, "'"), id: ids[i] }))
      .filter((e) => e.literal !== "");
    // Every character that occurs in a literal gets a class; any other character is class 0.
    let classes = 1;
    const classOf = new Map<number, number>();
    for (const { literal: l } of entries) {
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        if (!classOf.has(c)) classOf.set(c, classes++);
      }
    }
    for (const [c, k] of classOf) {
      for (const variant of new Set([c, String.fromCharCode(c).toUpperCase().charCodeAt(0)])) {
        if (variant < 128) this.#asciiClass[variant] = k;
        else this.#otherClass.set(variant, k);
      }
    }
    const apostrophe = classOf.get(APOSTROPHE);
    if (apostrophe !== undefined) this.#otherClass.set(CURLY_APOSTROPHE, apostrophe);
    this.#classes = classes;

    // The trie, then failure links breadth first, folded into a complete transition table.
    const children: Map<number, number>[] = [new Map()];
    const outputs: number[][] = [[]];
    for (const { literal: l, id } of entries) {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const k = classOf.get(l.charCodeAt(i))!;
        let t = children[s].get(k);
        if (t === undefined) {
          t = children.length;
          children.push(new Map());
          outputs.push([]);
          children[s].set(k, t);
        }
        s = t;
      }
      outputs[s].push(id);
    }
    const next = new Int32Array(children.length * classes);
    const fail = new Int32Array(children.length);
    const queue: number[] = [];
    for (let k = 0; k < classes; k++) {
      const t = children[0].get(k);
      next[k] = t ?? 0;
      if (t !== undefined) queue.push(t);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      for (const id of outputs[fail[s]]) if (!outputs[s].includes(id)) outputs[s].push(id);
      for (let k = 0; k < classes; k++) {
        const t = children[s].get(k);
        if (t === undefined) next[s * classes + k] = next[fail[s] * classes + k];
        else {
          fail[t] = next[fail[s] * classes + k];
          next[s * classes + k] = t;
          queue.push(t);
        }
      }
    }
    this.#next = next;
    this.#outputs = outputs.map((o) => (o.length ? o : null));
  }

  #otherClassOf(code: number): number {
    return (
      this.#otherClass.get(code) ?? this.#otherClass.get(String.fromCharCode(code).toLowerCase().charCodeAt(0)) ?? 0
    );
  }

  /** Calls `found` with the id of every literal occurrence in `text` (an id may come more than once). */
  scan(text: string, found: (id: number) => void): void {
    const next = this.#next;
    const classes = this.#classes;
    const outputs = this.#outputs;
    const ascii = this.#asciiClass;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      s = next[s * classes + (code < 128 ? ascii[code] : this.#otherClassOf(code))];
      const out = outputs[s];
      if (out !== null) for (let j = 0; j < out.length; j++) found(out[j]);
    }
  }
}
