import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { calibrationAudit, calibrations } from "../../db/schema/index.js";
import { notFound } from "../../lib/domain-error.js";
import { actorNames } from "../people/actor-names.js";

type CalibrationRow = typeof calibrations.$inferSelect;
type AuditRow = typeof calibrationAudit.$inferSelect;

/**
 * A calibration as the API shows it. `names` maps actor references (`user:<id>`, `key:<id>`) to the
 * person's or key's name (actorNames); a reference it lacks is shown as itself.
 */
export function calibrationView(c: CalibrationRow, audit: AuditRow[], names: ReadonlyMap<string, string> = new Map()) {
  const nameOf = (ref: string) => names.get(ref) ?? ref;
  return {
    id: c.id,
    version: c.version,
    status: c.status,
    windowDays: c.windowDays,
    complaint: c.complaint ?? null,
    momentRules: c.momentRules ?? null,
    fit: c.fit,
    effect: c.effect,
    createdBy: c.createdBy,
    createdByName: nameOf(c.createdBy),
    createdAt: c.createdAt.toISOString(),
    activated: c.activatedAt
      ? { by: String(c.activatedBy), byName: nameOf(String(c.activatedBy)), at: c.activatedAt.toISOString() }
      : null,
    audit: audit.map((a) => ({
      action: a.action,
      by: a.actor,
      byName: nameOf(a.actor),
      at: a.at.toISOString(),
      calibrationId: a.calibrationId,
      previousId: a.previousId,
    })),
  };
}
export type CalibrationView = ReturnType<typeof calibrationView>;

export async function getCalibration(db: Db, id: string): Promise<CalibrationView> {
  const [row] = await db.select().from(calibrations).where(eq(calibrations.id, id));
  if (!row) throw notFound(`No calibration ${id}.`);
  const trail = await db
    .select()
    .from(calibrationAudit)
    .where(eq(calibrationAudit.calibrationId, id))
    .orderBy(asc(calibrationAudit.at), asc(calibrationAudit.id));
  return calibrationView(
    row,
    trail,
    await actorNames(db, [row.createdBy, row.activatedBy, ...trail.map((a) => a.actor)]),
  );
}

/** The newest calibrations (at most `limit`), and the audit of every proposal, activation and rollback. */
export async function listCalibrations(db: Db, limit: number) {
  const rows = await db
    .select()
    .from(calibrations)
    .orderBy(desc(calibrations.createdAt), desc(calibrations.id))
    .limit(limit);
  const audit = await db
    .select()
    .from(calibrationAudit)
    .orderBy(desc(calibrationAudit.at), desc(calibrationAudit.id))
    .limit(200);
  const active =
    rows.find((r) => r.status === "active") ??
    (await db.select().from(calibrations).where(eq(calibrations.status, "active")))[0];
  const names = await actorNames(db, [
    ...rows.flatMap((r) => [r.createdBy, r.activatedBy]),
    ...audit.map((a) => a.actor),
  ]);
  return {
    active: active ? { id: active.id, version: active.version } : null,
    items: rows.map((r) => calibrationView(r, [], names)),
    audit: audit.map((a) => ({
      action: a.action,
      by: a.actor,
      byName: names.get(a.actor) ?? a.actor,
      at: a.at.toISOString(),
      calibrationId: a.calibrationId,
      previousId: a.previousId,
    })),
  };
}
