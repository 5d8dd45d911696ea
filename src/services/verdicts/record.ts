import type { Transaction } from "@libsql/client";
import { and, eq, isNull } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { maskText, type PiiRules } from "../../analysis/masking.js";
import { analysisFrom } from "../../analysis/stored-form.js";
import { ormFor, writeTransaction, type Db } from "../../db/client.js";
import type * as schema from "../../db/schema/index.js";
import { interactions, moments, verdicts, type VerdictSubject } from "../../db/schema/index.js";
import type { VerdictInput } from "../../contracts/verdicts.js";
import { invalid, notFound } from "../../lib/domain-error.js";
import { fieldError } from "../../lib/field-errors.js";
import { newId } from "../../lib/ids.js";
import { verdictView } from "./views.js";
import type { Actor } from "../people/principal.js";

/** Who gives a verdict (a person, or the key of a system) and where from. */
export interface VerdictActor extends Actor {
  via: "api" | "console";
}

/** The flag being judged, as the verdict keeps it. */
interface JudgedFlag {
  customerId: string;
  flagged: boolean;
  risk: number;
  severity: string | null;
  channel: string | null;
  reasonCodes: string[];
  reasonWeights: Record<string, number>;
  flaggedAt: Date;
  rulesVersion: string | null;
}

type Orm = LibSQLDatabase<typeof schema>;

async function momentFlag(orm: Orm, id: string): Promise<JudgedFlag> {
  const [m] = await orm.select().from(moments).where(eq(moments.id, id));
  if (!m) throw notFound(`No moment ${id}.`);
  // A moment's channel is its triggering contact's; a moment raised by a journey event has none.
  const [trigger] = await orm
    .select({ channel: interactions.channel })
    .from(interactions)
    .where(eq(interactions.id, m.triggerId));
  return {
    customerId: m.customerId,
    flagged: true,
    risk: m.risk,
    severity: m.severity,
    channel: trigger?.channel ?? null,
    reasonCodes: m.reasons.map((r) => r.code),
    reasonWeights: Object.fromEntries(m.reasons.map((r) => [r.code, r.weight])),
    flaggedAt: m.triggerAt,
    rulesVersion: m.rulesVersion,
  };
}

async function interactionFlag(orm: Orm, id: string): Promise<JudgedFlag> {
  const [row] = await orm
    .select({
      customerId: interactions.customerId,
      channel: interactions.channel,
      flagged: interactions.flagged,
      risk: interactions.complaintRisk,
      analysis: interactions.analysis,
      occurredAt: interactions.occurredAt,
      version: interactions.analysisVersion,
    })
    .from(interactions)
    .where(eq(interactions.id, id));
  if (!row) throw notFound(`No interaction ${id}.`);
  const reasons = row.analysis ? analysisFrom(row.analysis).complaint.reasons : [];
  return {
    customerId: row.customerId,
    flagged: row.flagged,
    risk: row.risk ?? 0,
    severity: null,
    channel: row.channel,
    reasonCodes: reasons.map((r) => r.code),
    reasonWeights: Object.fromEntries(reasons.map((r) => [r.code, r.weight])),
    flaggedAt: row.occurredAt,
    rulesVersion: row.version,
  };
}

/** Refuses a verdict that does not fit its subject, naming the field to change. */
function checkFits(kind: VerdictSubject, flag: JudgedFlag, input: VerdictInput) {
  const wrongVerdict = (message: string) =>
    invalid("The verdict does not fit this flag.", [fieldError(["verdict"], message)]);
  if (kind === "moment" && input.verdict === "missed")
    throw wrongVerdict(
      "must be confirmed or false_alarm: a moment is a flag, and missed is for an interaction that was not flagged",
    );
  if (kind === "interaction" && flag.flagged && input.verdict === "missed")
    throw wrongVerdict("must be confirmed or false_alarm: the interaction was flagged");
  if (kind === "interaction" && !flag.flagged && input.verdict !== "missed")
    throw wrongVerdict("must be missed: the interaction was not flagged");
  if (input.reason !== undefined && !flag.reasonCodes.includes(input.reason)) {
    const allowed = flag.reasonCodes.length
      ? `must be one of the flag's reasons: ${flag.reasonCodes.join(", ")}`
      : "must be left out: the flag has no reasons";
    throw invalid("The reason is not one of the flag's own.", [fieldError(["reason"], allowed)]);
  }
}

/**
 * Records a verdict on a moment or an interaction. The same person's current verdict on the subject is
 * superseded in the same transaction (its row stays, with `superseded_at`), so each person has one
 * current verdict per subject and the history of changes of mind is kept. The note is masked when
 * `pii` is given (REDACT_PII), by the rules that mask every other stored text.
 */
export async function recordVerdict(
  db: Db,
  subject: { kind: VerdictSubject; id: string },
  input: VerdictInput,
  by: VerdictActor,
  now: Date,
  pii?: PiiRules,
) {
  const note = input.note === undefined ? null : pii ? maskText(input.note, pii) : input.note;
  const row = await writeTransaction(db, async (tx: Transaction) => {
    const orm = ormFor(tx);
    const flag = subject.kind === "moment" ? await momentFlag(orm, subject.id) : await interactionFlag(orm, subject.id);
    checkFits(subject.kind, flag, input);
    await orm
      .update(verdicts)
      .set({ supersededAt: now })
      .where(
        and(
          eq(verdicts.subjectKind, subject.kind),
          eq(verdicts.subjectId, subject.id),
          eq(verdicts.actor, by.ref),
          isNull(verdicts.supersededAt),
        ),
      );
    const [inserted] = await orm
      .insert(verdicts)
      .values({
        id: newId("vrd", now.getTime()),
        subjectKind: subject.kind,
        subjectId: subject.id,
        verdict: input.verdict,
        reason: input.reason ?? null,
        note,
        actor: by.ref,
        actorName: by.name,
        via: by.via,
        ...flag,
        createdAt: now,
      })
      .returning();
    return inserted;
  });
  return verdictView(row);
}
