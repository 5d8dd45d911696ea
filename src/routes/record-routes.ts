import type { Context } from "hono";
import { ApiError } from "../lib/problem.js";
import type { ItemResult } from "../services/ingest/ingest-service.js";

// The answers shared by the interaction and event ingest endpoints.

/** 201 with a Location for a new record, 200 with the original for a repeat. */
export function respondCreated(c: Context, base: string, r: Extract<ItemResult, { outcome: "created" | "existing" }>) {
  const body = { id: r.id, customerId: r.customerId, status: r.outcome };
  if (r.outcome === "existing") return c.json(body, 200);
  c.header("location", `${base}/${r.id}`);
  return c.json(body, 201);
}

/** Each item's result as its own status (and problem), in order, with the totals. */
export function respondBatch(c: Context, results: ItemResult[]) {
  let created = 0;
  let existing = 0;
  const answers = results.map((r) => {
    if (r.outcome === "invalid")
      return {
        index: r.index,
        status: 422 as const,
        problem: new ApiError("validation_failed", `Item ${r.index} is invalid.`, r.errors).toBody(),
      };
    if (r.outcome === "conflict")
      return {
        index: r.index,
        status: 409 as const,
        id: r.id,
        customerId: r.customerId,
        problem: new ApiError("conflict", r.detail, r.errors).toBody(),
      };
    if (r.outcome === "created") created++;
    else existing++;
    return {
      index: r.index,
      status: r.outcome === "created" ? (201 as const) : (200 as const),
      id: r.id,
      customerId: r.customerId,
    };
  });
  return c.json({ results: answers, created, existing, failed: results.length - created - existing }, 200);
}
