import { labelOf } from "../../services/customers/label.js";
import type { CustomerProfile } from "../../services/customers/profile.js";
import type { InteractionDetail } from "../../services/customers/details.js";
import type { customerTimeline } from "../../services/customers/timeline.js";
import { Highlighted, SentimentChip, SeverityChip, Sparkline, StatusBadge, WindowFields } from "../components.js";
import { channelLabel, signed, when } from "../format.js";
import { Layout, type LayoutProps } from "../layout.js";
import type { VerdictView } from "../../contracts/verdicts.js";
import { VerdictForm } from "../verdict-form.js";

type Timeline = Awaited<ReturnType<typeof customerTimeline>>;
type Item = Timeline["items"][number];

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

/** "16:24" in UTC, the zone the whole console shows. */
const clock = (iso: string) => iso.slice(11, 16);

/**
 * What a reason's refs are called in a sentence: "the failed withdrawal at 16:24", "the chat at 16:25".
 * Refs to items not on this page of the timeline read "an earlier record".
 */
function refWords(items: Item[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of items) {
    if (i.kind === "interaction")
      out.set(i.id, `the ${(channelLabel[i.channel] ?? i.channel).toLowerCase()} at ${clock(i.occurredAt)}`);
    else if (i.kind === "event") {
      const what = [i.status, (i.name ?? i.type).replace(/_/g, " ")].filter(Boolean).join(" ");
      out.set(i.id, `the ${what} at ${clock(i.occurredAt)}`);
    }
  }
  return out;
}

function TimelineItem({
  item,
  refNames,
  detail,
  here,
  mine,
}: {
  item: Item;
  refNames: Map<string, string>;
  detail?: InteractionDetail;
  here: string;
  mine?: VerdictView;
}) {
  if (item.kind === "moment") {
    return (
      <li
        id={`item-${item.id}`}
        class={`tl moment severity-${item.severity} status-${item.status}`}
        data-kind="moment"
        data-status={item.status}
      >
        <div class="row-head">
          <span class="small muted">{when(item.occurredAt)}</span> <SeverityChip severity={item.severity} />{" "}
          <strong>Complaint-risk moment</strong> <StatusBadge status={item.status} /> · risk {item.risk.toFixed(2)}
        </div>
        <ul class="reasons">
          {item.reasons.map((r) => (
            <li>
              {r.text}
              {r.refs.length > 0 && (
                <span class="small">
                  {" "}
                  — from{" "}
                  {r.refs.map((ref, i) => (
                    <>
                      {i > 0 && (i === r.refs.length - 1 ? " and " : ", ")}
                      <a href={`#item-${ref}`}>{refNames.get(ref) ?? "an earlier record"}</a>
                    </>
                  ))}
                </span>
              )}
            </li>
          ))}
        </ul>
        {(item.status === "open" || item.status === "acknowledged") && (
          <div class="actions">
            {item.status === "open" && (
              <form method="post" action={`/console/moments/${item.id}/ack`}>
                <input type="hidden" name="back" value={`${here}#item-${item.id}`} />
                <button type="submit">Acknowledge</button>
              </form>
            )}
            <form method="post" action={`/console/moments/${item.id}/resolve`}>
              <input type="hidden" name="back" value={`${here}#item-${item.id}`} />
              <button type="submit">Resolve</button>
            </form>
          </div>
        )}
        <VerdictForm
          subject="moments"
          id={item.id}
          flagged
          reasons={item.reasons}
          back={`${here}#item-${item.id}`}
          mine={mine}
        />
      </li>
    );
  }
  if (item.kind === "event") {
    const failed = item.status && /fail|error|declin|reject/i.test(item.status);
    return (
      <li id={`item-${item.id}`} class={`tl event ${failed ? "failed" : ""}`} data-kind="event">
        <div class="row-head">
          <span class="small muted">{when(item.occurredAt)}</span> <span class="chip">{item.type}</span> {item.summary}
        </div>
      </li>
    );
  }
  const a = item.analysis;
  const flagged = !!a?.complaint.flagged;
  return (
    <li
      id={`item-${item.id}`}
      class={`tl interaction tone-${a ? (a.sentiment.label as string) : "neutral"} ${flagged ? "flagged" : ""}`}
      data-kind="interaction"
      data-channel={item.channel}
    >
      <details>
        <summary>
          <span class="small muted">{when(item.occurredAt)}</span>{" "}
          <span class="chip">{channelLabel[item.channel] ?? item.channel}</span>{" "}
          <SentimentChip score={a?.sentiment.score} language={a?.language} />{" "}
          {flagged && <span class="chip flag">flagged</span>} {item.summary}
        </summary>
        {detail && <InteractionBody detail={detail} />}
      </details>
      {a && (
        <VerdictForm
          subject="interactions"
          id={item.id}
          flagged={flagged}
          reasons={detail?.analysis?.complaint.reasons ?? []}
          back={`${here}#item-${item.id}`}
          mine={mine}
        />
      )}
    </li>
  );
}

/** The text's language for the browser (glyph forms, line breaking), when detected: "und" says nothing. */
const langOf = (code: string | undefined) => (code && /^[a-z]{2,3}$/.test(code) ? code : undefined);

function InteractionBody({ detail }: { detail: InteractionDetail }) {
  const a = detail.analysis;
  return (
    <div class="body" lang={langOf(a?.language.code)}>
      {a?.trajectory && (
        <p class="small trajectory">
          Customer's trajectory: {signed(a.trajectory.start)} → {signed(a.trajectory.end)} ({a.trajectory.trend}),
          lowest {signed(a.trajectory.lowest.score)} at turn {a.trajectory.lowest.turn + 1}
        </p>
      )}
      {detail.turns && a?.turns ? (
        <ol class="turns">
          {detail.turns.map((t, i) => {
            const tr = a.turns?.find((x) => x.index === i);
            return (
              <li class={`turn speaker-${t.speaker}`}>
                <span class="speaker">{t.speaker}</span> {tr && <SentimentChip score={tr.score} />}{" "}
                <span class="turn-text">
                  <Highlighted text={t.text} drivers={tr?.drivers ?? []} />
                </span>
              </li>
            );
          })}
        </ol>
      ) : a ? (
        <ol class="sentences">
          {detail.subject && <li class="subject">{detail.subject}</li>}
          {a.sentiment.sentences.map((s) => (
            <li>
              <SentimentChip score={s.score} /> <Highlighted text={s.text} drivers={s.drivers} />
            </li>
          ))}
        </ol>
      ) : (
        <p class="plain">{detail.text}</p>
      )}
      {a && (
        <dl class="facts small">
          {a.topics.length > 0 && (
            <>
              <dt>Topics</dt>
              <dd>
                {a.topics.map((t) => `${t.label}${t.sentiment !== null ? ` (${signed(t.sentiment)})` : ""}`).join(", ")}
              </dd>
            </>
          )}
          {a.needs.length > 0 && (
            <>
              <dt>Needs</dt>
              <dd>{a.needs.map((n) => n.label).join(", ")}</dd>
            </>
          )}
          {a.emotions.length > 0 && (
            <>
              <dt>Emotions</dt>
              <dd>{a.emotions.map((e) => e.label).join(", ")}</dd>
            </>
          )}
          {a.complaint.reasons.length > 0 && (
            <>
              <dt>Complaint risk {a.complaint.risk.toFixed(2)}</dt>
              <dd>{a.complaint.reasons.map((r) => r.text).join("; ")}</dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}
