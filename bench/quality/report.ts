// The protocol's figures as Markdown tables: one row per set and metric, a never-seen and a tuned
// column for each scorer that saw the sets, one column for a scorer that saw none.
import type { ProtocolRun, SetResult } from "./protocol.js";
import type { ScorerUnderTest } from "./scorers.js";
import { AIRLINE } from "./sets.js";

interface ReportColumn {
  title: string;
  value: (r: SetResult, metric: string) => number | undefined;
}

function columnsFor(scorers: ScorerUnderTest[]): ReportColumn[] {
  const pick = (name: string, which: "tuned" | "neverSeen") => (r: SetResult, metric: string) =>
    r.cells.get(name)?.[which]?.figures.find((f) => f.metric === metric)?.value;
  const out: ReportColumn[] = [];
  for (const s of scorers) {
    if (s.tunedOn !== "all" && s.tunedOn.length === 0) out.push({ title: s.name, value: pick(s.name, "neverSeen") });
    else {
      if (s.trainWithout) out.push({ title: `${s.name}, never seen`, value: pick(s.name, "neverSeen") });
      out.push({ title: `${s.name}, tuned`, value: pick(s.name, "tuned") });
    }
  }
  return out;
}

const format = (metric: string, v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? "—" : metric.startsWith("flagged") ? v.toFixed(2) : v.toFixed(3);

function metricsOf(results: SetResult[]): string[] {
  const seen = new Set<string>();
  for (const r of results)
    for (const c of r.cells.values())
      for (const f of [...(c.tuned?.figures ?? []), ...(c.neverSeen?.figures ?? [])]) seen.add(f.metric);
  return [...seen];
}

function table(rows: Array<{ name: string; metric: string; cells: string[] }>, columns: ReportColumn[]): string {
  const head = `| set | metric | ${columns.map((c) => c.title).join(" | ")} |\n|---|---|${columns.map(() => "---|").join("")}`;
  return [head, ...rows.map((r) => `| ${r.name} | ${r.metric} | ${r.cells.join(" | ")} |`)].join("\n");
}

const isPerAirline = (r: SetResult) => r.set.id.startsWith(`${AIRLINE}:`);

/** The main table (per-airline sets folded into one mean row per metric) and the per-airline table. */
export function markdownReport(run: ProtocolRun, scorers: ScorerUnderTest[]): { main: string; perAirline: string } {
  const columns = columnsFor(scorers);
  const rowsOf = (results: SetResult[]) =>
    results.flatMap((r) =>
      metricsOf([r]).map((metric) => ({
        name: r.set.name,
        metric,
        cells: columns.map((c) => format(metric, c.value(r, metric))),
      })),
    );
  const perAirline = run.results.filter(isPerAirline);
  const main = rowsOf(run.results.filter((r) => !isPerAirline(r)));
  // Leave one airline out: each airline scored by the model trained without that airline; the mean of the six.
  const airlineMetrics = metricsOf(perAirline);
  // After the whole-set airline rows; at the end when those are not in the run (bench:quality --sets).
  const first = main.findIndex((r) => r.name.startsWith("Airline tweets"));
  const at = first < 0 ? main.length : first + airlineMetrics.length;
  main.splice(
    at,
    0,
    ...airlineMetrics.map((metric) => ({
      name: `Airline tweets, leave one airline out (mean of ${perAirline.length})`,
      metric,
      cells: columns.map((c) => {
        const vs = perAirline.map((r) => c.value(r, metric));
        return vs.some((v) => v === undefined)
          ? "—"
          : format(metric, vs.reduce<number>((a, b) => a + b!, 0) / vs.length);
      }),
    })),
  );
  const detail = rowsOf(perAirline).filter((r) => r.metric.includes("macro-F1") || r.metric.includes("AUC"));
  return { main: table(main, columns), perAirline: table(detail, columns) };
}
