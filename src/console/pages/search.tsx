import { labelOf } from "../../services/customers/label.js";
import { SEARCH_COUNT_CAP, type agentSearch } from "../../services/agent-search.js";
import { SentimentChip, SeverityChip, WindowFields } from "../components.js";
import { channelLabel, when } from "../format.js";
import { Layout, type LayoutProps } from "../layout.js";
import { filterParams, hasFilters, type SearchFilters } from "../search-filters.js";

type Result = Awaited<ReturnType<typeof agentSearch>>;

export function SearchPage(p: {
  shell: Omit<LayoutProps, "children" | "title">;
  from: Date;
  to: Date;
  q: string;
  filters: SearchFilters;
  /** Whether the person may export (the `export` permission): the link is shown to them only. */
  canExport: boolean;
  result: Result;
  notice?: string;
}) {
  const { customers, interactions, total } = p.result;
  const f = p.filters;
  const window = { from: p.from, to: p.to, q: p.q || undefined };
  const narrowed = hasFilters(f);
  return (
    <Layout {...p.shell} title="Search" section="search">
      <h1>Search</h1>
      {p.notice && (
        <p class="notice" role="status" id="window-note">
          {p.notice}
        </p>
      )}
      {/* biome-ignore lint/a11y/useSemanticElements: the landmark is the form itself, so the role goes on it. */}
      <form method="get" action="/console" class="filters" role="search">
        <div class="field grow">
          <label for="q">Text, name, email, phone or handle</label>
          <input
            id="q"
            name="q"
            type="search"
            value={p.q}
            placeholder="e.g. refund, maria@example.com, +1 202 555 0143, @maria_g"
          />
        </div>
        <WindowFields idPrefix="" from={p.from} to={p.to} />
        {/* A new text keeps the drill-down's filters; "all interactions" below drops them. */}
        {[...filterParams(window, f)]
          .filter(([k]) => !["from", "to", "q"].includes(k))
          .map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      {narrowed && (
        <p id="search-filters">
          Only interactions{f.channel.length > 0 && ` on ${f.channel.map((ch) => channelLabel[ch] ?? ch).join(" or ")}`}
          {f.sentiment.length > 0 && ` with ${f.sentiment.join(" or ")} sentiment`}
          {f.topic && ` about ${f.topic.replace(/_/g, " ")}`}
          {f.need && ` needing ${f.need.replace(/_/g, " ")}`}
          {f.flagged !== undefined && (f.flagged ? " that were flagged" : " that were not flagged")}.{" "}
          <a
            href={`/console?${new URLSearchParams({ from: p.from.toISOString(), to: p.to.toISOString(), ...(p.q ? { q: p.q } : {}) })}`}
          >
            Show all interactions
          </a>
        </p>
      )}
      <p class="muted" id="search-summary">
        {customers.length} customers and {total !== null && total >= SEARCH_COUNT_CAP && "at least "}
        <span id="interaction-count">{total ?? interactions.length}</span> interactions between {when(p.from)} and{" "}
        {when(p.to)}
        {p.q ? ` matching “${p.q}”` : ""}
        {total !== null && total > interactions.length
          ? ` (the newest ${interactions.length}, flagged first, are listed)`
          : ""}
        .
        {p.canExport && (
          <>
            {" "}
            <a id="export-csv" href={`/v1/interactions/export?${filterParams(window, f)}`} download>
              Export CSV
            </a>
          </>
        )}
      </p>

      <section aria-labelledby="customers-h">
        <h2 id="customers-h">Customers</h2>
        {customers.length === 0 ? (
          <p class="muted">No customers match.</p>
        ) : (
          <ul class="cards" id="customer-results">
            {customers.map((c) => (
              <li class={`card ${c.liveMoment ? "flagged" : ""}`}>
                <a href={`/console/customers/${encodeURIComponent(c.id)}`} class="title">
                  {labelOf(c.displayName, c.identifiers)}
                </a>
                {c.liveMoment && (
                  <span>
                    {" "}
                    <SeverityChip severity={c.liveMoment.severity} /> {c.liveMoment.status} moment
                  </span>
                )}
                <div class="muted small">
                  {c.identifiers
                    .slice(0, 4)
                    .map((i) => `${i.kind}: ${i.value}`)
                    .join(" · ")}
                  {c.lastContactAt ? ` · last contact ${when(c.lastContactAt)}` : ""}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="interactions-h">
        <h2 id="interactions-h">Interactions</h2>
        {interactions.length === 0 ? (
          <p class="muted">No interactions in this window.</p>
        ) : (
          <ul class="rows" id="interaction-results">
            {interactions.map((i) => (
              <li class={i.analysis?.complaint.flagged ? "row flagged" : "row"}>
                <div class="row-head">
                  <span class="small muted">{when(i.occurredAt)}</span>{" "}
                  <span class="chip">{channelLabel[i.channel] ?? i.channel}</span>{" "}
                  <SentimentChip score={i.analysis?.sentiment.score} language={i.analysis?.language} />
                  {i.analysis?.complaint.flagged && <span class="chip flag">flagged</span>}
                </div>
                <a href={`/console/customers/${encodeURIComponent(i.customerId)}#item-${i.id}`}>{i.summary}</a>
                {i.analysis?.complaint.flagged && (
                  <div class="small reasons">{i.analysis.complaint.reasons.join("; ")}</div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
