import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { ApiError } from "../../lib/problem.js";
import { requireScope } from "../../middleware/auth.js";
import { getMoment, momentView } from "../../services/moments/moment-service.js";
import { streamMomentEvents } from "./stream.js";
import { csv, parseQuery, queryInstant, queryLimit, windowRule } from "../query.js";

const listQuery = z.object({
  status: csv(z.enum(["open", "acknowledged", "resolved"], "must be open, acknowledged or resolved")).optional(),
  severity: csv(z.enum(["low", "medium", "high", "critical"], "must be low, medium, high or critical")).optional(),
  customerId: z.string().max(100).optional(),
  from: queryInstant.optional(),
  to: queryInstant.optional(),
  cursor: z.string().max(500).optional(),
  limit: queryLimit(200, 50),
}).superRefine(windowRule());

type Row = Record<string, string | number | null>;

export const momentRoutes = new Hono<AppEnv>()
  .get("/", requireScope("read"), async (c) => {
    const q = parseQuery(listQuery, c.req.query());
    const cursor = decodeCursor(q.cursor);
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.status?.length) where.push(`status IN (${q.status.map(() => "?").join(",")})`), args.push(...q.status);
    if (q.severity?.length) where.push(`severity IN (${q.severity.map(() => "?").join(",")})`), args.push(...q.severity);
    if (q.customerId) where.push("customer_id = ?"), args.push(q.customerId);
    if (q.from) where.push("created_at >= ?"), args.push(q.from.getTime());
    if (q.to) where.push("created_at < ?"), args.push(q.to.getTime());
    if (cursor) where.push("(created_at < ? OR (created_at = ? AND id < ?))"), args.push(cursor.t, cursor.t, cursor.id);
    const rows = (await c.var.deps.db.$client.execute({
      sql: `SELECT * FROM moments ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT ?`,
      args: [...args, q.limit + 1],
    })).rows as unknown as Row[];
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return c.json({ items: page.map(momentView), nextCursor: rows.length > q.limit && last ? encodeCursor({ t: Number(last.created_at), id: String(last.id) }) : null });
  })
  .get("/stream", requireScope("read"), (c) => streamMomentEvents(c))
  .get("/:id", requireScope("read"), async (c) => {
    const m = await getMoment(c.var.deps.db, c.req.param("id"));
    if (!m) throw new ApiError("not_found", `No moment ${c.req.param("id")}.`);
    return c.json(m);
  })
  .post("/:id/ack", requireScope("read"), async (c) => c.json(await c.var.deps.moments.transition(c.req.param("id"), "acknowledged", `key:${c.var.principal.id}`)))
  .post("/:id/resolve", requireScope("read"), async (c) => {
    const result = await c.var.deps.moments.transition(c.req.param("id"), "resolved", `key:${c.var.principal.id}`);
    c.var.deps.deliveries?.nudge();
    return c.json(result);
  });

export const momentOperations: Operation[] = [
  { method: "get", path: "/v1/moments", summary: "Complaint-risk moments, newest first", description: "Filters: status, severity (comma-separated), customerId, from/to (created; between 1970 and 2100), cursor, limit.", tags: ["moments"], scope: "read", query: listQuery, responses: { 200: { description: "A page of moments with reasons linked to their interactions and events" } } },
  { method: "get", path: "/v1/moments/stream", summary: "Live moments as Server-Sent Events (moment.flagged, moment.escalated, moment.acknowledged, moment.resolved); resumes after Last-Event-ID", tags: ["moments"], scope: "read", responses: { 200: { description: "text/event-stream" } } },
  { method: "get", path: "/v1/moments/{id}", summary: "One moment", tags: ["moments"], scope: "read", responses: { 200: { description: "The moment" }, 404: { description: "Unknown" } } },
  { method: "post", path: "/v1/moments/{id}/ack", summary: "Acknowledge a moment (records who and when)", tags: ["moments"], scope: "read", responses: { 200: { description: "The moment" }, 409: { description: "Already resolved" } } },
  { method: "post", path: "/v1/moments/{id}/resolve", summary: "Resolve a moment (records who and when)", tags: ["moments"], scope: "read", responses: { 200: { description: "The moment" }, 409: { description: "Already resolved" } } },
];
