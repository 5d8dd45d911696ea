import { eq } from "drizzle-orm";
import { ormFor, writeTransaction, type Db } from "../../db/client.js";
import { moments } from "../../db/schema/index.js";
import { conflict, invalid, notFound } from "../../lib/domain-error.js";
import type { Person } from "../person.js";
import { emitMomentEvent, momentPayload } from "./lifecycle.js";
import { getMoment } from "./views.js";

// Moments as work: who holds one (a person, a team or both), and when it comes back (snooze).

type MomentRow = typeof moments.$inferSelect;

/** Snoozes last at most this long: a moment put away for longer is one to resolve. */
const MAX_SNOOZE_MS = 30 * 86_400_000;

/** Loads a live moment (open or acknowledged) for an action on it, in `tx`. */
async function liveMoment(orm: ReturnType<typeof ormFor>, id: string, action: string): Promise<MomentRow> {
  const [m] = await orm.select().from(moments).where(eq(moments.id, id));
  if (!m || m.mergedInto) throw notFound(`No moment ${id}.`);
  if (m.status === "resolved" || m.status === "closed")
    throw conflict(`Moment ${id} is ${m.status}; only open or acknowledged moments can be ${action}.`);
  return m;
}

export interface Assignment {
  /** The person to hold it; null takes it from whoever holds it. Absent: unchanged. */
  person?: Person | null;
  /** The team whose queue it sits in; null takes it out. Absent: unchanged. */
  team?: string | null;
}

/**
 * Puts a moment in a person's or a team's hands (or both), recording who did it; `moment.assigned`
 * goes to the stream and the webhooks. Assigning what is already so changes nothing and sends nothing.
 */
export async function assignMoment(db: Db, id: string, to: Assignment, by: Person, now: Date) {
  if (to.person === undefined && to.team === undefined)
    throw invalid("Name a person, a team or both.", [
      { field: "person", pointer: "/person", message: "is required when team is absent" },
    ]);
  await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const m = await liveMoment(orm, id, "assigned");
    const person =
      to.person === undefined ? (m.assigneeId ? { id: m.assigneeId, name: String(m.assigneeName) } : null) : to.person;
    const team = to.team === undefined ? m.team : to.team;
    if ((person?.id ?? null) === m.assigneeId && team === m.team) return;
    await orm
      .update(moments)
      .set({
        assigneeId: person?.id ?? null,
        assigneeName: person?.name ?? null,
        team,
        assignedAt: now,
        assignedBy: by.id,
        updatedAt: now,
      })
      .where(eq(moments.id, id));
    await emitMomentEvent(
      tx,
      "moment.assigned",
      { ...momentPayload(m), assignee: person, team, by: by.id, byName: by.name, at: now.toISOString() },
      now.getTime(),
    );
  });
  return getMoment(db, id);
}

/** Takes a moment for oneself: refused while another person holds it (a supervisor reassigns instead). */
export async function claimMoment(db: Db, id: string, person: Person, now: Date) {
  const [m] = await db
    .select({ assigneeId: moments.assigneeId, name: moments.assigneeName })
    .from(moments)
    .where(eq(moments.id, id));
  if (m?.assigneeId && m.assigneeId !== person.id)
    throw conflict(`Moment ${id} is held by ${m.name ?? m.assigneeId}; ask a supervisor to reassign it.`);
  return assignMoment(db, id, { person }, person, now);
}

/** Hides a moment from the queue views until `until`; a new signal wakes it sooner. */
export async function snoozeMoment(db: Db, id: string, until: Date, by: Person, now: Date) {
  const ms = until.getTime() - now.getTime();
  if (ms <= 0 || ms > MAX_SNOOZE_MS)
    throw invalid("A snooze ends in the future, within 30 days.", [
      { field: "until", pointer: "/until", message: ms <= 0 ? "must be in the future" : "must be within 30 days" },
    ]);
  await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const m = await liveMoment(orm, id, "snoozed");
    await orm.update(moments).set({ snoozedUntil: until, updatedAt: now }).where(eq(moments.id, id));
    // The live stream shows it; no webhook subscribes to a snooze.
    await emitMomentEvent(
      tx,
      "moment.snoozed",
      { ...momentPayload(m), until: until.toISOString(), by: by.id, byName: by.name, at: now.toISOString() },
      now.getTime(),
      true,
    );
  });
  return getMoment(db, id);
}
