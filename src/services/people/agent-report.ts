import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { interactions, moments, severities, users } from "../../db/schema/index.js";
import type { AckTargets } from "../moments/ack-targets.js";
import { actorNames } from "./actor-names.js";

// The agents page (GET /v1/agents, /console/agents): per person, the moments they handled, how fast
// they acknowledged them against the per-severity targets, and how customers' sentiment moved in the
// chats and calls they took. Moments count by when they were opened, like the time-to-acknowledge
// report (ackReport); conversations by when they happened.

type Severity = (typeof severities)[number];

/** Transcript agents shown at most; the busiest first. Their ids come from other systems, unbounded in number. */
export const MAX_TRANSCRIPT_AGENTS = 100;

/** Who an agent is: a console person (`user:<id>`), a key, or only the id a transcript names. */
export interface AgentRef {
  /** `user:<id>` or `key:<id>`; null for an agent known only from transcripts. */
  ref: string | null;
  name: string;
  kind: "person" | "key" | "transcript";
  /** The id the chats and calls carry (`session.agentId` / `agentId`), when any did. */
  transcriptId: string | null;
}

interface Wait {
  severity: Severity;
  ms: number;
}

/** Nearest-rank percentile of sorted values, in minutes to a tenth. */
function percentileMinutes(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const v = sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return Math.round((v / 60_000) * 10) / 10;
}

const round3 = (v: unknown) => (v == null ? null : Math.round(Number(v) * 1000) / 1000);

/** A packed analysis's trajectory field at `i` (src/analysis/stored-form.ts), or the older object form's `key`. */
const trajectoryField = (i: number, key: string) =>
  sql.raw(
    `CASE WHEN json_type(analysis) = 'array' THEN json_extract(analysis, '$[7][${i}]') ELSE json_extract(analysis, '$.trajectory.${key}') END`,
  );

