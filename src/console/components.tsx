import type { Child } from "hono/jsx";
import type { Driver } from "../analysis/sentiment.js";
import { inputValue, signed, toneOf } from "./format.js";
import { highlightSegments } from "./highlight.js";

/** A sentiment score as a coloured chip that also says it in words (colour is never the only cue). */
/** A score, or for a text in a language Earshot does not analyse, "not analysed (fr)": never a neutral 0. */
export function SentimentChip({
  score,
  language,
}: {
  score: number | null | undefined;
  language?: { code: string; analysed: boolean };
}) {
  if (language && !language.analysed) {
    return (
      <span
        class="chip not-analysed"
        title="Written in a language Earshot does not analyse: only journey and language-free signals count"
      >
        not analysed ({language.code})
      </span>
    );
  }
  const tone = toneOf(score);
  return <span class={`chip tone-${tone}`}>{score == null ? "not scored" : `${tone} ${signed(score)}`}</span>;
}

/** Bars rise with severity, so the chip reads without colour as well as in words. */
const severityGlyph: Record<string, string> = { low: "▁", medium: "▃", high: "▅", critical: "▇" };

export function SeverityChip({ severity }: { severity: string }) {
  return (
    <span class={`chip severity-${severity}`}>
      <span aria-hidden="true">{severityGlyph[severity] ?? ""} </span>
      {severity}
    </span>
  );
}

const statusGlyph: Record<string, string> = { open: "●", acknowledged: "◐", resolved: "✓", closed: "○" };

/** A moment's status as a badge: a different shape, border and word for each (never colour alone). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`status-badge status-${status}`}>
      <span aria-hidden="true">{statusGlyph[status] ?? ""} </span>
      {status === "closed" ? "closed (quiet)" : status}
    </span>
  );
}

/** Minutes or hours, as an agent says them. */
export function waited(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  const min = Math.round(seconds / 60);
  if (min < 90) return `${min} min`;
  const h = Math.round(min / 6) / 10;
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} days`;
}

/** Text with the words that drove its score marked, each with its weight and rules as a tooltip. */
export function Highlighted({ text, drivers }: { text: string; drivers: Driver[] }) {
  return (
    <>
      {highlightSegments(text, drivers).map((s) =>
        s.driver ? (
          <mark
            class={s.driver.weight < 0 ? "drv-neg" : "drv-pos"}
            title={`${signed(s.driver.weight, 1)}${s.driver.rules.length ? ` (${s.driver.rules.join(", ")})` : ""}${s.driver.reason ? ` — ${s.driver.reason}` : ""}`}
          >
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
    </>
  );
}

/**
 * A sentiment sparkline as inline SVG: the line over time, a zero line, and the last point marked.
 * Drawn on the server so the header needs no script; the label says the same in words.
 */
export function Sparkline({
  points,
  width = 180,
  height = 40,
}: {
  points: Array<{ at: number; score: number }>;
  width?: number;
  height?: number;
}) {
  if (points.length === 0) return <span class="muted">No scored interactions in 90 days</span>;
  const pad = 3;
  const t0 = points[0].at;
  const span = Math.max(1, points[points.length - 1].at - t0);
  const x = (at: number) => pad + ((at - t0) / span) * (width - 2 * pad);
  const y = (s: number) => pad + ((1 - Math.max(-1, Math.min(1, s))) / 2) * (height - 2 * pad);
  const line = points.map((p, i) => `${i ? "L" : "M"}${x(p.at).toFixed(1)},${y(p.score).toFixed(1)}`).join(" ");
  const last = points[points.length - 1];
  const avg = points.reduce((a, p) => a + p.score, 0) / points.length;
  return (
    <svg
      class="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Sentiment over the last 90 days: ${points.length} interactions, average ${signed(avg)}, latest ${signed(last.score)}`}
    >
      <line x1={pad} x2={width - pad} y1={y(0)} y2={y(0)} class="zero" />
      <path d={line} class="trend" fill="none" />
      <circle cx={x(last.at)} cy={y(last.score)} r="3" class={`last tone-${toneOf(last.score)}`} />
    </svg>
  );
}

/** A time window's From/To inputs (UTC); `idPrefix` keeps ids unique when a page has two forms. */
export function WindowFields({ idPrefix, from, to }: { idPrefix: string; from?: Date; to?: Date }) {
  return (
    <>
      <div class="field">
        <label for={`${idPrefix}from`}>From (UTC)</label>
        <input id={`${idPrefix}from`} name="from" type="datetime-local" value={from ? inputValue(from) : ""} />
      </div>
      <div class="field">
        <label for={`${idPrefix}to`}>To (UTC)</label>
        <input id={`${idPrefix}to`} name="to" type="datetime-local" value={to ? inputValue(to) : ""} />
      </div>
    </>
  );
}

/** Why the page's window is not the one asked for (shortened, or the default), when it is not. */
export function WindowNote({ note }: { note?: string }) {
  return note ? (
    <p class="notice" role="status" id="window-note">
      {note}
    </p>
  ) : null;
}

/** A report page's window form: From and To, any further filters (`children`), and Apply. */
export function WindowForm(p: {
  action: string;
  label: string;
  idPrefix: string;
  from: Date;
  to: Date;
  children?: Child;
}) {
  return (
    <form method="get" action={p.action} class="filters" aria-label={p.label}>
      <WindowFields idPrefix={p.idPrefix} from={p.from} to={p.to} />
      {p.children}
      <button type="submit" class="primary">
        Apply
      </button>
    </form>
  );
}
