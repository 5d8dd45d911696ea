// Draws the reliability diagram (observed complaint rate against predicted probability, bin by bin,
// with each bin's share of messages below) as a PNG: chart.js in Debian's Chromium, as the console's
// screenshots are taken, so the figure has real axes, labels and a legend.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { launchChromium } from "../../test/support/browser.js";
import type { ReliabilityBin } from "../metrics.js";

export interface Series {
  label: string;
  bins: ReliabilityBin[];
  /** Drawn dashed: tuned figures, beside the never-seen ones drawn solid. */
  dashed?: boolean;
}

const COLOURS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#57606a"];

export async function drawReliability(series: Series[], title: string, path: string): Promise<void> {
  const chartJs = readFileSync(
    join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js"),
    "utf8",
  );
  const data = series.map((s, i) => ({
    label: s.label,
    colour: COLOURS[i % COLOURS.length],
    dash: s.dashed ? [8, 5] : [],
    points: s.bins.filter((b) => b.count > 0).map((b) => ({ x: b.meanPredicted, y: b.observed })),
    share: s.bins.map((b) => b.count / s.bins.reduce((a, c) => a + c.count, 0)),
  }));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><body style="margin:0;background:#fff;font-family:sans-serif">
      <div id="figure" style="width:880px;padding:10px">
        <canvas id="curve" width="880" height="600"></canvas>
        <canvas id="share" width="880" height="240"></canvas>
      </div></body>`);
    await page.addScriptTag({ content: chartJs });
    await page.evaluate(
      ({ data, title }) => {
        type ChartCtor = new (el: HTMLCanvasElement, config: unknown) => unknown;
        const Chart = (
          window as unknown as { Chart: ChartCtor & { defaults: { animation: boolean; font: { size: number } } } }
        ).Chart;
        Chart.defaults.animation = false;
        Chart.defaults.font.size = 14;
        const curve = document.getElementById("curve") as HTMLCanvasElement;
        new Chart(curve, {
          type: "scatter",
          data: {
            datasets: [
              {
                label: "perfectly calibrated",
                data: [
                  { x: 0, y: 0 },
                  { x: 1, y: 1 },
                ],
                showLine: true,
                borderColor: "#8c959f",
                borderDash: [6, 4],
                pointRadius: 0,
              },
              ...data.map((d) => ({
                label: d.label,
                data: d.points,
                showLine: true,
                borderColor: d.colour,
                backgroundColor: d.colour,
                borderDash: d.dash,
                pointRadius: 4,
              })),
            ],
          },
          options: {
            responsive: false,
            plugins: { title: { display: true, text: title, font: { size: 17 } }, legend: { position: "bottom" } },
            scales: {
              x: {
                min: 0,
                max: 1,
                title: { display: true, text: "predicted probability of a complaint (mean of the bin)" },
              },
              y: { min: 0, max: 1, title: { display: true, text: "observed share of complaints" } },
            },
          },
        });
        new Chart(document.getElementById("share") as HTMLCanvasElement, {
          type: "bar",
          data: {
            labels: Array.from({ length: 10 }, (_, i) => `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`),
            datasets: data.map((d) => ({ label: d.label, data: d.share, backgroundColor: d.colour })),
          },
          options: {
            responsive: false,
            plugins: { legend: { display: false } },
            scales: {
              x: { title: { display: true, text: "bin of predicted probability" } },
              y: { min: 0, max: 1, title: { display: true, text: "share of messages" } },
            },
          },
        });
      },
      { data, title },
    );
    await page.locator("#figure").screenshot({ path });
  } finally {
    await browser.close();
  }
}
