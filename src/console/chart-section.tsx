import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { LayoutProps } from "./layout.js";

// The parts of a page of charts (dashboard, quality, agents): the figures the page's script draws
// into, the data it draws from, and each chart's numbers as a table for those a canvas leaves out.

/** What a page of charts is given: the shell, its window, its report, and why the window is not the one asked for. */
export interface ChartPageProps<D> {
  shell: Omit<LayoutProps, "children" | "title" | "scripts">;
  from: Date;
  to: Date;
  data: D;
  notice?: string;
}

export interface Chart {
  /** The figure's id: the page's script finds its canvas by it. */
  id: string;
  title: string;
}

/**
 * One figure a chart, its title as the caption and as the canvas's accessible name; `extra` adds what
 * follows a chart's canvas (its numbers as a table).
 */
export function ChartSection<C extends Chart>(p: { charts: readonly C[]; extra?: (chart: C) => Child }) {
  return (
    <div class="charts">
      {p.charts.map((c) => (
        <figure class="card chart" id={c.id}>
          <figcaption>{c.title}</figcaption>
          <div class="canvas-box">
            <canvas role="img" aria-label={c.title}></canvas>
          </div>
          {p.extra?.(c)}
        </figure>
      ))}
    </div>
  );
}

/** The charts' data as a JSON script block: the browser never runs it, and no value can close it. */
export function ChartData({ id, data }: { id: string; data: unknown }) {
  return (
    <script type="application/json" id={id}>
      {raw(JSON.stringify(data).replace(/</g, "\\u003c"))}
    </script>
  );
}

/** A row of a chart's table: its header cell, then its figures. */
export interface TableRow {
  label: Child;
  cells: Child[];
}

/** A chart's numbers as a table, in a closed `details`: the keyboard and screen-reader way into a canvas. */
export function NumbersTable({ columns, rows }: { columns: Child[]; rows: TableRow[] }) {
  return (
    <details class="chart-table">
      <summary>The numbers as a table</summary>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              {r.cells.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
