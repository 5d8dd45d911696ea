import { raw } from "hono/html";
import type { Dashboard } from "../../services/dashboard.js";
import { languageList, type NotAnalysedCounts } from "../../services/language-counts.js";
import { channelLabel, signed } from "../format.js";
import { WindowFields } from "../components.js";
import { Layout, type LayoutProps } from "../layout.js";
import { dashboardLinks, type DashboardLinks } from "../drill-down.js";

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
  const links = dashboardLinks(p.data, p.from, p.to, p.channels);
  return (
    <Layout
      {...p.shell}
      title="Dashboard"
      section="dashboard"
      scripts={["chart.umd.min.js", "charts.js", "dashboard.js"]}
    >
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
          <a href={links.all} id="total-interactions">
            <strong>{t.interactions}</strong> interactions
          </a>
        </li>
        <li>
          <a href={links.flagged} id="total-flagged">
            <strong>{t.flagged}</strong> flagged
          </a>
        </li>
        <li>
          <a href={links.allMoments} id="total-moments">
            <strong>{t.moments}</strong> moments
          </a>
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
            <ChartTable id={c.id} data={p.data} links={links} />
          </figure>
        ))}
      </div>
      <script type="application/json" id="dashboard-data">
        {raw(safeJson({ ...p.data, links }))}
      </script>
    </Layout>
  );
}

/**
 * Each chart's numbers as a table, every count a link to the interactions (or moments) behind it: the chart's
 * keyboard and screen-reader way in (a canvas is neither).
 */
function ChartTable(p: { id: (typeof CHARTS)[number]["id"]; data: Dashboard; links: DashboardLinks }) {
  const d = p.data;
  const table = (() => {
    switch (p.id) {
      case "chart-sentiment":
        return (
          <table>
            <thead>
              <tr>
                <th scope="col">{d.bucket}</th>
                {d.sentimentByChannel.map((s) => (
                  <th scope="col">{channelLabel[s.channel] ?? s.channel}: average (interactions)</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.buckets.map((label, i) => (
                <tr>
                  <th scope="row">{label}</th>
                  {d.sentimentByChannel.map((s) => (
                    <td>
                      {s.volume[i] ? (
                        <a href={p.links.sentiment[s.channel][i]}>
                          {s.average[i] === null ? "—" : signed(s.average[i])} ({s.volume[i]})
                        </a>
                      ) : (
                        "—"
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      case "chart-topics":
        return (
          <table>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Interactions</th>
                <th scope="col">Average sentiment</th>
              </tr>
            </thead>
            <tbody>
              {d.topics.map((topic, i) => (
                <tr>
                  <th scope="row">{topic.label}</th>
                  <td>
                    <a href={p.links.topics[i]}>{topic.volume}</a>
                  </td>
                  <td>{topic.averageSentiment === null ? "—" : signed(topic.averageSentiment)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      case "chart-needs":
        return (
          <table>
            <thead>
              <tr>
                <th scope="col">Need</th>
                <th scope="col">Interactions</th>
              </tr>
            </thead>
            <tbody>
              {d.needs.map((need, i) => (
                <tr>
                  <th scope="row">{need.label}</th>
                  <td>
                    <a href={p.links.needs[i]}>{need.volume}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      case "chart-moments":
        return (
          <table>
            <thead>
              <tr>
                <th scope="col">{d.bucket}</th>
                {d.momentsBySeverity.map((s) => (
                  <th scope="col">{s.severity}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.buckets.map((label, i) => (
                <tr>
                  <th scope="row">{label}</th>
                  {d.momentsBySeverity.map((s) => (
                    <td>{s.counts[i] ? <a href={p.links.moments[s.severity][i]}>{s.counts[i]}</a> : "0"}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      case "chart-paths":
        return (
          <table>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Moments</th>
              </tr>
            </thead>
            <tbody>
              {d.pathsToMoments.map((path) => (
                <tr>
                  <th scope="row">{path.steps.join(" → ")}</th>
                  <td>{path.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
    }
  })();
  return (
    <details class="chart-table">
      <summary>The numbers as a table</summary>
      {table}
    </details>
  );
}
