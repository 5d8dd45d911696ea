import { qualityReport } from "../../services/verdicts/quality.js";
import { createRouter } from "../openapi.js";
import { report } from "./routes.js";

export const DEFAULT_QUALITY_WINDOW_MS = 90 * 86_400_000;

export const qualityRoutes = createRouter().openapi(report, async (c) => {
  const q = c.req.valid("query");
  const { db, clock, flagThresholds } = c.var.deps;
  const to =
    q.to ?? (q.from ? new Date(Math.min(q.from.getTime() + DEFAULT_QUALITY_WINDOW_MS, clock().getTime())) : clock());
  const from = q.from ?? new Date(to.getTime() - DEFAULT_QUALITY_WINDOW_MS);
  return c.json(await qualityReport(db, { from, to }, flagThresholds()), 200);
});
