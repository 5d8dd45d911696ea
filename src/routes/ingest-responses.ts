import type { Context } from "hono";
import type { ItemResult } from "../services/ingest/ingest-service.js";

/** 201 with a Location for a new record, 200 with the original for a repeat. */
export function respondCreated(c: Context, base: string, r: ItemResult) {
  const body = { id: r.id!, customerId: r.customerId!, status: r.status === 201 ? "created" : "existing" };
  if (r.status === 201) c.header("location", `${base}/${r.id}`);
  return c.json(body, r.status === 201 ? 201 : 200);
}

export function respondBatch(c: Context, results: ItemResult[]) {
  const count = (s: number) => results.filter((r) => r.status === s).length;
  return c.json({ results, created: count(201), existing: count(200), failed: count(422) }, 200);
}
