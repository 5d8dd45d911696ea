/**
 * Someone who acts on moments: an id that stays the same across their sessions, and the name shown
 * for it. Stored as two columns wherever an action is recorded, so records read well without a join.
 */
export interface Person {
  id: string;
  name: string;
}

/** The system itself, for what the sweep and ingest do. */
export const SYSTEM: Person = { id: "system", name: "Earshot" };
