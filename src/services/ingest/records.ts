import type { Identifier } from "../identity/normalise.js";
import type { interactions, journeyEvents } from "../../db/schema/index.js";

type InteractionRow = typeof interactions.$inferInsert;
type EventRow = typeof journeyEvents.$inferInsert;

/** An interaction or event ready to store: validated, normalised and analysed, minus ids and customer. */
export type PreparedRecord =
  | { kind: "interaction"; identifiers: Identifier[]; displayName?: string; row: Omit<InteractionRow, "id" | "customerId"> }
  | { kind: "event"; identifiers: Identifier[]; displayName?: string; row: Omit<EventRow, "id" | "customerId"> };

export interface StoredResult {
  id: string;
  customerId: string;
  created: boolean;
}