export async function agentReport(db: Db, targets: AckTargets, window: { from: Date; to: Date }) {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const inWindow = sql`${moments.createdAt} >= ${from} AND ${moments.createdAt} < ${to} AND ${moments.mergedInto} IS NULL`;

  // Who answered each moment first: the acknowledgement, else the resolution (as ackState reads it).
  const responses = await db.all<{ by: string; severity: Severity; wait_ms: number }>(sql`
    SELECT coalesce(${moments.acknowledgedBy}, ${moments.resolvedBy}) AS by, ${moments.severity} AS severity,
      coalesce(${moments.acknowledgedAt}, ${moments.resolvedAt}) - coalesce(${moments.openedAt}, ${moments.createdAt}) AS wait_ms
    FROM ${moments}
    WHERE ${inWindow} AND coalesce(${moments.acknowledgedBy}, ${moments.resolvedBy}) IS NOT NULL`);
  const counts = await db.all<{ by: string; acknowledged: number; resolved: number; closed: number }>(sql`
    SELECT by, sum(kind = 'a') AS acknowledged, sum(kind = 'r') AS resolved, sum(kind = 'c') AS closed FROM (
      SELECT ${moments.acknowledgedBy} AS by, 'a' AS kind FROM ${moments} WHERE ${inWindow} AND ${moments.acknowledgedBy} IS NOT NULL
      UNION ALL SELECT ${moments.resolvedBy}, 'r' FROM ${moments} WHERE ${inWindow} AND ${moments.resolvedBy} IS NOT NULL
      UNION ALL SELECT ${moments.assigneeId}, 'c' FROM ${moments}
        WHERE ${inWindow} AND ${moments.status} = 'closed' AND ${moments.assigneeId} IS NOT NULL)
    GROUP BY by`);

  // The customer's trajectory in each chat and call an agent took: where it started and ended.
  const agentId = sql`json_extract(${interactions.channelData}, '$.agentId')`;
  const conversations = await db.all<{
    agent_id: string;
    n: number;
    start: number;
    end: number;
    improving: number;
    worsening: number;
  }>(sql`
    SELECT ${agentId} AS agent_id, count(*) AS n, avg(${trajectoryField(0, "start")}) AS start,
      avg(${trajectoryField(1, "end")}) AS end,
      sum(${trajectoryField(4, "trend")} = 'improving') AS improving,
      sum(${trajectoryField(4, "trend")} = 'worsening') AS worsening
    FROM ${interactions}
    WHERE ${interactions.occurredAt} >= ${from} AND ${interactions.occurredAt} < ${to}
      AND ${interactions.channel} IN ('chat', 'call_note') AND ${agentId} IS NOT NULL
      AND ${trajectoryField(0, "start")} IS NOT NULL
    GROUP BY agent_id ORDER BY n DESC, agent_id LIMIT ${MAX_TRANSCRIPT_AGENTS + 1}`);
  const truncated = conversations.length > MAX_TRANSCRIPT_AGENTS;
  if (truncated) conversations.pop();

  // A transcript's agent id is a console person when it is their id, `user:<id>` or their username.
  const people = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(
      sql`${users.id} IN (SELECT value FROM json_each(${JSON.stringify(conversations.map((c) => String(c.agent_id).replace(/^user:/, "")))}))
        OR ${users.username} IN (SELECT value FROM json_each(${JSON.stringify(conversations.map((c) => String(c.agent_id).toLowerCase()))}))`,
    );
  const personOfTranscriptId = (id: string) => {
    const bare = id.replace(/^user:/, "");
    const p = people.find((u) => u.id === bare) ?? people.find((u) => u.username === id.toLowerCase());
    return p ? `user:${p.id}` : null;
  };

  const refs = new Set<string>();
  for (const r of responses) refs.add(r.by);
  for (const r of counts) refs.add(r.by);
  const sentimentByRef = new Map<string, (typeof conversations)[number]>();
  for (const c of conversations) {
    const ref = personOfTranscriptId(String(c.agent_id)) ?? `transcript:${c.agent_id}`;
    refs.add(ref);
    sentimentByRef.set(ref, c);
  }
  const names = await actorNames(
    db,
    [...refs].filter((r) => !r.startsWith("transcript:")),
  );

  const waits = new Map<string, Wait[]>();
  for (const r of responses) {
    const list = waits.get(r.by) ?? [];
    list.push({ severity: r.severity, ms: Math.max(0, Number(r.wait_ms)) });
    waits.set(r.by, list);
  }
  const countsByRef = new Map(counts.map((c) => [c.by, c]));

  const items = [...refs].map((ref) => {
    const transcript = sentimentByRef.get(ref);
    const agent: AgentRef = ref.startsWith("transcript:")
      ? { ref: null, name: ref.slice("transcript:".length), kind: "transcript", transcriptId: ref.slice(11) }
      : {
          ref,
          name: names.get(ref) ?? ref,
          kind: ref.startsWith("key:") ? "key" : "person",
          transcriptId: transcript ? String(transcript.agent_id) : null,
        };
    const w = waits.get(ref) ?? [];
    const sorted = w.map((x) => x.ms).sort((a, b) => a - b);
    const bySeverity = [...severities].reverse().map((severity) => {
      const mine = w.filter((x) => x.severity === severity);
      return {
        severity,
        targetMinutes: targets[severity],
        responded: mine.length,
        breached: mine.filter((x) => x.ms > targets[severity] * 60_000).length,
      };
    });
    const c = countsByRef.get(ref);
    return {
      agent,
      handled: {
        acknowledged: Number(c?.acknowledged ?? 0),
        resolved: Number(c?.resolved ?? 0),
        closed: Number(c?.closed ?? 0),
      },
      timeToAcknowledge: {
        responded: w.length,
        medianMinutes: percentileMinutes(sorted, 0.5),
        p90Minutes: percentileMinutes(sorted, 0.9),
        breached: bySeverity.reduce((a, s) => a + s.breached, 0),
        bySeverity,
      },
      sentiment: transcript
        ? {
            conversations: Number(transcript.n),
            start: round3(transcript.start) ?? 0,
            end: round3(transcript.end) ?? 0,
            improving: Number(transcript.improving),
            worsening: Number(transcript.worsening),
          }
        : null,
    };
  });
  items.sort(
    (a, b) => a.agent.name.localeCompare(b.agent.name) || String(a.agent.ref).localeCompare(String(b.agent.ref)),
  );
  return { from: window.from.toISOString(), to: window.to.toISOString(), items, truncated };
}
export type AgentReport = Awaited<ReturnType<typeof agentReport>>;
