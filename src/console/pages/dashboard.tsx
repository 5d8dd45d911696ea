import { raw } from "hono/html";
import type { Dashboard } from "../../services/dashboard.js";
import { languageList, type NotAnalysedCounts } from "../../services/language-counts.js";
import { channelLabel, signed } from "../format.js";
import { WindowFields } from "../components.js";
import { Layout, type LayoutProps } from "../layout.js";

const CHARTS = [
  { id: "chart-sentiment", title: "Sentiment over time by channel" },
  { id: "chart-topics", title: "Volume and sentiment by topic" },
  { id: "chart-needs", title: "Top customer needs" },
  { id: "chart-moments", title: "Moments by severity" },
  { id: "chart-paths", title: "Most common paths into a flagged moment" },
] as const;

/** JSON inside a script element must not be able to close it. */
const safeJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

export function DashboardPage(p: {
  shell: Omit<LayoutProps, "children" | "title" | "scripts">;
  from: Date;
  to: Date;
  channels: string[];
  data: Dashboard;
  /** Since midnight UTC, whatever the window. */
  notAnalysedToday: NotAnalysedCounts;
  notice?: string;
}) {
  const today = p.notAnalysedToday;
  const t = p.data.totals;
  return (
    <Layout {...p.shell} title="Dashboard" section="dashboard" scripts={["chart.umd.min.js", "dashboard.js"]}>
      <h1>Dashboard</h1>
      {p.notice && (
        <p class="notice" role="status" id="window-note">
          {p.notice}
        </p>
      )}
      <form method="get" action="/console/dashboard" class="filters" aria-label="Dashboard filters">
        <WindowFields idPrefix="d-" from={p.from} to={p.to} />
        <fieldset>
          <legend>Channels</legend>
          {Object.entries(channelLabel).map(([id, label]) => (
            <label class="check">
              <input type="checkbox" name="channel" value={id} checked={p.channels.includes(id)} /> {label}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary">
          Apply
        </button>
      </form>
      <ul class="totals" aria-label="Totals">
        <li>
          <strong>{t.interactions}</strong> interactions
        </li>
        <li>
          <strong>{t.flagged}</strong> flagged
        </li>
        <li>
          <strong>{t.moments}</strong> moments
        </li>
        <li id="not-analysed">
          <strong>{p.data.notAnalysed.total}</strong> {p.data.notAnalysed.total === 1 ? "contact" : "contacts"} in
          languages we do not analyse
          {p.data.notAnalysed.total > 0 && `: ${languageList(p.data.notAnalysed)}`}
        </li>
        <li id="not-analysed-today">
          <strong>{today.total}</strong> {today.total === 1 ? "contact" : "contacts"} today in languages we do not
          analyse
          {today.total > 0 && `: ${languageList(today)}`}
        </li>
        <li>
          average sentiment <strong>{t.averageSentiment === null ? "—" : signed(t.averageSentiment)}</strong>
        </li>
      </ul>
      {p.data.versions.length > 1 ? (
        <p class="notice" role="status" id="dashboard-versions">
          These charts mix analysis versions:{" "}
          {p.data.versions.map((v) => `${v.version ?? "none"} (${v.interactions} interactions)`).join(", ")}. Re-analyse
          the window (earshot reanalyze) to read them all in the current one.
        </p>
      ) : (
        <p class="small muted" id="dashboard-versions">
          Analysis version {p.data.versions[0]?.version ?? "none"}.
        </p>
      )}
      <div class="charts">
        {CHARTS.map((c) => (
          <figure class="card chart" id={c.id}>
            <figcaption>{c.title}</figcaption>
            <div class="canvas-box">
              <canvas role="img" aria-label={c.title}></canvas>
            </div>
          </figure>
        ))}
      </div>
      <script type="application/json" id="dashboard-data">
        {raw(safeJson(p.data))}
      </script>
    </Layout>
  );
}
