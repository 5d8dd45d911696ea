import type { InStatement, Transaction } from "@libsql/client";
import { insertStatements, type SqlValue } from "../../db/insert-values.js";
import type { Identifier } from "../identity/normalise.js";
import type { PreparedRecord } from "./records.js";

// The ingest hot path writes with hand-built multi-row SQL instead of Drizzle's query builder, which
// costs ~57 µs per row here (a third of the whole write). Column lists follow src/db/schema; the
// ingest tests read every column back through Drizzle, so a drift fails them.

type Value = SqlValue;
type Column<T> = [name: string, get: (row: T) => Value];

// Hot per-row code in this file uses loops and module-level functions, not closures made per call:
// V8 drops a closure's optimised code once the closure is garbage, so closures made per batch were
// compiled again every few batches (~250 compilations per 30,000 interactions).
function insertRows<T>(tx: Transaction, out: InStatement[], table: string, columns: Column<T>[], rows: T[]): void {
  if (rows.length === 0) return;
  const values: Value[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row: Value[] = new Array(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = columns[c][1](rows[r]);
    values[r] = row;
  }
  for (const st of insertStatements(tx, table, columnNames(columns), values)) out.push(st);
}

const columnNamesOf = new WeakMap<object, string[]>();
function columnNames<T>(columns: Column<T>[]): string[] {
  let names = columnNamesOf.get(columns);
  if (!names) columnNamesOf.set(columns, (names = columns.map(([name]) => name)));
  return names;
}

const json = (v: unknown): Value => (v === null || v === undefined ? null : JSON.stringify(v));
const time = (d: Date | null | undefined): Value => (d ? d.getTime() : null);
const opt = (v: string | number | null | undefined): Value => v ?? null;

/** A record's row with the id and customer given to it here (not copied into one object: ~20 fields per record). */
interface Linked<Row> {
  row: Row;
  id: string;
  customerId: string;
}
type InteractionRow = Linked<Extract<PreparedRecord, { kind: "interaction" }>["row"]>;
type EventRow = Linked<Extract<PreparedRecord, { kind: "event" }>["row"]>;
interface CustomerRow {
  id: string;
  displayName: string | null;
  at: number;
}
interface IdentityRow extends Identifier {
  id: string;
  customerId: string;
  at: number;
}

interface CapAuditRow {
  id: string;
  customerId: string;
  details: string;
  at: number;
}

const customerColumns: Column<CustomerRow>[] = [
  ["id", (r) => r.id],
  ["display_name", (r) => r.displayName],
  ["created_at", (r) => r.at],
  ["updated_at", (r) => r.at],
];
const identityColumns: Column<IdentityRow>[] = [
  ["id", (r) => r.id],
  ["customer_id", (r) => r.customerId],
  ["kind", (r) => r.kind],
  ["value", (r) => r.value],
  ["created_at", (r) => r.at],
];
// identity_events as src/services/identity/merge.ts's audit() writes them, for the cap_reached rows.
const capAuditColumns: Column<CapAuditRow>[] = [
  ["id", (r) => r.id],
  ["customer_id", (r) => r.customerId],
  ["action", () => "cap_reached"],
  ["rule", () => "max per kind"],
  ["details", (r) => r.details],
  ["merge_id", () => null],
  ["actor", () => "system"],
  ["created_at", (r) => r.at],
];
const interactionColumns: Column<InteractionRow>[] = [
  ["id", (r) => r.id],
  ["source", (r) => r.row.source],
  ["external_id", (r) => r.row.externalId],
  ["channel", (r) => r.row.channel],
  ["customer_id", (r) => r.customerId],
  ["occurred_at", (r) => time(r.row.occurredAt)],
  ["received_at", (r) => time(r.row.receivedAt)],
  ["subject", (r) => opt(r.row.subject)],
  ["text", (r) => r.row.text],
  ["turns", (r) => json(r.row.turns)],
  ["channel_data", (r) => json(r.row.channelData)],
  ["metadata", (r) => json(r.row.metadata)],
  ["analysis", (r) => r.row.analysis],
  ["analysis_version", (r) => opt(r.row.analysisVersion)],
  ["sentiment_score", (r) => opt(r.row.sentimentScore)],
  ["complaint_risk", (r) => opt(r.row.complaintRisk)],
  ["flagged", (r) => (r.row.flagged ? 1 : 0)],
  ["need_ids", (r) => opt(r.row.needIds)],
  ["topic_ids", (r) => opt(r.row.topicIds)],
  ["content_hash", (r) => opt(r.row.contentHash)],
  ["created_at", (r) => time(r.row.createdAt)],
];
const eventColumns: Column<EventRow>[] = [
  ["id", (r) => r.id],
  ["source", (r) => r.row.source],
  ["external_id", (r) => r.row.externalId],
  ["customer_id", (r) => r.customerId],
  ["type", (r) => r.row.type],
  ["name", (r) => opt(r.row.name)],
  ["status", (r) => opt(r.row.status)],
  ["amount", (r) => opt(r.row.amount)],
  ["currency", (r) => opt(r.row.currency)],
  ["occurred_at", (r) => time(r.row.occurredAt)],
  ["received_at", (r) => time(r.row.receivedAt)],
  ["attributes", (r) => json(r.row.attributes)],
  ["content_hash", (r) => opt(r.row.contentHash)],
  ["created_at", (r) => time(r.row.createdAt)],
];

export interface PendingRows {
  customers: CustomerRow[];
  /** Identifiers refused by a per-kind cap, as identity_events rows (action cap_reached). */
  audits: CapAuditRow[];
  identities: IdentityRow[];
  interactions: InteractionRow[];
  events: EventRow[];
}

/** Appends the inserts of the rows gathered so far to `out` (before a merge, which moves them, and at the end). */
export function flush(tx: Transaction, out: InStatement[], pending: PendingRows) {
  insertRows(tx, out, "customers", customerColumns, pending.customers);
  insertRows(tx, out, "identities", identityColumns, pending.identities);
  insertRows(tx, out, "interactions", interactionColumns, pending.interactions);
  insertRows(tx, out, "journey_events", eventColumns, pending.events);
  insertRows(tx, out, "identity_events", capAuditColumns, pending.audits);
  pending.customers = [];
  pending.identities = [];
  pending.interactions = [];
  pending.events = [];
  pending.audits = [];
}
