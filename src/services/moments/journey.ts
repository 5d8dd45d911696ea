import type { InStatement, ResultSet, Transaction } from "@libsql/client";
import { readStatement, rowsFrom, type RowsRead } from "../../db/json-rows.js";
import type { JourneyItem } from "../../journeys/journey-risk.js";
import { PACKED } from "../../analysis/stored-form.js";

// Read inside the ingest transaction that scores the records it stores: hand-built SQL on that
// transaction, its rows named per statement.
interface InteractionRow {
  customer_id: string;
  id: string;
  occurred_at: number;
  channel: string;
  sentiment_score: number | null;
  complaint_risk: number | null;
  pub: number | null;
  wait: number | null;
  hold: number | null;
  needs: string | null;
  topics: string | null;
  unread: string | null;
}
interface EventRow {
  customer_id: string;
  id: string;
  occurred_at: number;
  type: string;
  status: string | null;
}

/**
 * The language of a contact Earshot did not analyse, else null. Only a row without a sentiment score
 * can be one, so the analysis JSON of the others is never parsed (positions: src/analysis/stored-form.ts).
 */
const UNREAD_LANGUAGE = `CASE WHEN i.sentiment_score IS NULL AND json_type(i.analysis) = 'array' AND i.analysis ->> '$[${PACKED.language}][2]' = 0
  THEN i.analysis ->> '$[${PACKED.language}][0]' END`;

/** Per kind, the most recent items a journey score reads; a very active customer's older contacts add little. */
export const MAX_ITEMS = 300;

/**
 * Journeys of many customers at once, each in its own window: one query per table instead of two per
 * customer. The windows travel as one JSON parameter (`[[customerId, from, to], …]`) read with
 * json_each and joined on the (customer_id, occurred_at) indexes, so the SQL is the same whatever the
 * number of customers and stays prepared: a VALUES list of 300 windows took ~1 ms to prepare each time,
 * about a fifth of the query. Each window reads at most the latest MAX_ITEMS of each kind (a reverse
 * scan of the index per customer), so a very active customer costs a bounded amount inside the write
 * transaction that scores it.
 */
export async function loadJourneys(
  reader: Pick<Transaction, "execute">,
  windows: Array<{ customerId: string; from: number; to: number }>,
): Promise<Map<string, JourneyItem[]>> {
  const [forInteractions, forEvents] = journeyStatements(windows);
  return journeysFrom(await reader.execute(forInteractions), await reader.execute(forEvents));
}

const interactionRead: RowsRead = {
  columns: [
    "customer_id",
    "id",
    "occurred_at",
    "channel",
    "sentiment_score",
    "complaint_risk",
    "pub",
    "wait",
    "hold",
    "needs",
    "topics",
    "unread",
  ],
  floats: ["sentiment_score", "complaint_risk", "wait", "hold"],
};
const eventRead: RowsRead = { columns: ["customer_id", "id", "occurred_at", "type", "status"] };

/**
 * The two reads loadJourneys makes (interactions, events), for a caller that batches them with others;
 * given the write transaction `tx`, shaped for it (through a server, each answer as one JSON text).
 */
export function journeyStatements(
  windows: Array<{ customerId: string; from: number; to: number }>,
  tx?: Transaction,
): [InStatement, InStatement] {
  const tuples: Array<[string, number, number]> = new Array(windows.length);
  for (let i = 0; i < windows.length; i++) tuples[i] = [windows[i].customerId, windows[i].from, windows[i].to];
  const args = [JSON.stringify(tuples)];
  const [forInteractions, forEvents] = journeyReads(args);
  return tx
    ? [readStatement(tx, forInteractions, interactionRead), readStatement(tx, forEvents, eventRead)]
    : [forInteractions, forEvents];
}

function journeyReads(args: string[]): [InStatement, InStatement] {
  return [
    {
      sql: `SELECT i.customer_id, i.id, i.occurred_at, i.channel, i.sentiment_score, i.complaint_risk,
        json_extract(i.channel_data, '$.public') AS pub, json_extract(i.channel_data, '$.waitSeconds') AS wait, json_extract(i.channel_data, '$.holdSeconds') AS hold,
        i.need_ids AS needs, i.topic_ids AS topics,
        ${UNREAD_LANGUAGE} AS unread
      FROM json_each(?) w JOIN interactions i ON i.rowid IN (
        SELECT rowid FROM interactions WHERE customer_id = w.value ->> 0 AND occurred_at >= w.value ->> 1 AND occurred_at <= w.value ->> 2
        ORDER BY occurred_at DESC LIMIT ${MAX_ITEMS})`,
      args,
    },
    {
      sql: `SELECT e.customer_id, e.id, e.occurred_at, e.type, e.status
      FROM json_each(?) w JOIN journey_events e ON e.rowid IN (
        SELECT rowid FROM journey_events WHERE customer_id = w.value ->> 0 AND occurred_at >= w.value ->> 1 AND occurred_at <= w.value ->> 2
        ORDER BY occurred_at DESC LIMIT ${MAX_ITEMS})`,
      args,
    },
  ];
}

/** Journeys by customer, in time order, from the answers to journeyStatements. */
export function journeysFrom(interactionRows: ResultSet, eventRows: ResultSet): Map<string, JourneyItem[]> {
  const out = new Map<string, JourneyItem[]>();
  const interactions = rowsFrom<InteractionRow>(interactionRows, interactionRead);
  const events = rowsFrom<EventRow>(eventRows, eventRead);
  for (const r of interactions) {
    pushItem(out, r.customer_id, {
      kind: "interaction",
      id: r.id,
      occurredAt: r.occurred_at,
      channel: r.channel,
      sentiment: num(r.sentiment_score),
      risk: num(r.complaint_risk),
      needs: list(r.needs),
      topics: list(r.topics),
      public: r.pub === null ? undefined : r.pub === 1,
      waitSeconds: num(r.wait),
      holdSeconds: num(r.hold),
      unreadLanguage: r.unread ?? undefined,
    });
  }
  for (const r of events)
    pushItem(out, r.customer_id, {
      kind: "event",
      id: r.id,
      occurredAt: r.occurred_at,
      type: r.type,
      status: r.status,
    });
  // Both kinds in time order (ids break ties, so the order is the same on every read).
  for (const items of out.values()) items.sort(byTimeThenId);
  return out;
}

// Module-level, not made per call: V8 drops a closure's optimised code once the closure is garbage,
// so helpers made per batch were compiled again every few batches.
const list = (v: string | null) => (v === null ? [] : v.split(","));
const num = (v: number | null) => (v === null ? undefined : v);
const byTimeThenId = (a: JourneyItem, b: JourneyItem) =>
  a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function pushItem(out: Map<string, JourneyItem[]>, customerId: string, item: JourneyItem) {
  const items = out.get(customerId);
  if (items) items.push(item);
  else out.set(customerId, [item]);
}

/** The journey's items at or after `from` (journeys are in time order). */
export function itemsSince(journey: JourneyItem[], from: number): JourneyItem[] {
  let first = 0;
  while (first < journey.length && journey[first].occurredAt < from) first++;
  return first === 0 ? journey : journey.slice(first);
}
