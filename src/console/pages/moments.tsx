import type { MomentView } from "../../services/moments/views.js";
import { WINDOW_MOMENTS_LIMIT } from "../../services/moments/window-moments.js";
import { SeverityChip, StatusBadge } from "../components.js";
import { channelLabel, when } from "../format.js";
import { Layout, type LayoutProps } from "../layout.js";
import type { VerdictView } from "../../contracts/verdicts.js";
import { MomentActions } from "../moment-actions.js";
import { VerdictForm } from "../verdict-form.js";

type Moment = MomentView & { customerName: string | null; customerLabel: string };

/** What a window's list (a dashboard cell's drill-down) is narrowed to, and how many it holds in all. */
export interface MomentWindow {
  from: Date;
  to: Date;
  severity: string[];
  channel: string[];
  total: number;
  /** How many of them come before this page (newest first). */
  before: number;
  /** This page's own address, for its forms to come back to. */
  here: string;
  /** The first page, when this is a later one; the next page, when there are more. */
  first: string | null;
  next: string | null;
}

/**
 * Live moments (open, then acknowledged), most severe and newest first, each with its reasons and
 * actions; or, given `window`, the moments a dashboard cell counts, whatever their status.
 */
export function MomentsPage(p: {
  shell: Omit<LayoutProps, "children" | "title">;
  moments: Moment[];
  verdicts: Map<string, VerdictView>;
  notice?: string;
  window?: MomentWindow;
}) {
  const w = p.window;
  const back = w?.here ?? "/console/moments";
  return (
    <Layout {...p.shell} title="Moments" section="moments">
      {w ? (
        <>
          <h1>Moments triggered in a window</h1>
          <p id="moment-filters">{windowFilters(w)}</p>
          <p>
            {p.moments.length < w.total
              ? `${w.before ? `Moments ${w.before + 1}–${w.before + p.moments.length}` : `The newest ${p.moments.length}`} of `
              : ""}
            <span id="moment-count">{w.total}</span> {w.total === 1 ? "moment" : "moments"}.{" "}
            <a href="/console/moments" id="show-all-moments">
              Show all live moments
            </a>
          </p>
        </>
      ) : (
        <>
          <h1>Live complaint-risk moments</h1>
          {p.shell.canExport && (
            <p>
              <a id="export-csv" download href="/v1/moments/export?status=open,acknowledged">
                Export CSV
              </a>{" "}
              <span class="small muted">(open and acknowledged moments, newest first)</span>
            </p>
          )}
        </>
      )}
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      {p.moments.length === 0 ? (
        <p class="muted">{w ? "No moments in this window." : "No open or acknowledged moments."}</p>
      ) : (
        <ul class="rows" id="moment-list">
          {p.moments.map((m) => (
            <li
              class={`row moment severity-${m.severity} status-${m.status}`}
              id={`moment-${m.id}`}
              data-status={m.status}
            >
              <div class="row-head">
                <SeverityChip severity={m.severity} /> <StatusBadge status={m.status} />{" "}
                <a href={`/console/customers/${encodeURIComponent(m.customerId)}#item-${m.id}`}>{m.customerLabel}</a> ·
                risk {m.risk.toFixed(2)} · <span class="small muted">{when(m.triggerAt ?? m.createdAt ?? 0)}</span>
              </div>
              <ul class="reasons">
                {m.reasons.map((r) => (
                  <li>{r.text}</li>
                ))}
              </ul>
              <MomentActions id={m.id} status={m.status} back={back} />
              <VerdictForm
                subject="moments"
                id={m.id}
                flagged
                reasons={m.reasons}
                back={`${back}#moment-${m.id}`}
                mine={p.verdicts.get(m.id)}
              />
            </li>
          ))}
        </ul>
      )}
      {w && (w.first || w.next) && (
        <p>
          {w.first && (
            <a href={w.first} id="first-moments">
              Newest first
            </a>
          )}{" "}
          {w.next && (
            <a href={w.next} id="next-moments" rel="next">
              Next {WINDOW_MOMENTS_LIMIT}
            </a>
          )}
        </p>
      )}
    </Layout>
  );
}

/** What a window's list is narrowed to, in words. */
const windowFilters = (w: MomentWindow) =>
  [
    `Triggered from ${when(w.from)} to ${when(w.to)}`,
    `severity ${w.severity.length ? w.severity.join(", ") : "any"}`,
    `channel ${w.channel.length ? w.channel.map((ch) => channelLabel[ch] ?? ch).join(", ") : "any"}`,
    "any status (as the dashboard counts them).",
  ].join("; ");
