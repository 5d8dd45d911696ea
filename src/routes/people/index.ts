import { decodeCursor } from "../../lib/cursor.js";
import { listAudit } from "../../services/people/audit.js";
import { actorOf } from "../../services/people/principal.js";
import { createUser, getUser, listUsers, updateUser, userView } from "../../services/people/users.js";
import { createRouter } from "../openapi.js";
import { auditLogRoute, create, disable, getOne, list, me, update } from "./routes.js";

export const peopleRoutes = createRouter()
  .openapi(me, (c) => {
    const p = c.var.principal;
    const permissions = [...p.permissions];
    return c.json(
      p.kind === "person"
        ? { kind: "person" as const, id: p.id, name: p.name, role: p.role, permissions }
        : { kind: "key" as const, id: p.id, name: p.name, scopes: p.scopes, permissions },
      200,
    );
  })
  .openapi(list, async (c) => c.json({ items: await listUsers(c.var.deps.db) }, 200))
  .openapi(create, async (c) => {
    const { db, passwords, clock } = c.var.deps;
    return c.json(await createUser(db, passwords, c.req.valid("json"), actorOf(c.var.principal), clock()), 201);
  })
  .openapi(getOne, async (c) => c.json(userView(await getUser(c.var.deps.db, c.req.valid("param").id)), 200))
  .openapi(update, async (c) => {
    const { db, passwords, clock } = c.var.deps;
    const { id } = c.req.valid("param");
    return c.json(await updateUser(db, passwords, id, c.req.valid("json"), actorOf(c.var.principal), clock()), 200);
  })
  .openapi(disable, async (c) => {
    const { db, passwords, clock } = c.var.deps;
    const { id } = c.req.valid("param");
    return c.json(await updateUser(db, passwords, id, { disabled: true }, actorOf(c.var.principal), clock()), 200);
  })
  .openapi(auditLogRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listAudit(c.var.deps.db, { ...q, cursor: decodeCursor(q.cursor) }), 200);
  });
