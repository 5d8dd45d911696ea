import type { InArgs, InStatement, ResultSet, Transaction } from "@libsql/client";
import { jsonList } from "../../db/insert-values.js";
import { rowsAs } from "../../db/raw-rows.js";
import { emitMomentEvents, momentEventStatements, momentPayload } from "./lifecycle.js";
import type { LiveMoment } from "./moment-changes.js";
import { unionList } from "./work-context.js";
import { severityRank } from "./views.js";

// When two customers turn out to be one person, their live moments become one; an unmerge splits them
// back. Runs inside the merge's (or unmerge's) transaction, on its raw connection like the merge.

/** A live moment as a merge reads it: what scoring reads, and its queue fields. */
interface LiveRow extends Omit<LiveMoment, "rules_version"> {
  opened_at: number | null;
  signal_at: number | null;
  assignee_id: string | null;
  assignee_name: string | null;
  team: string | null;
}

/** What folding changed, kept in the merge's snapshot so unmerge can put it back. */
export interface MomentFold {
  /** The moment the others were folded into, and its fields before. */
  target: string;
  before: Omit<LiveRow, "id" | "customer_id" | "status">;
  /** Moments of the merged customer now held by the survivor (the target, when the survivor had none). */
  moved: string[];
  /** Moments folded into the target (their `merged_into`). */
  folded: string[];
}

type Reason = { code: string; text: string; weight: number; refs: string[] };

/** Reasons of several moments as one list: per code the strongest text and weight, and every ref. */
export function combineReasons(lists: Reason[][]): Reason[] {
  const byCode = new Map<string, Reason>();
  for (const list of lists)
    for (const r of list) {
      const seen = byCode.get(r.code);
      if (!seen) byCode.set(r.code, { ...r, refs: [...r.refs] });
      else {
        const refs = [...new Set([...seen.refs, ...r.refs])];
        byCode.set(r.code, r.weight > seen.weight ? { ...r, refs } : { ...seen, refs });
      }
    }
  return [...byCode.values()].sort((a, b) => b.weight - a.weight);
}

const LIVE_COLUMNS =
  "id, customer_id, status, severity, risk, reasons, trigger_id, trigger_at, channels, needs, opened_at, signal_at, assignee_id, assignee_name, team";

/** The live moments (open or acknowledged, not folded) of the customers among `ids`, latest trigger first. */
export const liveMomentsStatement = (ids: string[]): InStatement => ({
  sql: `SELECT ${LIVE_COLUMNS} FROM moments WHERE customer_id IN (SELECT value FROM json_each(?)) AND status IN ('open', 'acknowledged') AND merged_into IS NULL ORDER BY trigger_at DESC, id DESC`,
  args: [jsonList([...new Set(ids)])],
});

/**
 * The live moments of some customers, as a batch's merges change them: each fold planned against
 * them updates them (the target moves to the survivor with its new fields, the folded ones leave),
 * so a later merge in the same batch folds what the earlier one left.
 */
export class LiveMoments {
  #rows: LiveRow[];
  constructor(rs: ResultSet) {
    this.#rows = rowsAs<LiveRow>(rs).map((r) => ({ ...r }));
  }

  /**
   * The statements that fold the merged customer's live moments and the survivor's into one (see
   * foldMoments), with the merge's snapshot of what folding changed (for unmerge) and the live
   * stream's `moment.merged`; none when the merged customer holds no live moment. They read nothing
   * back, so they go in the batch that writes the merge, after its statements.
   */
  foldStatements(tx: Transaction, survivorId: string, mergedId: string, mergeId: string, at: number): InStatement[] {
    const rows = this.#rows.filter((r) => r.customer_id === survivorId || r.customer_id === mergedId);
    const plan = planFold(rows, survivorId, mergedId, at);
    if (!plan) return [];
    const folded = new Set(plan.fold.folded);
    this.#rows = this.#rows.filter((r) => !folded.has(r.id));
    const target = this.#rows.find((r) => r.id === plan.fold.target);
    if (target) Object.assign(target, plan.after);
    return [
      ...plan.statements(tx),
      {
        sql: "UPDATE merges SET moved = json_set(moved, '$.moments', json(?)) WHERE id = ?",
        args: [JSON.stringify(plan.fold), mergeId],
      },
    ];
  }
}

/**
 * Folds the merged customer's live moments (open or acknowledged) and the survivor's into one: the
 * survivor's latest, else the merged customer's latest, moved to the survivor. The one kept takes the
 * highest severity and risk, the reasons of all, the latest trigger, the earliest wait and the latest
 * signal; the others point at it (`merged_into`) and leave the queue. Null when there was nothing to fold.
 */
export async function foldMoments(
  tx: Transaction,
  survivorId: string,
  mergedId: string,
  at: number,
): Promise<MomentFold | null> {
  const rows = rowsAs<LiveRow>(await tx.execute(liveMomentsStatement([survivorId, mergedId])));
  const plan = planFold(rows, survivorId, mergedId, at);
  if (!plan) return null;
  await tx.batch(plan.statements(tx));
  return plan.fold;
}

