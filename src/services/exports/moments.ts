import type { CsvCell } from "../../lib/csv-stream.js";
import { encodeCursor } from "../../lib/cursor.js";
import type { Db } from "../../db/client.js";
import type { Person } from "../person.js";
import type { AckTargets } from "../moments/ack-targets.js";
import { encodeQueueCursor, queueEdge, queuePage, type QueueQuery } from "../moments/queue-view.js";
import { listMoments, momentListEdge, type MomentListQuery, type MomentView } from "../moments/views.js";
import { EXPORT_PAGE_ROWS, type ExportPlan } from "./limits.js";

/** The columns of a moment export; reasons are the scorer's own words, never a customer's text. */
export const momentColumns = [
  "id",
  "customer_id",
  "status",
  "severity",
  "risk",
  "created_at",
  "opened_at",
  "trigger_at",
  "channels",
  "needs",
  "reason_codes",
  "reasons",
  "assignee",
  "team",
  "acknowledged_at",
  "acknowledged_by",
  "resolved_at",
  "resolved_by",
  "closed_at",
  "closed_reason",
  "snoozed_until",
] as const;

/** A queue export adds where each moment stands against its acknowledgement target. */
export const queueColumns = [...momentColumns, "ack_due_at", "waited_seconds", "ack_breached"] as const;

type Cells = Record<string, CsvCell>;

const momentRecord = (m: MomentView): Cells => ({
  id: m.id,
  customer_id: m.customerId,
  status: m.status,
  severity: m.severity,
  risk: m.risk,
  created_at: m.createdAt,
  opened_at: m.openedAt,
  trigger_at: m.triggerAt,
  channels: m.channels.join(";"),
  needs: m.needs.join(";"),
  reason_codes: m.reasons.map((r) => r.code).join(";"),
  reasons: m.reasons.map((r) => r.text).join("; "),
  assignee: m.assignee?.name,
  team: m.team,
  acknowledged_at: m.acknowledged?.at,
  acknowledged_by: m.acknowledged?.name,
  resolved_at: m.resolved?.at,
  resolved_by: m.resolved?.name,
  closed_at: m.closed?.at,
  closed_reason: m.closed?.reason,
  snoozed_until: m.snoozedUntil,
});

/** An export of a moment list (GET /v1/moments's filters), newest first, ending at its edge. */
export async function planMomentExport(
  db: Db,
  q: Omit<MomentListQuery, "limit">,
  max: number,
): Promise<ExportPlan<Cells>> {
  const edge = await momentListEdge(db, q, max - 1);
  return {
    columns: momentColumns,
    rows: edge.rows,
    nextCursor: edge.last && edge.more ? encodeCursor(edge.last) : null,
    async *records() {
      let cursor = q.cursor;
      for (;;) {
        const page = await listMoments(db, {
          ...q,
          cursor,
          until: edge.last ?? undefined,
          limit: EXPORT_PAGE_ROWS,
        });
        for (const m of page.items) yield momentRecord(m);
        if (!page.nextCursor) return;
        const end = page.items[page.items.length - 1];
        cursor = { t: Date.parse(end.createdAt), id: end.id };
      }
    },
  };
}

/**
 * An export of a queue view in queue order. A live queue moves while it is read (a moment acknowledged
 * or re-scored changes place): the export is its order at each page's reading, ending at the edge.
 */
export async function planQueueExport(
  db: Db,
  q: Omit<QueueQuery, "limit" | "until" | "skipCounts">,
  person: Person,
  targets: AckTargets,
  now: Date,
  max: number,
): Promise<ExportPlan<Cells>> {
  const edge = await queueEdge(db, { ...q, limit: max }, person, now, max - 1);
  return {
    columns: queueColumns,
    rows: edge.rows,
    nextCursor: edge.last && edge.more ? encodeQueueCursor(edge.last) : null,
    async *records() {
      let cursor = q.cursor;
      for (;;) {
        const page = await queuePage(
          db,
          { ...q, cursor, until: edge.last ?? undefined, skipCounts: true, limit: EXPORT_PAGE_ROWS },
          person,
          targets,
          now,
        );
        for (const m of page.items)
          yield {
            ...momentRecord(m),
            ack_due_at: m.ack.dueAt,
            waited_seconds: m.ack.waitedSeconds,
            ack_breached: m.ack.breached,
          };
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
      }
    },
  };
}
