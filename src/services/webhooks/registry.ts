import { randomBytes } from "node:crypto";
import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { webhookDeliveries, webhooks, type webhookEventTypes, type webhookFormats } from "../../db/schema/index.js";
import { conflict, invalid, notFound } from "../../lib/domain-error.js";
import { newId } from "../../lib/ids.js";
import { assertSafeWebhookUrl, UnsafeWebhookUrl, type TargetOptions } from "./ssrf.js";

type EventType = (typeof webhookEventTypes)[number];
export type DeliveryStatus = (typeof webhookDeliveries.status.enumValues)[number];

/**
 * Registers an endpoint for the given events, with a new signing secret (answered once, never again).
 * A URL that resolves to a private, loopback or link-local address is refused unless `allowPrivate`
 * (`resolve` looks the host up).
 */
export async function registerWebhook(
  db: Db,
  input: { url: string; events: EventType[]; format?: (typeof webhookFormats)[number] },
  opts: TargetOptions & { at: Date; maxActive: number },
) {
  try {
    await assertSafeWebhookUrl(input.url, opts);
  } catch (e) {
    if (e instanceof UnsafeWebhookUrl)
      throw invalid(`The URL ${e.message}.`, [{ field: "url", pointer: "/url", message: e.message }]);
    throw e;
  }
  const id = newId("whk");
  const format = input.format ?? "standard";
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  // Every active webhook gets a copy of every event it subscribes to, in the ingest transaction that
  // makes it: the count bounds what one record costs. Counted under the write lock, with the insert.
  await db.write(async ({ orm }) => {
    const [{ n }] = await orm.select({ n: count() }).from(webhooks).where(isNull(webhooks.disabledAt));
    if (n >= opts.maxActive)
      throw conflict(`${n} webhooks are active, the most this deployment allows (WEBHOOKS_MAX); disable one first.`);
    await orm
      .insert(webhooks)
      .values({ id, url: input.url, events: [...new Set(input.events)], format, secret, createdAt: opts.at });
  });
  return { id, url: input.url, events: input.events, format, secret };
}

/** Every registered webhook, oldest first, without its secret. */
export async function listWebhooks(db: Db) {
  const rows = await db
    .select({
      id: webhooks.id,
      url: webhooks.url,
      events: webhooks.events,
      format: webhooks.format,
      createdAt: webhooks.createdAt,
      disabledAt: webhooks.disabledAt,
    })
    .from(webhooks)
    .orderBy(webhooks.createdAt);
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: r.events,
    format: r.format,
    createdAt: r.createdAt.toISOString(),
    disabled: r.disabledAt !== null,
  }));
}

/** Stops deliveries to a webhook; it stays listed, disabled. */
export async function disableWebhook(db: Db, id: string, at: Date) {
  const r = await db.write(({ orm }) =>
    orm
      .update(webhooks)
      .set({ disabledAt: at })
      .where(and(eq(webhooks.id, id), isNull(webhooks.disabledAt))),
  );
  if (r.rowsAffected === 0) throw notFound(`No active webhook ${id}.`);
}

/** A webhook's latest 200 deliveries, newest first (the webhook_deliveries_webhook_idx index). */
export async function listDeliveries(db: Db, webhookId: string, status?: DeliveryStatus) {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), status ? eq(webhookDeliveries.status, status) : undefined))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(200);
  return rows.map((r) => ({
    id: r.id,
    eventType: r.eventType,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    nextAttemptAt: r.status === "pending" ? r.nextAttemptAt.toISOString() : null,
  }));
}
