import { and, desc, eq } from "drizzle-orm";
import { ormFor, writeTransaction, type Db } from "../../db/client.js";
import { calibrationAudit, calibrations } from "../../db/schema/index.js";
import { conflict, notFound } from "../../lib/domain-error.js";
import { newId } from "../../lib/ids.js";
import type { CalibrationState } from "./state.js";
import { getCalibration } from "./views.js";

/**
 * Puts a calibration in force: it becomes the one active version (the one before is retired) and is
 * audited with who, when and what was in force before. Any calibration may be activated again,
 * proposed or retired: that is how an older version comes back.
 */
export async function activateCalibration(db: Db, state: CalibrationState, id: string, actor: string, now: Date) {
  await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [row] = await orm.select({ status: calibrations.status }).from(calibrations).where(eq(calibrations.id, id));
    if (!row) throw notFound(`No calibration ${id}.`);
    if (row.status === "active") throw conflict(`Calibration ${id} is already active.`);
    const [previous] = await orm
      .select({ id: calibrations.id })
      .from(calibrations)
      .where(eq(calibrations.status, "active"));
    if (previous) await orm.update(calibrations).set({ status: "retired" }).where(eq(calibrations.id, previous.id));
    await orm
      .update(calibrations)
      .set({ status: "active", activatedBy: actor, activatedAt: now })
      .where(eq(calibrations.id, id));
    await orm.insert(calibrationAudit).values({
      id: newId("cau", now.getTime()),
      calibrationId: id,
      action: "activated",
      actor,
      previousId: previous?.id ?? null,
      at: now,
    });
  });
  await state.refresh();
  return getCalibration(db, id);
}

/**
 * Undoes the last activation: the calibration in force is retired and the one it replaced (or the
 * shipped rules, when it replaced none) is in force again, audited as a rollback.
 */
export async function rollbackCalibration(db: Db, state: CalibrationState, actor: string, now: Date) {
  const restored = await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [current] = await orm
      .select({ id: calibrations.id })
      .from(calibrations)
      .where(eq(calibrations.status, "active"));
    if (!current) throw conflict("The shipped rules are in force: there is nothing to roll back.");
    const [activation] = await orm
      .select({ previousId: calibrationAudit.previousId })
      .from(calibrationAudit)
      .where(and(eq(calibrationAudit.calibrationId, current.id), eq(calibrationAudit.action, "activated")))
      .orderBy(desc(calibrationAudit.at), desc(calibrationAudit.id))
      .limit(1);
    const previousId = activation?.previousId ?? null;
    await orm.update(calibrations).set({ status: "retired" }).where(eq(calibrations.id, current.id));
    if (previousId)
      await orm
        .update(calibrations)
        .set({ status: "active", activatedBy: actor, activatedAt: now })
        .where(eq(calibrations.id, previousId));
    await orm.insert(calibrationAudit).values({
      id: newId("cau", now.getTime()),
      calibrationId: previousId,
      action: "rolled_back",
      actor,
      previousId: current.id,
      at: now,
    });
    return previousId;
  });
  await state.refresh();
  return { active: restored ? await getCalibration(db, restored) : null };
}
