import type { QualityReport } from "../../services/verdicts/quality.js";
import type { Estimate } from "../../lib/wilson.js";
import { ChartData, ChartSection, type ChartPageProps } from "../chart-section.js";
import { WindowForm, WindowNote } from "../components.js";
import { Layout } from "../layout.js";

const CHARTS = [
  { id: "chart-precision-week", title: "Precision of flags by week, with 95 % intervals" },
  { id: "chart-threshold", title: "The thresholds in force: precision and recall, with 95 % intervals" },
  { id: "chart-reasons", title: "Which reasons cause false alarms" },
  { id: "chart-channel", title: "Precision by channel" },
  { id: "chart-severity", title: "Moment precision by severity" },
  { id: "chart-missed", title: "Missed complaints reported" },
] as const;

const pct = (e: Estimate) => (e.value === null ? "—" : `${Math.round(e.value * 100)} %`);

/** Versions behind the window's flags, in words: a window over several mixes them, and says so. */
function VersionNote({ versions }: { versions: QualityReport["versions"] }) {
  const analysis = versions.interactions.filter((v) => v.version);
  const rules = versions.moments;
  const mixed = analysis.length > 1 || rules.length > 1;
  return (
    <p class={mixed ? "notice" : "small muted"} id="quality-versions" role={mixed ? "status" : undefined}>
      {mixed ? "These figures mix versions. " : "From "}
      analysis {analysis.map((v) => `${v.version} (${v.interactions} interactions)`).join(", ") || "none"}; moment rules{" "}
      {rules.map((v) => `${v.version} (${v.moments} moments)`).join(", ") || "none"}.
    </p>
  );
}

/** Quality from agents' verdicts: totals in words, everything else as pictures. */
export function QualityPage(p: ChartPageProps<QualityReport>) {
  const d = p.data;
  return (
    <Layout {...p.shell} title="Quality" section="quality" scripts={["chart.umd.min.js", "charts.js", "quality.js"]}>
      <h1>Quality of flags, from agents' verdicts</h1>
      <WindowNote note={p.notice} />
      <WindowForm action="/console/quality" label="Quality window" idPrefix="q-" from={p.from} to={p.to} />
      <ul class="totals" aria-label="Totals" id="quality-totals">
        <li>
          <strong>{d.flagsRaised.interactions + d.flagsRaised.moments}</strong> flags raised
        </li>
        <li>
          <strong>{d.verdicts.subjects}</strong> judged ({pct(d.coverage)} of flags)
        </li>
        <li>
          interaction precision <strong>{pct(d.precision.interaction)}</strong>
        </li>
        <li>
          moment precision <strong>{pct(d.precision.moment)}</strong>
        </li>
        <li>
          <strong>{d.missed.total}</strong> missed complaints
        </li>
      </ul>
      <VersionNote versions={d.versions} />
      <ChartSection charts={CHARTS} />
      <ChartData id="quality-data" data={d} />
    </Layout>
  );
}
