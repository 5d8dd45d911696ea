import { languageList, notAnalysedCounts } from "../../services/language-counts.js";
import { createRouter } from "../openapi.js";
import { notAnalysed } from "./routes.js";

/** Default window when none is given: the 24 hours before now. */
const DEFAULT_WINDOW_MS = 86_400_000;

export const languageRoutes = createRouter().openapi(notAnalysed, async (c) => {
  const q = c.req.valid("query");
  const to = q.to ?? (q.from ? new Date(q.from.getTime() + DEFAULT_WINDOW_MS) : c.var.deps.clock());
  const from = q.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
  const counts = await notAnalysedCounts(c.var.deps.db, { from, to, channels: q.channel });
  const summary = `${counts.total} contacts in languages Earshot does not analyse${counts.total ? `: ${languageList(counts)}` : ""}`;
  return c.json({ from: from.toISOString(), to: to.toISOString(), ...counts, summary }, 200);
});
