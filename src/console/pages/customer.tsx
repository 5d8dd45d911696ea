import { labelOf } from "../../services/customers/label.js";
import type { CustomerProfile } from "../../services/customers/profile.js";
import type { InteractionDetail } from "../../services/customers/details.js";
import type { customerTimeline } from "../../services/customers/timeline.js";
import { SentimentChip, SeverityChip, Sparkline, WindowFields } from "../components.js";
import { channelLabel, when } from "../format.js";
import { Layout, type LayoutProps } from "../layout.js";
import type { VerdictView } from "../../contracts/verdicts.js";
import { refWords, TimelineItem } from "./timeline-item.js";

type Timeline = Awaited<ReturnType<typeof customerTimeline>>;

export interface TimelineFilters {
  channels: string[];
  types: string[];
  flaggedOnly: boolean;
  from?: Date;
  to?: Date;
}

export interface CustomerPageProps {
  shell: Omit<LayoutProps, "children" | "title">;
  profile: CustomerProfile;
  sparkline: Array<{ at: number; score: number }>;
  liveMoment: { id: string; severity: string; status: string; risk: number } | null;
  timeline: Timeline;
  details: Map<string, InteractionDetail>;
  /** The signed-in agent's current verdicts on the moments and interactions shown. */
  verdicts: Map<string, VerdictView>;
  filters: TimelineFilters;
  eventTypes: string[];
  /** This page's URL with its query, where forms send the agent back to. */
  here: string;
  olderHref: string | null;
  notice?: string;
}

const CHANNELS = ["chat", "email", "call_note", "social"];

export function CustomerPage(p: CustomerPageProps) {
  const c = p.profile;
  const name = labelOf(c.displayName, c.identifiers);
  const refNames = refWords(p.timeline.items);
  return (
    <Layout {...p.shell} title={name} customerId={c.id}>
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      <p id="live-customer-note" class="notice" role="status" hidden>
        A new moment arrived for this customer. <a href={p.here}>Reload the timeline</a>
      </p>
      <header class="customer card">
        <div>
          <h1>{name}</h1>
          <ul class="identifiers" aria-label="Identifiers">
            {c.identifiers.map((i) => (
              <li>
                <span class="muted">{i.kind}</span> {i.value}
              </li>
            ))}
          </ul>
          <p class="small muted">
            {Object.entries(c.channels)
              .map(([ch, n]) => `${channelLabel[ch] ?? ch} ${n}`)
              .join(" · ") || "No interactions yet"}
            {" · "}
            {c.contacts.events} journey events{c.firstContactAt ? ` · first contact ${when(c.firstContactAt)}` : ""}
          </p>
        </div>
        <div class="trend">
          <div class="small muted">Sentiment, last 90 days</div>
          <Sparkline points={p.sparkline} />
          <div class="small">
            7 days: <SentimentChip score={c.sentimentTrend.days7.average} /> 30 days:{" "}
            <SentimentChip score={c.sentimentTrend.days30.average} />
          </div>
        </div>
        <div class="risk" id="current-risk">
          <div class="small muted">Current risk</div>
          {p.liveMoment ? (
            <div>
              <SeverityChip severity={p.liveMoment.severity} /> {p.liveMoment.status} moment, risk{" "}
              {p.liveMoment.risk.toFixed(2)} <a href={`#item-${p.liveMoment.id}`}>see why</a>
            </div>
          ) : c.latestRisk ? (
            <div>
              {c.latestRisk.flagged ? "flagged" : "not flagged"}, latest risk {c.latestRisk.risk.toFixed(2)}
            </div>
          ) : (
            <div class="muted">none</div>
          )}
          {c.openNeeds.length > 0 && <div class="small">Open needs: {c.openNeeds.map((n) => n.label).join(", ")}</div>}
        </div>
      </header>

      <form method="get" class="filters" aria-label="Timeline filters">
        <fieldset>
          <legend>Channels</legend>
          {CHANNELS.map((ch) => (
            <label class="check">
              <input type="checkbox" name="channel" value={ch} checked={p.filters.channels.includes(ch)} />{" "}
              {channelLabel[ch]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Event types</legend>
          {p.eventTypes.map((t) => (
            <label class="check">
              <input type="checkbox" name="type" value={t} checked={p.filters.types.includes(t)} /> {t}
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input type="checkbox" name="flagged" value="1" checked={p.filters.flaggedOnly} /> Flagged only
        </label>
        <WindowFields idPrefix="tl-" from={p.filters.from} to={p.filters.to} />
        <button type="submit">Apply</button>
      </form>

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Journey timeline</h2>
        {p.timeline.items.length === 0 ? (
          <p class="muted">Nothing on the timeline for these filters.</p>
        ) : (
          <ol class="timeline" id="timeline">
            {p.timeline.items.map((item) => (
              <TimelineItem
                item={item}
                refNames={refNames}
                detail={item.kind === "interaction" ? p.details.get(item.id) : undefined}
                here={p.here}
                mine={p.verdicts.get(item.id)}
              />
            ))}
          </ol>
        )}
        {p.olderHref && (
          <p>
            <a href={p.olderHref} rel="next">
              Older
            </a>
          </p>
        )}
      </section>
    </Layout>
  );
}
