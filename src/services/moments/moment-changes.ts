import type { InStatement, ResultSet, Transaction } from "@libsql/client";
import { readStatement, rowsFrom, type RowsRead } from "../../db/json-rows.js";
import { insertStatements, jsonList, type SqlValue } from "../../db/insert-values.js";
import { newId } from "../../lib/ids.js";
import type { HookCache } from "../webhooks/outbox.js";
import type { MomentScore } from "../../journeys/journey-risk.js";
import { momentEventStatements, momentPayload, type MomentEvent } from "./lifecycle.js";
import type { RulesInForce } from "./rules-in-force.js";
import { unionList } from "./work-context.js";
import { severityRank } from "./views.js";

// What scoring changes in the moments table, as statements on the write transaction's connection:
// hand-built SQL, like the ingest inserts, since it runs on the write path every stored record takes.

/** A live moment as scoring reads it (the raw row of liveMomentsStatement). */
export interface LiveMoment {
  id: string;
  customer_id: string;
  status: string;
  severity: string;
  risk: number;
  reasons: string;
  trigger_id: string;
  trigger_at: number;
  rules_version: string;
  channels: string | null;
  needs: string | null;
}

/** A customer's journey scored at its latest item. */
export interface Scored {
  customerId: string;
  triggerId: string;
  triggerAt: number;
  score: MomentScore;
  /** The channels and needs behind the score (workContext), which the queue filters on. */
  context: { channels: string | null; needs: string | null };
}

/**
 * The live moments of `customers` triggered at or after `since`, oldest first (the moments_customer_trigger
 * index). Closed moments count: a new signal in their window opens them again. Moments folded into
 * another by a customer merge do not.
 */
export function liveMomentsStatement(customers: Set<string>, since: number, tx?: Transaction): InStatement {
  const statement = {
    sql: "SELECT id, customer_id, status, severity, risk, reasons, trigger_id, trigger_at, rules_version, channels, needs FROM moments WHERE customer_id IN (SELECT value FROM json_each(?)) AND status != 'resolved' AND merged_into IS NULL AND trigger_at >= ? ORDER BY trigger_at",
    args: [jsonList([...customers]), since],
  };
  return tx ? readStatement(tx, statement, liveRead) : statement;
}

const liveRead: RowsRead = {
  columns: [
    "id",
    "customer_id",
    "status",
    "severity",
    "risk",
    "reasons",
    "trigger_id",
    "trigger_at",
    "rules_version",
    "channels",
    "needs",
  ],
  floats: ["risk"],
};

/** Each customer's latest live moment, from the answer to liveMomentsStatement. */
export function liveByCustomer(rs: ResultSet): Map<string, LiveMoment> {
  const live = new Map<string, LiveMoment>();
  // The latest by trigger time, whichever order the rows came in (later rows win ties, as before).
  for (const r of rowsFrom<LiveMoment>(rs, liveRead)) {
    const seen = live.get(String(r.customer_id));
    if (!seen || Number(r.trigger_at) >= Number(seen.trigger_at)) live.set(String(r.customer_id), r);
  }
  return live;
}

/** Moment rows to insert, live moments to update (id first) and events to emit, for one scoring transaction. */
interface MomentChanges {
  inserts: SqlValue[][];
  updates: Array<
    [
      id: string,
      severity: string,
      risk: number,
      reasons: string,
      triggerId: string,
      triggerAt: number,
      rulesVersion: string,
      /** Set when a flagged signal arrived: the quiet period restarts and a snooze ends. */
      signalAt: number | null,
      channels: string | null,
      needs: string | null,
      /** 1 when a closed moment is opened again by a new signal. */
      reopen: 0 | 1,
    ]
  >;
  events: MomentEvent[];
}

/** The eleven values of a re-scored moment's row, named as a VALUES list names them. */
const UPDATE_COLUMNS = Array.from({ length: 11 }, (_, i) => `value->>${i} AS column${i + 1}`).join(", ");

