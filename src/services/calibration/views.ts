import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { calibrationAudit, calibrations } from "../../db/schema/index.js";
import { notFound } from "../../lib/domain-error.js";

type CalibrationRow = typeof calibrations.$inferSelect;
type AuditRow = typeof calibrationAudit.$inferSelect;

export function calibrationView(c: CalibrationRow, audit: AuditRow[]) {
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
    createdAt: c.createdAt.toISOString(),
    activated: c.activatedAt ? { by: String(c.activatedBy), at: c.activatedAt.toISOString() } : null,
    audit: audit.map((a) => ({
      action: a.action,
      by: a.actor,
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
  return calibrationView(row, trail);
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
  return {
    active: active ? { id: active.id, version: active.version } : null,
    items: rows.map((r) => calibrationView(r, [])),
    audit: audit.map((a) => ({
      action: a.action,
      by: a.actor,
      at: a.at.toISOString(),
      calibrationId: a.calibrationId,
      previousId: a.previousId,
    })),
  };
}
