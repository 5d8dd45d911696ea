import type { InStatement, Transaction } from "@libsql/client";
import { eq } from "drizzle-orm";
import { ormFor, writeTransaction, type Db } from "../../db/client.js";
import { moments } from "../../db/schema/index.js";
import { insertStatements, type SqlValue } from "../../db/insert-values.js";
import { conflict, notFound } from "../../lib/domain-error.js";
import { deliveryStatements, subscribedHooks, type Delivery, type HookCache } from "../webhooks/outbox.js";
import type { Person } from "../person.js";
import { getMoment } from "./views.js";

// A moment's changes as events (the live stream's log and the webhook outbox), and the changes an
// agent makes: acknowledge and resolve.

export interface MomentEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** Records a moment change for the live stream and queues it for every webhook subscribed to its type. */
export async function emitMomentEvent(
  tx: Transaction,
  type: string,
  payload: Record<string, unknown>,
  at: number,
  onlyStream = false,
  hooks: HookCache = new Map(),
) {
  await emitMomentEvents(tx, [{ type, payload }], at, onlyStream, hooks);
}

/** Many moment changes, with one multi-row statement per table; how many webhook deliveries they queued. */
export async function emitMomentEvents(
  tx: Transaction,
  events: MomentEvent[],
  at: number,
  onlyStream = false,
  hooks: HookCache = new Map(),
): Promise<number> {
  if (!onlyStream) for (const e of events) await subscribedHooks(tx, e.type, hooks);
  const { statements, deliveries } = momentEventStatements(tx, events, at, onlyStream ? undefined : hooks);
  if (statements.length > 0) await tx.batch(statements);
  return deliveries;
}

/**
 * The statements emitMomentEvents runs, for a caller that batches them with the rest of its write:
 * `hooks` must already hold every event type's subscribers (undefined: the live stream only).
 */
export function momentEventStatements(
  tx: Transaction,
  events: MomentEvent[],
  at: number,
  hooks: HookCache | undefined,
): { statements: InStatement[]; deliveries: number } {
  const rows: SqlValue[][] = new Array(events.length);
  for (let i = 0; i < events.length; i++)
    rows[i] = [String(events[i].payload.id), events[i].type, JSON.stringify(events[i].payload), at];
  const statements = insertStatements(tx, "moment_events", ["moment_id", "type", "payload", "created_at"], rows);
  if (!hooks) return { statements, deliveries: 0 };
  const deliveries: Delivery[] = [];
  for (const e of events) {
    const ids = hooks.get(e.type);
    if (!ids) throw new Error(`subscribers of ${e.type} were not read`);
    for (const hookId of ids) deliveries.push({ hookId, type: e.type, data: e.payload });
  }
  for (const st of deliveryStatements(tx, deliveries, at)) statements.push(st);
  return { statements, deliveries: deliveries.length };
}

/** A moment's fields as a row names them (snake_case) or as Drizzle and the scorer do (camelCase). */
interface MomentFields {
  id: unknown;
  status: unknown;
  severity: unknown;
  risk: unknown;
  reasons: unknown;
  customer_id?: unknown;
  customerId?: unknown;
  trigger_id?: unknown;
  triggerId?: unknown;
}

/** What a moment event carries: the moment as webhooks and the stream show it. */
export const momentPayload = (r: MomentFields) => ({
  id: r.id,
  customerId: r.customer_id ?? r.customerId,
  status: r.status,
  severity: r.severity,
  risk: r.risk,
  reasons: typeof r.reasons === "string" ? JSON.parse(r.reasons) : r.reasons,
  triggerId: r.trigger_id ?? r.triggerId,
});

/**
 * open → acknowledged → resolved, with who and when; answers the moment as it is now. A closed moment
 * (quiet) may still be resolved, to record how it ended; it is not acknowledged: a new signal re-opens it.
 */
export async function transitionMoment(db: Db, id: string, to: "acknowledged" | "resolved", actor: Person, now: Date) {
  const at = now.getTime();
  await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [m] = await orm.select().from(moments).where(eq(moments.id, id));
    if (!m || m.mergedInto) throw notFound(`No moment ${id}.`);
    if (m.status === "resolved") throw conflict(`Moment ${id} is already resolved.`);
    if (to === "acknowledged" && m.status === "closed")
      throw conflict(`Moment ${id} was closed after a quiet period; it re-opens when a new signal arrives.`);
    if (to === "acknowledged" && m.status === "acknowledged") return;
    const change =
      to === "acknowledged"
        ? { status: to, acknowledgedBy: actor.id, acknowledgedByName: actor.name, acknowledgedAt: now }
        : { status: to, resolvedBy: actor.id, resolvedByName: actor.name, resolvedAt: now };
    await orm
      .update(moments)
      .set({ ...change, updatedAt: now })
      .where(eq(moments.id, id));
    const payload = { ...momentPayload(m), status: to, by: actor.id, byName: actor.name, at: now.toISOString() };
    await emitMomentEvent(tx, to === "resolved" ? "moment.resolved" : "moment.acknowledged", payload, at);
  });
  return getMoment(db, id);
}
