import { count } from "drizzle-orm";
import { writeTransaction, ormFor, type Db } from "../../db/client.js";
import { calibrationAudit, calibrations } from "../../db/schema/index.js";
import { conflict } from "../../lib/domain-error.js";
import { newId } from "../../lib/ids.js";
import { fitComplaint } from "./fit-complaint.js";
import { fitMoments } from "./fit-moments.js";
import { MIN_EACH_WAY, MIN_VERDICTS } from "./minimum.js";
import type { CalibrationState } from "./state.js";
import { actorNames } from "../people/actor-names.js";
import { calibrationView } from "./views.js";

export interface ProposeInput {
  /** The window, in days before now, the fit and its effect are measured on. */
  days: number;
  /** Recall to keep, as a share of the recall in force: the threshold is the most precise one that keeps it. */
  keepRecall: number;
}

const DAY = 86_400_000;

/**
 * Fits a calibration from the verdicts on flags raised in the last `days` days and stores it as a
 * proposal with its effect on the same window: flags before and after, precision and recall before
 * and after, which reasons gain or lose weight. Nothing changes until an admin activates it. A kind
 * with too few verdicts keeps what is in force; with too few of both, nothing is proposed (conflict).
 */
export async function proposeCalibration(
  db: Db,
  state: CalibrationState,
  input: ProposeInput,
  actor: string,
  now: Date,
) {
  const to = now;
  const from = new Date(now.getTime() - input.days * DAY);
  const complaint = await fitComplaint(db, state, from, to, input.keepRecall);
  const moments = await fitMoments(db, state, from, to, input.keepRecall);
  if (!complaint.complaint && !moments.rules)
    throw conflict(
      `Too few verdicts in the last ${input.days} days to calibrate: ${complaint.fit.why}; ${moments.fit.why}.`,
    );
  const fit = {
    minVerdicts: MIN_VERDICTS,
    minEachWay: MIN_EACH_WAY,
    keepRecall: input.keepRecall,
    interaction: complaint.fit,
    moment: moments.fit,
  };
  const effect = {
    from: from.toISOString(),
    to: to.toISOString(),
    days: input.days,
    interactions: complaint.effect,
    moments: moments.effect,
  };
  const row = await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [{ n }] = await orm.select({ n: count() }).from(calibrations);
    const id = newId("cal", now.getTime());
    const [inserted] = await orm
      .insert(calibrations)
      .values({
        id,
        version: `c${n + 1}`,
        status: "proposed",
        windowDays: input.days,
        complaint: complaint.complaint,
        momentRules: moments.rules,
        fit,
        effect,
        createdBy: actor,
        createdAt: now,
      })
      .returning();
    await orm.insert(calibrationAudit).values({
      id: newId("cau", now.getTime()),
      calibrationId: id,
      action: "proposed",
      actor,
      previousId: state.active?.id ?? null,
      at: now,
    });
    return inserted;
  });
  return calibrationView(row, [], await actorNames(db, [row.createdBy]));
}
