import type { Identifier } from "../identity/normalise.js";
import type { interactions, journeyEvents } from "../../db/schema/index.js";

type InteractionRow = typeof interactions.$inferInsert;
type EventRow = typeof journeyEvents.$inferInsert;

/**
 * An interaction or event ready to store: validated, normalised and analysed, minus ids and customer.
 * An interaction's analysis is already JSON: it is serialised by the worker thread that made it, so
 * the event loop never walks (or structured-clones) the object.
 */
export type PreparedRecord =
  | {
      kind: "interaction";
      identifiers: Identifier[];
      displayName?: string;
      row: Omit<InteractionRow, "id" | "customerId" | "analysis"> & { analysis: string | null };
    }
  | { kind: "event"; identifiers: Identifier[]; displayName?: string; row: Omit<EventRow, "id" | "customerId"> };

export interface StoredResult {
  id: string;
  customerId: string;
  created: boolean;
  /** Not stored: a record with this (source, externalId) and another content hash is (a conflict). */
  conflict?: boolean;
}
