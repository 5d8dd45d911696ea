import type { Transaction } from "@libsql/client";
import { newId } from "../../lib/ids.js";

/** Webhooks subscribed to each event type, looked up once per transaction rather than once per event. */
export type HookCache = Map<string, string[]>;

/** Ids of the enabled webhooks subscribed to `type`, cached in `cache` for the transaction. */
export async function subscribedHooks(tx: Transaction, type: string, cache: HookCache = new Map()): Promise<string[]> {
  let ids = cache.get(type);
  if (!ids) {
    const rows = (
      await tx.execute({
        sql: "SELECT id FROM webhooks WHERE disabled_at IS NULL AND EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE value = ?)",
        args: [type],
      })
    ).rows;
    cache.set(type, (ids = rows.map((r) => String(r.id))));
  }
  return ids;
}

/**
 * Writes deliveries of events to the outbox, in the caller's transaction (so they commit, or not,
 * with what caused them). Every delivery carries the Standard Webhooks body `{type, timestamp, data}`.
 */
export async function queueDeliveries(
  tx: Transaction,
  deliveries: Array<{ hookId: string; type: string; data: Record<string, unknown> }>,
  at: number,
): Promise<number> {
  const timestamp = new Date(at).toISOString();
  for (let i = 0; i < deliveries.length; i += 100) {
    const part = deliveries.slice(i, i + 100);
    await tx.execute({
      sql: `INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, status, attempts, next_attempt_at, created_at) VALUES ${part.map(() => "(?, ?, ?, ?, 'pending', 0, ?, ?)").join(",")}`,
      args: part.flatMap((d) => [
        newId("msg", at),
        d.hookId,
        d.type,
        JSON.stringify({ type: d.type, timestamp, data: d.data }),
        at,
        at,
      ]),
    });
  }
  return deliveries.length;
}
