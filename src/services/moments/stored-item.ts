export interface StoredItem {
  /** The interaction's or event's id (its scoring_backlog row). */
  recordId: string;
  customerId: string;
  occurredAt: number;
  /** Set for interactions: what an `interaction.analyzed` webhook carries. */
  interaction?: { id: string; channel: string; sentiment: number | null; risk: number | null; flagged: boolean };
}

export const customersOf = (items: StoredItem[]): Set<string> => {
  const out = new Set<string>();
  for (const i of items) out.add(i.customerId);
  return out;
};
