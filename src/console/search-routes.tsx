import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { CountryCode } from "libphonenumber-js";
import { agentSearch } from "../services/agent-search.js";
import { HOUR, pageWindow, shell } from "./page-context.js";
import { SearchPage } from "./pages/search.js";
import { searchFiltersOf } from "./search-filters.js";
import { permit } from "./session.js";

/** The console's home: search over customers and interactions in a window, with the dashboard's drill-down filters. */
export const searchRoutes = new Hono<AppEnv>().get("/", permit("view"), async (c) => {
  const { window: w, refused } = await pageWindow(c, HOUR);
  if (refused) return refused;
  const q = (c.req.query("q") ?? "").slice(0, 200);
  const { db, config } = c.var.deps;
  const filters = searchFiltersOf(c);
  const result = await agentSearch(
    db,
    { from: w.from, to: w.to, q, filters, limit: 50 },
    config.PHONE_DEFAULT_REGION as CountryCode,
  );
  return c.html(
    <SearchPage
      shell={await shell(c)}
      from={w.from}
      to={w.to}
      q={q}
      filters={filters}
      canExport={c.var.principal.permissions.has("export")}
      result={result}
      notice={w.note}
    />,
  );
});