/** A fold worked out from the two customers' live moments (latest trigger first): its statements and snapshot. */
function planFold(rows: LiveRow[], survivorId: string, mergedId: string, at: number) {
  const mine = rows.filter((r) => r.customer_id === mergedId);
  if (mine.length === 0) return null;
  const target = rows.find((r) => r.customer_id === survivorId) ?? mine[0];
  // The survivor's older moments (other windows) stay as they are.
  const others = mine.filter((r) => r.id !== target.id);
  const all = [target, ...others];
  const before: MomentFold["before"] = {
    severity: target.severity,
    risk: target.risk,
    reasons: target.reasons,
    trigger_id: target.trigger_id,
    trigger_at: target.trigger_at,
    channels: target.channels,
    needs: target.needs,
    opened_at: target.opened_at,
    signal_at: target.signal_at,
    assignee_id: target.assignee_id,
    assignee_name: target.assignee_name,
    team: target.team,
  };
  let severity = target.severity;
  for (const r of others) if (severityRank(r.severity) > severityRank(severity)) severity = r.severity;
  const latest = all.reduce((a, b) => (b.trigger_at > a.trigger_at ? b : a));
  // opened_at and signal_at may be NULL: the fold keeps NULL rather than a made-up time (Infinity, the epoch).
  const known = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null);
  const min = (xs: Array<number | null>) => (known(xs).length ? Math.min(...known(xs)) : null);
  const max = (xs: Array<number | null>) => (known(xs).length ? Math.max(...known(xs)) : null);
  const reasons = combineReasons(all.map((r) => JSON.parse(r.reasons) as Reason[]));
  const holder = all.find((r) => r.assignee_id) ?? target;
  const moved = target.customer_id === mergedId ? [target.id] : [];
  const after: Omit<LiveRow, "id" | "status"> = {
    customer_id: survivorId,
    severity,
    risk: Math.max(...all.map((r) => r.risk)),
    reasons: JSON.stringify(reasons),
    trigger_id: latest.trigger_id,
    trigger_at: latest.trigger_at,
    channels: all.reduce<string | null>((a, r) => unionList(a, r.channels), null),
    needs: all.reduce<string | null>((a, r) => unionList(a, r.needs), null),
    opened_at: min(all.map((r) => r.opened_at)),
    signal_at: max(all.map((r) => r.signal_at)),
    assignee_id: holder.assignee_id,
    assignee_name: holder.assignee_name,
    team: target.team ?? all.find((r) => r.team)?.team ?? null,
  };
  const folded = others.map((r) => r.id);
  const fold: MomentFold = { target: target.id, before, moved, folded };
  const statements = (tx: Transaction): InStatement[] => {
    const out: InStatement[] = [
      {
        sql: `UPDATE moments SET customer_id = ?, severity = ?, risk = ?, reasons = ?, trigger_id = ?, trigger_at = ?, channels = ?, needs = ?,
      opened_at = ?, signal_at = ?, assignee_id = ?, assignee_name = ?, team = ?, updated_at = ? WHERE id = ?`,
        args: [
          survivorId,
          after.severity,
          after.risk,
          after.reasons,
          after.trigger_id,
          after.trigger_at,
          after.channels,
          after.needs,
          after.opened_at,
          after.signal_at,
          after.assignee_id,
          after.assignee_name,
          after.team,
          at,
          target.id,
        ] as InArgs,
      },
    ];
    if (folded.length)
      out.push({
        sql: "UPDATE moments SET merged_into = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))",
        args: [target.id, at, jsonList(folded)],
      });
    // The live stream shows the change; no webhook subscribes to it.
    const payload = { ...momentPayload({ ...target, customer_id: survivorId, severity, reasons }), folded };
    for (const st of momentEventStatements(tx, [{ type: "moment.merged", payload }], at, undefined).statements)
      out.push(st);
    return out;
  };
  return { fold, after, statements };
}

/** Undoes a fold: the folded moments stand alone again, the moved ones go back, the target is as it was. */
export async function unfoldMoments(tx: Transaction, fold: MomentFold, mergedId: string, at: number) {
  const b = fold.before;
  await tx.execute({
    sql: `UPDATE moments SET severity = ?, risk = ?, reasons = ?, trigger_id = ?, trigger_at = ?, channels = ?, needs = ?,
      opened_at = ?, signal_at = ?, assignee_id = ?, assignee_name = ?, team = ?, updated_at = ? WHERE id = ?`,
    args: [
      b.severity,
      b.risk,
      b.reasons,
      b.trigger_id,
      b.trigger_at,
      b.channels,
      b.needs,
      b.opened_at,
      b.signal_at,
      b.assignee_id,
      b.assignee_name,
      b.team,
      at,
      fold.target,
    ],
  });
  if (fold.moved.length)
    await tx.execute({
      sql: "UPDATE moments SET customer_id = ? WHERE id IN (SELECT value FROM json_each(?))",
      args: [mergedId, jsonList(fold.moved)],
    });
  if (fold.folded.length)
    await tx.execute({
      sql: "UPDATE moments SET merged_into = NULL, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))",
      args: [at, jsonList(fold.folded)],
    });
  await emitMomentEvents(
    tx,
    [{ type: "moment.unmerged", payload: { id: fold.target, restored: [...fold.moved, ...fold.folded] } }],
    at,
    true,
  );
}
