import type { Transaction } from "@libsql/client";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { insertValues } from "../../db/insert-values.js";
import { interactions, journeyEvents, scoringBacklog } from "../../db/schema/index.js";
import type { StoredItem } from "./stored-item.js";

// The scoring backlog: records stored but not scored (a scoring that failed in the ingest
// transaction, or a crash in between), scored later by MomentScorer.evaluate.

/** A backlog entry with what its record's scoring needs (null once the record was erased). */
interface BacklogRow {
  record_id: string;
  kind: "interaction" | "event";
  customer_id: string | null;
  occurred_at: number | null;
  channel: string | null;
  sentiment_score: number | null;
  complaint_risk: number | null;
  flagged: number | null;
}

/** Puts stored records in the scoring backlog, in the caller's transaction. */
export async function addToBacklog(tx: Transaction, items: StoredItem[], at: number) {
  await insertValues(
    tx,
    "scoring_backlog",
    ["record_id", "kind", "created_at"],
    items.map((i) => [i.recordId, i.interaction ? "interaction" : "event", at]),
  );
}

/**
 * What ingest committed but scoring never applied (the process died in between), as queue items,
 * oldest first. Records erased meanwhile are dropped from the backlog.
 */
export async function readBacklog(db: Db, limit = 100_000): Promise<StoredItem[]> {
  const rows = await db.all<BacklogRow>(sql`
      SELECT b.record_id, b.kind, coalesce(i.customer_id, e.customer_id) AS customer_id, coalesce(i.occurred_at, e.occurred_at) AS occurred_at,
          i.channel, i.sentiment_score, i.complaint_risk, i.flagged
        FROM ${scoringBacklog} b
        LEFT JOIN ${interactions} i ON b.kind = 'interaction' AND i.id = b.record_id
        LEFT JOIN ${journeyEvents} e ON b.kind = 'event' AND e.id = b.record_id
        ORDER BY b.created_at LIMIT ${limit}`);
  const gone = rows.filter((r) => r.customer_id === null).map((r) => r.record_id);
  if (gone.length)
    await db.write(({ orm }) => orm.delete(scoringBacklog).where(inArray(scoringBacklog.recordId, gone)));
  const items: StoredItem[] = [];
  for (const r of rows) {
    if (r.customer_id === null || r.occurred_at === null) continue;
    const base = { recordId: r.record_id, customerId: r.customer_id, occurredAt: r.occurred_at };
    items.push(
      r.kind === "interaction"
        ? {
            ...base,
            interaction: {
              id: r.record_id,
              channel: String(r.channel),
              sentiment: r.sentiment_score,
              risk: r.complaint_risk,
              flagged: r.flagged === 1,
            },
          }
        : base,
    );
  }
  return items;
}
