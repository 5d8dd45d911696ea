import type { InteractionDetail } from "../../services/customers/details.js";
import type { customerTimeline } from "../../services/customers/timeline.js";
import { Highlighted, SentimentChip, SeverityChip, StatusBadge } from "../components.js";
import { channelLabel, signed, when } from "../format.js";
import type { VerdictView } from "../../contracts/verdicts.js";
import { MomentActions } from "../moment-actions.js";
import { VerdictForm } from "../verdict-form.js";

// One item of a customer's timeline (an interaction, an event or a moment) and the words its reason
// links are given; the customer page lays them out.

type Timeline = Awaited<ReturnType<typeof customerTimeline>>;
type Item = Timeline["items"][number];

/** "16:24" in UTC, the zone the whole console shows. */
const clock = (iso: string) => iso.slice(11, 16);

/**
 * What a reason's refs are called in a sentence: "the failed withdrawal at 16:24", "the chat at 16:25".
 * Refs to items not on this page of the timeline read "an earlier record".
 */
export function refWords(items: Item[]): Map<string, string> {
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

export function TimelineItem({
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
        <MomentActions id={item.id} status={item.status} back={`${here}#item-${item.id}`} />
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
