import type { Dashboard } from "../../services/dashboard.js";
import { languageList, type NotAnalysedCounts } from "../../services/language-counts.js";
import { channelLabel, signed } from "../format.js";
import { ChartData, ChartSection, NumbersTable, type ChartPageProps } from "../chart-section.js";
import { WindowForm, WindowNote } from "../components.js";
import { Layout } from "../layout.js";
import { dashboardLinks, type DashboardLinks } from "../drill-down.js";

const CHARTS = [
  { id: "chart-sentiment", title: "Sentiment over time by channel" },
  { id: "chart-topics", title: "Volume and sentiment by topic" },
  { id: "chart-needs", title: "Top customer needs" },
  { id: "chart-moments", title: "Moments by severity" },
  { id: "chart-paths", title: "Most common paths into a flagged moment" },
] as const;

export function DashboardPage(
  p: ChartPageProps<Dashboard> & {
    channels: string[];
    /** Since midnight UTC, whatever the window. */
    notAnalysedToday: NotAnalysedCounts;
  },
) {
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
      <WindowNote note={p.notice} />
      <WindowForm action="/console/dashboard" label="Dashboard filters" idPrefix="d-" from={p.from} to={p.to}>
        <fieldset>
          <legend>Channels</legend>
          {Object.entries(channelLabel).map(([id, label]) => (
            <label class="check">
              <input type="checkbox" name="channel" value={id} checked={p.channels.includes(id)} /> {label}
            </label>
          ))}
        </fieldset>
      </WindowForm>
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
      <ChartSection charts={CHARTS} extra={(c) => <ChartTable id={c.id} data={p.data} links={links} />} />
      <ChartData id="dashboard-data" data={{ ...p.data, links }} />
    </Layout>
  );
}

/**
 * Each chart's numbers as a table, every count a link to the interactions (or moments) behind it: the chart's
 * keyboard and screen-reader way in (a canvas is neither).
 */
function ChartTable(p: { id: (typeof CHARTS)[number]["id"]; data: Dashboard; links: DashboardLinks }) {
  const d = p.data;
  const l = p.links;
  const sentiment = (v: number | null) => (v === null ? "—" : signed(v));
  switch (p.id) {
    case "chart-sentiment":
      return (
        <NumbersTable
          columns={[
            d.bucket,
            ...d.sentimentByChannel.map((s) => `${channelLabel[s.channel] ?? s.channel}: average (interactions)`),
          ]}
          rows={d.buckets.map((label, i) => ({
            label,
            cells: d.sentimentByChannel.map((s) =>
              s.volume[i] ? (
                <a href={l.sentiment[s.channel][i]}>
                  {sentiment(s.average[i])} ({s.volume[i]})
                </a>
              ) : (
                "—"
              ),
            ),
          }))}
        />
      );
    case "chart-topics":
      return (
        <NumbersTable
          columns={["Topic", "Interactions", "Average sentiment"]}
          rows={d.topics.map((topic, i) => ({
            label: topic.label,
            cells: [<a href={l.topics[i]}>{topic.volume}</a>, sentiment(topic.averageSentiment)],
          }))}
        />
      );
    case "chart-needs":
      return (
        <NumbersTable
          columns={["Need", "Interactions"]}
          rows={d.needs.map((need, i) => ({ label: need.label, cells: [<a href={l.needs[i]}>{need.volume}</a>] }))}
        />
      );
    case "chart-moments":
      return (
        <NumbersTable
          columns={[d.bucket, ...d.momentsBySeverity.map((s) => s.severity)]}
          rows={d.buckets.map((label, i) => ({
            label,
            cells: d.momentsBySeverity.map((s) =>
              s.counts[i] ? <a href={l.moments[s.severity][i]}>{s.counts[i]}</a> : "0",
            ),
          }))}
        />
      );
    case "chart-paths":
      return (
        <NumbersTable
          columns={["Path", "Moments"]}
          rows={d.pathsToMoments.map((path) => ({ label: path.steps.join(" → "), cells: [path.count] }))}
        />
      );
  }
}
