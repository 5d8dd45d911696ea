import { addTeamMember, listTeams, removeTeamMember } from "../../services/teams.js";
import { createRouter } from "../openapi.js";
import { addMember, list, removeMember } from "./routes.js";

export const teamRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listTeams(c.var.deps.db), 200))
  .openapi(addMember, async (c) => {
    const { team, personId } = c.req.valid("param");
    const { db, clock } = c.var.deps;
    return c.json(await addTeamMember(db, team, { id: personId, name: c.req.valid("json").name }, clock()), 200);
  })
  .openapi(removeMember, async (c) => {
    const { team, personId } = c.req.valid("param");
    await removeTeamMember(c.var.deps.db, team, personId);
    return c.body(null, 204);
  });
