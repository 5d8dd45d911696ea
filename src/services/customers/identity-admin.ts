import type { Transaction } from "@libsql/client";
import { actorNames } from "../people/actor-names.js";
import type { CountryCode } from "libphonenumber-js";
import { eq } from "drizzle-orm";
import { writeTransaction, type Db } from "../../db/client.js";
import { rowsAs } from "../../db/raw-rows.js";
import { identityEvents } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { IdentifierInput } from "../../contracts/identity.js";
import { conflict, invalid, notFound } from "../../lib/domain-error.js";
import { audit, mergeCustomers, unmerge } from "../identity/merge.js";
import { settleByMerge } from "../identity/conflicts.js";
import {
  normaliseAccountNumber,
  normaliseEmail,
  normaliseHandle,
  normalisePhone,
  IdentifierError,
  type Identifier,
} from "../identity/normalise.js";
import type { IdentityRules } from "../identity/rules.js";

export function normaliseIdentifier(i: IdentifierInput, phoneRegion: CountryCode, field: string): Identifier {
  try {
    switch (i.kind) {
      case "email":
        return { kind: i.kind, value: normaliseEmail(i.value) };
      case "phone":
        return { kind: i.kind, value: normalisePhone(i.value, phoneRegion) };
      case "handle": {
        const [platform, handle] = i.platform ? [i.platform, i.value] : i.value.split(":", 2);
        if (!handle)
          throw new IdentifierError(
            "value",
            'a handle needs a platform: {"platform":"twitter","value":"@name"} or "twitter:@name"',
          );
        return { kind: i.kind, value: normaliseHandle(platform, handle) };
      }
      case "account_number":
        return { kind: i.kind, value: normaliseAccountNumber(i.value) };
      default:
        return { kind: i.kind, value: i.value.trim() };
    }
  } catch (e) {
    if (e instanceof IdentifierError)
      throw invalid(e.message, [{ field, pointer: `/${field.replace(/\./g, "/")}`, message: e.message }]);
    throw e;
  }
}

/** Runs admin identity work in one write transaction, after checking the customer is live. */
async function inTransaction<T>(db: Db, customerId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return writeTransaction(db, async (tx) => {
    const [c] = rowsAs<{ merged_into: string | null }>(
      await tx.execute({ sql: "SELECT merged_into FROM customers WHERE id = ?", args: [customerId] }),
    );
    if (!c) throw notFound(`No customer ${customerId}.`);
    if (c.merged_into)
      throw conflict(`Customer ${customerId} is merged into ${c.merged_into}; act on that customer or unmerge first.`);
    return work(tx);
  });
}

export async function unmergeCustomer(
  db: Db,
  customerId: string,
  mergeId: string | undefined,
  actor: string,
  at: Date,
) {
  return inTransaction(db, customerId, async (tx) => {
    return unmerge(tx, customerId, mergeId, actor, at.getTime());
  });
}

/** Attaches an identifier by hand; one that belongs to another customer is a conflict (merge instead). */
export async function linkIdentifier(
  db: Db,
  customerId: string,
  id: Identifier,
  rules: IdentityRules,
  actor: string,
  at: Date,
) {
  if (rules.isBlocked(id))
    throw invalid("This value is a placeholder or shared identifier and is never linked.", [
      { field: "value", pointer: "/value", message: "is blocked by the identity rules" },
    ]);
  return inTransaction(db, customerId, async (tx) => {
    const [owner] = rowsAs<{ customer_id: string }>(
      await tx.execute({
        sql: "SELECT customer_id FROM identities WHERE kind = ? AND value = ?",
        args: [id.kind, id.value],
      }),
    );
    if (owner && owner.customer_id === customerId) return { linked: false, identifier: id };
    if (owner)
      throw conflict(`That identifier belongs to customer ${owner.customer_id}; merge the two customers instead.`);
    const [{ n }] = rowsAs<{ n: number }>(
      await tx.execute({
        sql: "SELECT count(*) AS n FROM identities WHERE customer_id = ? AND kind = ?",
        args: [customerId, id.kind],
      }),
    );
    if (n >= rules.maxPerKind[id.kind])
      throw conflict(`The customer already has ${n} identifiers of kind ${id.kind} (the most allowed).`);
    await tx.execute({
      sql: "INSERT INTO identities (id, customer_id, kind, value, created_at) VALUES (?, ?, ?, ?, ?)",
      args: [newId("idn"), customerId, id.kind, id.value, at.getTime()],
    });
    await audit(tx, {
      customerId,
      action: "link",
      rule: "manual",
      details: { identifier: id },
      actor,
      at: at.getTime(),
    });
    return { linked: true, identifier: id };
  });
}

