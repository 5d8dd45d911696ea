import type { QueueItem, QueueView } from "../../services/moments/queue-view.js";
import type { Person } from "../../services/person.js";
import { SeverityChip, StatusBadge, waited } from "../components.js";
import { channelLabel } from "../format.js";
import { Layout, type LayoutProps } from "../layout.js";

const views: Array<{ id: QueueView; label: string }> = [
  { id: "mine", label: "Mine" },
  { id: "team", label: "My teams" },
  { id: "unassigned", label: "Unassigned" },
  { id: "all", label: "All live" },
];

/** The work queue: live moments most severe first, then the longest waiting; claim, acknowledge, assign. */
export function QueuePage(p: {
  shell: Omit<LayoutProps, "children" | "title">;
  view: QueueView;
  channel: string;
  reason: string;
  page: { items: QueueItem[]; total: number; breached: number; nextCursor: string | null };
  me: Person;
  /** People a supervisor may assign to (team members); absent for agents. */
  people?: Person[];
  teams?: string[];
  here: string;
  notice?: string;
}) {
  const back = p.here;
  return (
    <Layout {...p.shell} title="Queue" section="queue">
      <h1>Work queue</h1>
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      <nav aria-label="Queue views" class="tabs">
        <ul>
          {views.map((v) => (
            <li>
              <a href={`/console/queue?view=${v.id}`} aria-current={p.view === v.id ? "page" : undefined}>
                {v.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/console/queue" class="filters">
        <input type="hidden" name="view" value={p.view} />
        <div class="field">
          <label for="q-channel">Channel</label>
          <select id="q-channel" name="channel">
            <option value="">Any</option>
            {Object.entries(channelLabel).map(([id, label]) => (
              <option value={id} selected={p.channel === id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="q-reason">Reason code</label>
          <input id="q-reason" name="reason" value={p.reason} placeholder="e.g. long_wait" />
        </div>
        <button type="submit">Filter</button>
      </form>
      <p id="queue-summary">
        {p.page.total} live {p.page.total === 1 ? "moment" : "moments"} in this view
        {p.shell.canExport && (
          <>
            {" · "}
            <a
              id="export-csv"
              download
              href={`/v1/moments/queue/export?${new URLSearchParams({
                view: p.view,
                ...(p.channel ? { channel: p.channel } : {}),
                ...(p.reason ? { reason: p.reason } : {}),
              })}`}
            >
              Export CSV
            </a>
          </>
        )}
        {p.page.breached > 0 && (
          <>
            {" · "}
            <strong class="breach" id="breach-count">
              ⚠ {p.page.breached} past the acknowledge target
            </strong>
          </>
        )}
      </p>
      {p.page.items.length === 0 ? (
        <p class="muted">Nothing waiting here.</p>
      ) : (
        <ul class="rows" id="queue-list">
          {p.page.items.map((m) => (
            <li
              class={`row moment status-${m.status}${m.ack.breached && !m.ack.responded ? " breached" : ""}`}
              id={`moment-${m.id}`}
              data-status={m.status}
            >
              <div class="row-head">
                <SeverityChip severity={m.severity} /> <StatusBadge status={m.status} />{" "}
                <a class="customer-name" href={`/console/moments/${m.id}`}>
                  {m.customer.label}
                </a>
                {m.channels.length > 0 && (
                  <span class="small muted"> · {m.channels.map((c) => channelLabel[c] ?? c).join(", ")}</span>
                )}
              </div>
              <p class="small">
                Waiting {waited(m.ack.waitedSeconds)}
                {m.ack.responded ? " until acknowledged" : ""} · target {m.ack.targetMinutes} min
                {m.ack.breached && (
                  <strong class="breach"> · ⚠ {m.ack.responded ? "acknowledged late" : "past target"}</strong>
                )}
                {" · "}
                {m.assignee ? `held by ${m.assignee.id === p.me.id ? "you" : m.assignee.name}` : "unassigned"}
                {m.team ? ` · team ${m.team}` : ""}
              </p>
              <ul class="reasons">
                {m.reasons.slice(0, 3).map((r) => (
                  <li>{r.text}</li>
                ))}
              </ul>
              <div class="actions">
                {m.assignee?.id !== p.me.id && !m.assignee && (
                  <form method="post" action={`/console/queue/${m.id}/claim`}>
                    <input type="hidden" name="back" value={back} />
                    <button type="submit">Claim</button>
                  </form>
                )}
                {m.status === "open" && (
                  <form method="post" action={`/console/queue/${m.id}/ack`}>
                    <input type="hidden" name="back" value={back} />
                    <button type="submit">Acknowledge</button>
                  </form>
                )}
                {p.people && (
                  <form method="post" action={`/console/queue/${m.id}/assign`} class="assign">
                    <input type="hidden" name="back" value={back} />
                    <label for={`assign-${m.id}`}>Assign to</label>
                    <select id={`assign-${m.id}`} name="person">
                      <option value="">Nobody</option>
                      {p.people.map((person) => (
                        <option value={person.id} selected={m.assignee?.id === person.id}>
                          {person.name}
                        </option>
                      ))}
                    </select>
                    <label for={`team-${m.id}`}>Team</label>
                    <select id={`team-${m.id}`} name="team">
                      <option value="">None</option>
                      {(p.teams ?? []).map((t) => (
                        <option value={t} selected={m.team === t}>
                          {t}
                        </option>
                      ))}
                    </select>
                    <button type="submit">Assign</button>
                  </form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {p.page.nextCursor && (
        <p>
          <a href={`/console/queue?view=${p.view}&cursor=${p.page.nextCursor}`}>Next page</a>
        </p>
      )}
    </Layout>
  );
}
