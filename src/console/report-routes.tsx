import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { notAnalysedCounts } from "../services/language-counts.js";
import { agentReport } from "../services/people/agent-report.js";
import { qualityReport } from "../services/verdicts/quality.js";
import { channelsFrom, DAY, pageWindow, shell } from "./page-context.js";
import { AgentsPage } from "./pages/agents.js";
import { DashboardPage } from "./pages/dashboard.js";
import { QualityPage } from "./pages/quality.js";
import { permit } from "./session.js";

const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** The pages of charts over a window: the dashboard, quality from verdicts, and agents. */
export const reportRoutes = new Hono<AppEnv>()
  .get("/dashboard", permit("view"), async (c) => {
    const { window: w, refused } = await pageWindow(c, 30 * DAY);
    if (refused) return refused;
    const channels = channelsFrom(c);
    const data = await c.var.deps.dashboards.run({ from: w.from, to: w.to, channels });
    // Today (UTC) whatever the window: what the team should read or route today.
    const now = c.var.deps.clock();
    const today = await notAnalysedCounts(c.var.deps.db, { from: startOfUtcDay(now), to: now, channels });
    return c.html(
      <DashboardPage
        shell={await shell(c)}
        from={w.from}
        to={w.to}
        channels={channels}
        data={data}
        notAnalysedToday={today}
        notice={w.note}
      />,
    );
  })
  .get("/quality", permit("review"), async (c) => {
    const { window: w, refused } = await pageWindow(c, 90 * DAY);
    if (refused) return refused;
    const data = await qualityReport(c.var.deps.db, { from: w.from, to: w.to }, c.var.deps.flagThresholds());
    return c.html(<QualityPage shell={await shell(c)} from={w.from} to={w.to} data={data} notice={w.note} />);
  })
  .get("/agents", permit("review"), async (c) => {
    const { window: w, refused } = await pageWindow(c, 30 * DAY);
    if (refused) return refused;
    const data = await agentReport(c.var.deps.db, c.var.deps.ackTargets, { from: w.from, to: w.to });
    return c.html(<AgentsPage shell={await shell(c)} from={w.from} to={w.to} data={data} notice={w.note} />);
  });
