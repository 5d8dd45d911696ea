import type { AgentReport } from "../../services/people/agent-report.js";
import { ChartData, ChartSection, type ChartPageProps } from "../chart-section.js";
import { WindowForm, WindowNote } from "../components.js";
import { Layout } from "../layout.js";

const CHARTS = [
  { id: "chart-handled", title: "Moments handled: acknowledged, resolved, closed while theirs" },
  { id: "chart-ack", title: "Time to acknowledge, median and 90th percentile (minutes)" },
  { id: "chart-breaches", title: "First responses within and past their severity's target" },
  { id: "chart-sentiment", title: "Customers' sentiment from the start to the end of their chats and calls" },
] as const;

/** The agents page for supervisors: totals in words, each agent's figures as pictures. */
export function AgentsPage(p: ChartPageProps<AgentReport>) {
  const d = p.data;
  const people = d.items.filter((i) => i.agent.kind !== "transcript");
  const transcriptOnly = d.items.filter((i) => i.agent.kind === "transcript");
  return (
    <Layout {...p.shell} title="Agents" section="agents" scripts={["chart.umd.min.js", "agents.js"]}>
      <h1>Agents</h1>
      <WindowNote note={p.notice} />
      <WindowForm action="/console/agents" label="Agents window" idPrefix="a-" from={p.from} to={p.to} />
      <ul class="totals" aria-label="Totals" id="agents-totals">
        <li>
          <strong>{people.length}</strong> people and keys
        </li>
        <li>
          <strong>{people.reduce((a, i) => a + i.handled.acknowledged, 0)}</strong> moments acknowledged
        </li>
        <li>
          <strong>{d.items.reduce((a, i) => a + i.timeToAcknowledge.breached, 0)}</strong> past target
        </li>
        <li>
          <strong>{d.items.reduce((a, i) => a + (i.sentiment?.conversations ?? 0), 0)}</strong> chats and calls
        </li>
      </ul>
      {d.items.length === 0 ? (
        <p class="muted" id="agents-empty">
          No one handled a moment or took a chat or call in this window.
        </p>
      ) : (
        <ChartSection charts={CHARTS} />
      )}
      {transcriptOnly.length > 0 && (
        <p class="small muted" id="agents-transcript-note">
          {transcriptOnly.map((i) => i.agent.name).join(", ")}: named by transcripts only (their agent id is no console
          person's id or username).
          {d.truncated && " Only the 100 busiest transcript agents are shown."}
        </p>
      )}
      <ChartData id="agents-data" data={d} />
    </Layout>
  );
}
