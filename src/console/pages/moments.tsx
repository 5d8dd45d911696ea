import type { MomentView } from "../../services/moments/views.js";
import { SeverityChip, StatusBadge } from "../components.js";
import { when } from "../format.js";
import { Layout, type LayoutProps } from "../layout.js";
import type { VerdictView } from "../../contracts/verdicts.js";
import { VerdictForm } from "../verdict-form.js";

type Moment = MomentView & { customerName: string | null; customerLabel: string };

/** Live moments (open, then acknowledged), most severe and newest first, each with its reasons and actions. */
export function MomentsPage(p: {
  shell: Omit<LayoutProps, "children" | "title">;
  moments: Moment[];
  verdicts: Map<string, VerdictView>;
  notice?: string;
}) {
  return (
    <Layout {...p.shell} title="Moments" section="moments">
      <h1>Live complaint-risk moments</h1>
      {p.shell.canExport && (
        <p>
          <a id="export-csv" download href="/v1/moments/export?status=open,acknowledged">
            Export CSV
          </a>{" "}
          <span class="small muted">(open and acknowledged moments, newest first)</span>
        </p>
      )}
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      {p.moments.length === 0 ? (
        <p class="muted">No open or acknowledged moments.</p>
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
              <div class="actions">
                {m.status === "open" && (
                  <form method="post" action={`/console/moments/${m.id}/ack`}>
                    <input type="hidden" name="back" value="/console/moments" />
                    <button type="submit">Acknowledge</button>
                  </form>
                )}
                <form method="post" action={`/console/moments/${m.id}/resolve`}>
                  <input type="hidden" name="back" value="/console/moments" />
                  <button type="submit">Resolve</button>
                </form>
              </div>
              <VerdictForm
                subject="moments"
                id={m.id}
                flagged
                reasons={m.reasons}
                back={`/console/moments#moment-${m.id}`}
                mine={p.verdicts.get(m.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
