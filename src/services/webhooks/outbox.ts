import type { InStatement, ResultSet, Transaction } from "@libsql/client";
import { insertStatements, type SqlValue } from "../../db/insert-values.js";
import { newId } from "../../lib/ids.js";

/** Webhooks subscribed to each event type, looked up once per transaction rather than once per event. */
export type HookCache = Map<string, string[]>;

/** The statement that reads the enabled webhooks subscribed to `type` (answered by hookIdsOf). */
export const subscribedHooksStatement = (type: string): InStatement => ({
  sql: "SELECT id FROM webhooks WHERE disabled_at IS NULL AND EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE value = ?)",
  args: [type],
});

export const hookIdsOf = (rs: ResultSet): string[] => rs.rows.map((r) => String(r.id));

/** Ids of the enabled webhooks subscribed to `type`, cached in `cache` for the transaction. */
export async function subscribedHooks(tx: Transaction, type: string, cache: HookCache = new Map()): Promise<string[]> {
  let ids = cache.get(type);
  if (!ids) cache.set(type, (ids = hookIdsOf(await tx.execute(subscribedHooksStatement(type)))));
  return ids;
}

/**
 * Writes deliveries of events to the outbox, in the caller's transaction (so they commit, or not,
 * with what caused them). Every delivery carries the Standard Webhooks body `{type, timestamp, data}`.
 */
export async function queueDeliveries(tx: Transaction, deliveries: Delivery[], at: number): Promise<number> {
  if (deliveries.length > 0) await tx.batch(deliveryStatements(tx, deliveries, at));
  return deliveries.length;
}

export interface Delivery {
  hookId: string;
  type: string;
  data: Record<string, unknown>;
}

/** The statements queueDeliveries runs, for a caller that batches them with the rest of its write. */
const DELIVERY_COLUMNS = [
  "id",
  "webhook_id",
  "event_type",
  "payload",
  "status",
  "attempts",
  "next_attempt_at",
  "created_at",
];

export function deliveryStatements(tx: Transaction, deliveries: Delivery[], at: number): InStatement[] {
  const timestamp = new Date(at).toISOString();
  const rows: SqlValue[][] = new Array(deliveries.length);
  for (let i = 0; i < deliveries.length; i++) {
    const d = deliveries[i];
    rows[i] = [
      newId("msg", at),
      d.hookId,
      d.type,
      JSON.stringify({ type: d.type, timestamp, data: d.data }),
      "pending",
      0,
      at,
      at,
    ];
  }
  return insertStatements(tx, "webhook_deliveries", DELIVERY_COLUMNS, rows);
}
