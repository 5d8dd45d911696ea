import { agentReport } from "../../services/people/agent-report.js";
import { createRouter } from "../openapi.js";
import { report } from "./routes.js";

export const DEFAULT_AGENTS_WINDOW_MS = 30 * 86_400_000;

export const agentsRoutes = createRouter().openapi(report, async (c) => {
  const q = c.req.valid("query");
  const { db, clock, ackTargets } = c.var.deps;
  const to =
    q.to ?? (q.from ? new Date(Math.min(q.from.getTime() + DEFAULT_AGENTS_WINDOW_MS, clock().getTime())) : clock());
  const from = q.from ?? new Date(to.getTime() - DEFAULT_AGENTS_WINDOW_MS);
  return c.json(await agentReport(db, ackTargets, { from, to }), 200);
});
