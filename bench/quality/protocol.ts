// The cross-dataset protocol: every scorer on every set, once as it ships ("tuned": the figure on a
// set it was tuned or trained on) and once trained without that set ("never seen"). A scorer that
// never saw a set has one figure, which is a never-seen one.
import type { ReliabilityBin } from "../metrics.js";
import { sawSet, type Scores, type ScorerUnderTest } from "./scorers.js";
import type { EvalSet, Figure } from "./sets.js";

export interface Column {
  figures: Figure[];
  reliability?: ReliabilityBin[];
  /** Which scorer produced it (the never-seen one is the scorer trained without the set). */
  by: string;
}

export interface SetResult {
  set: EvalSet;
  /** Per scorer name: its figures as shipped and on the set never seen (either may be missing). */
  cells: Map<string, { tuned?: Column; neverSeen?: Column }>;
}

export interface ProtocolRun {
  results: SetResult[];
  /** Per scorer name: messages scored and the time it took (trained variants count with their scorer). */
  timing: Map<string, { messages: number; ms: number }>;
  trainedModels: number;
}

/** Scores a set's texts, remembering each text's scores (the same tweets appear in several sets). */
class MemoScorer {
  private memo = new Map<string, Scores>();
  constructor(
    readonly scorer: ScorerUnderTest,
    private timing: { messages: number; ms: number },
  ) {}

  scoreSet(set: EvalSet): Scores[] {
    return set.texts.map((text) => {
      const key = `${set.channel}\u0000${text}`;
      let s = this.memo.get(key);
      if (!s) {
        const t0 = performance.now();
        s = this.scorer.score(text, set.channel);
        this.timing.ms += performance.now() - t0;
        this.timing.messages++;
        this.memo.set(key, s);
      }
      return s;
    });
  }
}

function column(set: EvalSet, m: MemoScorer): Column {
  const scores = m.scoreSet(set);
  return {
    figures: set.evaluate(scores, m.scorer.probabilities),
    reliability: m.scorer.probabilities ? set.reliability?.(scores) : undefined,
    by: m.scorer.name,
  };
}

export async function runProtocol(
  sets: EvalSet[],
  scorers: ScorerUnderTest[],
  log: (line: string) => void,
): Promise<ProtocolRun> {
  const results: SetResult[] = sets.map((set) => ({ set, cells: new Map() }));
  const timing = new Map<string, { messages: number; ms: number }>();
  let trainedModels = 0;
  for (const scorer of scorers) {
    const t = { messages: 0, ms: 0 };
    timing.set(scorer.name, t);
    const shipped = new MemoScorer(scorer, t);
    // The scorer trained without each set's id; sets whose training leaves out the same data (airline
    // complaints and polarity, TweetEval's tasks) share one, and its remembered scores.
    const without = new Map<string, MemoScorer | null>();
    const memos = new Map<ScorerUnderTest, MemoScorer>([[scorer, shipped]]);
    for (const r of results) {
      const asShipped = column(r.set, shipped);
      if (!sawSet(scorer, r.set.id)) {
        r.cells.set(scorer.name, { tuned: asShipped, neverSeen: asShipped });
        continue;
      }
      let neverSeen: Column | undefined;
      if (scorer.trainWithout) {
        if (!without.has(r.set.id)) {
          const t0 = performance.now();
          const trained = await scorer.trainWithout(r.set.id);
          if (trained && !memos.has(trained)) {
            memos.set(trained, new MemoScorer(trained, t));
            log(`  ${scorer.name} without ${r.set.id}: ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
            trainedModels++;
          }
          without.set(r.set.id, trained && memos.get(trained)!);
        }
        const m = without.get(r.set.id);
        if (m) neverSeen = column(r.set, m);
      }
      r.cells.set(scorer.name, { tuned: asShipped, neverSeen });
    }
    log(`${scorer.name}: ${t.messages} messages scored`);
  }
  return { results, timing, trainedModels };
}
