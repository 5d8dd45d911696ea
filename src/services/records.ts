import { eq } from "drizzle-orm";
import { analysisFrom } from "../analysis/stored-form.js";
import type { Db } from "../db/client.js";
import { interactions, journeyEvents } from "../db/schema/index.js";
import { notFound } from "../lib/domain-error.js";

/** One stored interaction with its analysis as the result it is (it is stored packed: src/analysis/stored-form.ts). */
export async function readInteraction(db: Db, id: string) {
  const [row] = await db.select().from(interactions).where(eq(interactions.id, id));
  if (!row) throw notFound(`No interaction ${id}.`);
  // Need and topic id lists are kept for SQL filters; the analysis carries the same ids in full.
  const { needIds: _needs, topicIds: _topics, analysis, ...view } = row;
  return { ...view, analysis: analysis ? analysisFrom(analysis) : null };
}

/** One stored journey event. */
export async function readEvent(db: Db, id: string) {
  const [row] = await db.select().from(journeyEvents).where(eq(journeyEvents.id, id));
  if (!row) throw notFound(`No event ${id}.`);
  return row;
}