/** The statements that apply the scores (one per kind of change for all customers) and the deliveries they queue. */
export function changeStatements(
  tx: Transaction,
  inForce: RulesInForce,
  scored: Scored[],
  live: Map<string, LiveMoment>,
  at: number,
  hooks: HookCache,
): { statements: InStatement[]; deliveries: number } {
  const window = inForce.windowMs;
  const changes: MomentChanges = { inserts: [], updates: [], events: [] };
  for (const s of scored) {
    const current = live.get(s.customerId);
    planChanges(
      inForce,
      changes,
      s.customerId,
      s.triggerId,
      s.triggerAt,
      s.score,
      s.context,
      at,
      current && Number(current.trigger_at) >= s.triggerAt - window ? current : undefined,
    );
  }
  const statements = insertStatements(
    tx,
    "moments",
    [
      "id",
      "customer_id",
      "status",
      "severity",
      "risk",
      "reasons",
      "trigger_id",
      "trigger_at",
      "rules_version",
      "created_at",
      "updated_at",
      "opened_at",
      "signal_at",
      "channels",
      "needs",
    ],
    changes.inserts,
  );
  if (changes.updates.length > 0)
    // UPDATE ... FROM the re-scored moments as one JSON parameter (insertStatement's shape, for the
    // same reason): every live moment re-scored in one statement.
    statements.push({
      // A re-opened moment waits anew: its acknowledgement, snooze and closing are cleared, and its
      // time to acknowledge counts from now.
      sql: `UPDATE moments SET severity = v.column2, risk = v.column3, reasons = v.column4, trigger_id = v.column5, trigger_at = v.column6, rules_version = v.column7,
            signal_at = coalesce(v.column8, signal_at), snoozed_until = CASE WHEN v.column8 IS NULL THEN snoozed_until END,
            channels = v.column9, needs = v.column10,
            status = CASE WHEN v.column11 = 1 THEN 'open' ELSE status END,
            opened_at = CASE WHEN v.column11 = 1 THEN ?1 ELSE opened_at END,
            closed_at = CASE WHEN v.column11 = 1 THEN NULL ELSE closed_at END,
            closed_reason = CASE WHEN v.column11 = 1 THEN NULL ELSE closed_reason END,
            acknowledged_at = CASE WHEN v.column11 = 1 THEN NULL ELSE acknowledged_at END,
            acknowledged_by = CASE WHEN v.column11 = 1 THEN NULL ELSE acknowledged_by END,
            acknowledged_by_name = CASE WHEN v.column11 = 1 THEN NULL ELSE acknowledged_by_name END,
            updated_at = ?1
          FROM (SELECT ${UPDATE_COLUMNS} FROM json_each(?2)) AS v WHERE moments.id = v.column1`,
      args: [at, JSON.stringify(changes.updates)],
    });
  const events = momentEventStatements(tx, changes.events, at, hooks);
  for (const st of events.statements) statements.push(st);
  return { statements, deliveries: events.deliveries };
}

/**
 * What scoring one customer changes. `current`: the customer's live moment in the window, if any
 * (the latest, read in this transaction). Changes are gathered and written together: one statement
 * per kind of change instead of several per customer kept scoring on the event loop's critical path.
 */
function planChanges(
  inForce: RulesInForce,
  changes: MomentChanges,
  customerId: string,
  triggerId: string,
  triggerAt: number,
  score: MomentScore,
  context: { channels: string | null; needs: string | null },
  at: number,
  current: LiveMoment | undefined,
) {
  if (!current && !score.flagged) return;
  // A closed moment stays closed until a flagged signal arrives.
  if (current?.status === "closed" && !score.flagged) return;
  const severity = score.severity ?? "low";
  if (!current) {
    const id = newId("mom");
    changes.inserts.push([
      id,
      customerId,
      "open",
      severity,
      score.risk,
      JSON.stringify(score.reasons),
      triggerId,
      triggerAt,
      inForce.current.version,
      at,
      at,
      at,
      at,
      context.channels,
      context.needs,
    ]);
    changes.events.push({
      type: "moment.flagged",
      payload: momentPayload({
        id,
        customerId,
        status: "open",
        severity,
        risk: score.risk,
        reasons: score.reasons,
        triggerId,
      }),
    });
    return;
  }
  // A moment's severity only rises while it is live; a calmer later record does not hide it.
  const escalated = score.flagged && severityRank(severity) > severityRank(current.severity);
  const newSeverity = escalated ? severity : String(current.severity);
  const risk = Math.max(score.risk, Number(current.risk));
  const reasons = score.flagged ? JSON.stringify(score.reasons) : String(current.reasons);
  const reopen = current.status === "closed";
  changes.updates.push([
    String(current.id),
    newSeverity,
    risk,
    reasons,
    triggerId,
    Math.max(triggerAt, Number(current.trigger_at)),
    inForce.versionAfter(score.flagged, String(current.rules_version)),
    score.flagged ? at : null,
    unionList(current.channels, context.channels),
    unionList(current.needs, context.needs),
    reopen ? 1 : 0,
  ]);
  if (reopen)
    changes.events.push({
      type: "moment.reopened",
      payload: momentPayload({
        ...momentPayload(current),
        status: "open",
        severity: newSeverity,
        risk,
        reasons: score.reasons,
        triggerId,
      }),
    });
  if (escalated)
    changes.events.push({
      type: "moment.escalated",
      payload: momentPayload({ ...momentPayload(current), severity, risk, reasons: score.reasons, triggerId }),
    });
}
