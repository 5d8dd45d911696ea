import { maskFreeJson, maskOptional, maskText, type PiiRules } from "../analysis/masking.js";
import { analysisFrom, packAnalysis } from "../analysis/stored-form.js";
import type { AnalysisResult } from "../analysis/types.js";
import { writeTransaction, type Db } from "../db/client.js";
import { rowsAs } from "../db/raw-rows.js";
import { FREE_TEXT_CHANNEL_FIELDS } from "./ingest/prepare.js";

/** A column's value as libSQL answers it. */
type Cell = string | number | null;

/** The masked columns of each table, by their SQL names, with the rowid pages are walked by. */
interface InteractionTexts {
  rid: number;
  subject: string | null;
  text: string;
  turns: string | null;
  channel_data: string | null;
  metadata: string | null;
  analysis: string | null;
}
interface EventTexts {
  rid: number;
  type: string;
  name: string | null;
  status: string | null;
  attributes: string | null;
}
interface CustomerTexts {
  rid: number;
  display_name: string | null;
}
interface VerdictTexts {
  rid: number;
  note: string | null;
}

export interface MaskStoredResult {
  interactions: number;
  events: number;
  customers: number;
  verdicts: number;
}

/** Rows read and rewritten per write transaction: short enough for ingest to get the lock in between. */
const PAGE = 200;

/** A JSON column masked by `mask`: the stored text itself when nothing in it changed. */
function maskJsonColumn(raw: string | null, mask: (v: never) => unknown): string | null {
  if (raw === null) return null;
  const value = JSON.parse(raw);
  const masked = mask(value as never);
  return masked === value ? raw : JSON.stringify(masked);
}

/** The stored analysis with its texts masked; its version (a content hash) is kept as it is. */
function maskAnalysis(raw: string | null, rules: PiiRules): string | null {
  if (raw === null) return null;
  const stored = JSON.parse(raw);
  const { version, ...rest } = analysisFrom(stored);
  const masked = maskFreeJson(rest, rules);
  if (masked === rest) return raw;
  const result = { version, ...masked } as AnalysisResult;
  return Array.isArray(stored) ? packAnalysis(result) : JSON.stringify(result);
}

function maskTurns(turns: Array<{ speaker: string; text: string; at?: string }>, rules: PiiRules) {
  let out: typeof turns | undefined;
  for (let i = 0; i < turns.length; i++) {
    const text = maskText(turns[i].text, rules);
    if (text !== turns[i].text) (out ??= turns.slice())[i] = { ...turns[i], text };
  }
  return out ?? turns;
}

function maskChannelData(channelData: Record<string, unknown>, rules: PiiRules) {
  const free: Record<string, unknown> = {};
  for (const k of FREE_TEXT_CHANNEL_FIELDS) if (channelData[k] !== undefined) free[k] = channelData[k];
  const masked = maskFreeJson(free, rules);
  return masked === free ? channelData : { ...channelData, ...masked };
}

const interactionColumns = ["subject", "text", "turns", "channel_data", "metadata", "analysis"] as const;
function maskInteraction(r: InteractionTexts, rules: PiiRules): Cell[] {
  return [
    maskOptional(r.subject, rules),
    maskText(r.text, rules),
    maskJsonColumn(r.turns, (t: Array<{ speaker: string; text: string }>) => maskTurns(t, rules)),
    maskJsonColumn(r.channel_data, (c: Record<string, unknown>) => maskChannelData(c, rules)),
    maskJsonColumn(r.metadata, (m: unknown) => maskFreeJson(m, rules)),
    maskAnalysis(r.analysis, rules),
  ];
}

const eventColumns = ["type", "name", "status", "attributes"] as const;
function maskEvent(r: EventTexts, rules: PiiRules): Cell[] {
  return [
    maskText(r.type, rules),
    maskOptional(r.name, rules),
    maskOptional(r.status, rules),
    maskJsonColumn(r.attributes, (a: unknown) => maskFreeJson(a, rules)),
  ];
}

/**
 * Masks, by the current rules, the free text of every record already stored: what was stored before a
 * field was masked or a detector existed. Rows already masked come out the same (masks hold no digit
 * or @) and are not rewritten. Changed subjects and texts leave the search index through its update
 * trigger; at the end the index is optimised and the WAL checkpointed with secure_delete, as erasure
 * does, so the old text leaves the database file.
 */
export async function maskStoredRecords(db: Db, rules: PiiRules): Promise<MaskStoredResult> {
  const result: MaskStoredResult = { interactions: 0, events: 0, customers: 0, verdicts: 0 };
  result.interactions = await pages<InteractionTexts>(db, "interactions", interactionColumns, (r) =>
    maskInteraction(r, rules),
  );
  result.events = await pages<EventTexts>(db, "journey_events", eventColumns, (r) => maskEvent(r, rules));
  result.customers = await pages<CustomerTexts>(db, "customers", ["display_name"], (r) => [
    maskOptional(r.display_name, rules),
  ]);
  result.verdicts = await pages<VerdictTexts>(db, "verdicts", ["note"], (r) => [maskOptional(r.note, rules)]);
  await db.write(async ({ client }) => {
    await client.execute("INSERT INTO interactions_fts(interactions_fts) VALUES ('optimize')");
    if (client.protocol === "file") await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  });
  return result;
}

/**
 * Rewrites, page by page in rowid order, the columns of `table` that masking changes; how many rows.
 * Only changed columns are set: setting subject or text, even unchanged, re-indexes the row.
 */
async function pages<R extends { rid: number }>(
  db: Db,
  table: string,
  columns: ReadonlyArray<keyof R & string>,
  mask: (r: R) => Cell[],
): Promise<number> {
  const select = `SELECT rowid AS rid, ${columns.join(", ")} FROM ${table}`;
  let after = 0;
  let changed = 0;
  for (;;) {
    const rows = rowsAs<R>(
      await db.$client.execute({ sql: `${select} WHERE rowid > ? ORDER BY rowid LIMIT ?`, args: [after, PAGE] }),
    );
    if (rows.length === 0) return changed;
    after = rows[rows.length - 1].rid;
    const due = rows.filter((r) => mask(r).some((v, i) => v !== r[columns[i]]));
    if (due.length === 0) continue;
    changed += await writeTransaction(db, async (tx) => {
      // A libSQL server manages its own pages; on a file, freed pages are zeroed as erasure zeroes them.
      if (db.$client.protocol === "file") await tx.execute("PRAGMA secure_delete = ON");
      let n = 0;
      for (const { rid } of due) {
        // Read again under the write lock: an erasure may have removed the row since.
        const [current] = rowsAs<R>(await tx.execute({ sql: `${select} WHERE rowid = ?`, args: [rid] }));
        if (!current) continue;
        const values = mask(current);
        const set = columns.flatMap((c, i) => (values[i] !== current[c] ? [[c, values[i]] as const] : []));
        if (set.length === 0) continue;
        await tx.execute({
          sql: `UPDATE ${table} SET ${set.map(([c]) => `${c} = ?`).join(", ")} WHERE rowid = ?`,
          args: [...set.map(([, v]) => v), rid],
        });
        n++;
      }
      return n;
    });
  }
}