/** Merges `otherId` into `customerId` by hand; the named customer survives. */
export async function mergeManually(db: Db, customerId: string, otherId: string, actor: string, at: Date) {
  if (otherId === customerId)
    throw invalid("A customer cannot be merged into itself.", [
      { field: "customerId", pointer: "/customerId", message: "is the same customer" },
    ]);
  return inTransaction(db, customerId, async (tx) => {
    const [other] = rowsAs<{ merged_into: string | null }>(
      await tx.execute({ sql: "SELECT merged_into FROM customers WHERE id = ?", args: [otherId] }),
    );
    if (!other) throw notFound(`No customer ${otherId}.`);
    if (other.merged_into) throw conflict(`Customer ${otherId} is already merged into ${other.merged_into}.`);
    const mergeId = await mergeCustomers(tx, {
      survivorId: customerId,
      mergedId: otherId,
      rule: "manual",
      evidence: { requestedBy: actor },
      actor,
      at: at.getTime(),
    });
    await settleByMerge(tx, customerId, otherId, actor, at.getTime());
    return { mergeId, survivor: customerId, merged: otherId };
  });
}

/** Splits identifiers and records off into a new customer (a wrong merge or a shared account). */
export async function splitCustomer(
  db: Db,
  customerId: string,
  part: { identifiers: Identifier[]; interactions: string[]; events: string[]; displayName?: string },
  actor: string,
  at: Date,
) {
  return inTransaction(db, customerId, async (tx) => {
    const t = at.getTime();
    const newCustomer = newId("cus");
    await tx.execute({
      sql: "INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
      args: [newCustomer, part.displayName ?? null, t, t],
    });
    const moved = { identities: 0, interactions: 0, events: 0 };
    for (const id of part.identifiers) {
      const r = await tx.execute({
        sql: "UPDATE identities SET customer_id = ? WHERE customer_id = ? AND kind = ? AND value = ?",
        args: [newCustomer, customerId, id.kind, id.value],
      });
      if (r.rowsAffected === 0)
        throw invalid(`Customer ${customerId} has no ${id.kind} ${id.value}.`, [
          { field: "identifiers", pointer: "/identifiers", message: `${id.kind} ${id.value} is not this customer's` },
        ]);
      moved.identities++;
    }
    for (const [table, list, key] of [
      ["interactions", part.interactions, "interactions"],
      ["journey_events", part.events, "events"],
    ] as const) {
      for (const recordId of list) {
        const r = await tx.execute({
          sql: `UPDATE ${table} SET customer_id = ? WHERE id = ? AND customer_id = ?`,
          args: [newCustomer, recordId, customerId],
        });
        if (r.rowsAffected === 0)
          throw invalid(`Customer ${customerId} has no ${key.slice(0, -1)} ${recordId}.`, [
            { field: key, pointer: `/${key}`, message: `${recordId} is not this customer's` },
          ]);
        moved[key]++;
      }
    }
    const details = { from: customerId, to: newCustomer, identifiers: part.identifiers, moved };
    await audit(tx, { customerId, action: "split", rule: "manual", details, actor, at: t });
    await audit(tx, { customerId: newCustomer, action: "split_from", rule: "manual", details, actor, at: t });
    return { customerId: newCustomer, moved };
  });
}

export async function identityHistory(db: Db, customerId: string) {
  const rows = await db
    .select({
      id: identityEvents.id,
      action: identityEvents.action,
      rule: identityEvents.rule,
      details: identityEvents.details,
      mergeId: identityEvents.mergeId,
      actor: identityEvents.actor,
      at: identityEvents.createdAt,
    })
    .from(identityEvents)
    .where(eq(identityEvents.customerId, customerId))
    .orderBy(identityEvents.createdAt, identityEvents.id);
  const names = await actorNames(
    db,
    rows.map((r) => r.actor),
  );
  return rows.map((r) => ({ ...r, actorName: names.get(r.actor) ?? r.actor, at: r.at.toISOString() }));
}
