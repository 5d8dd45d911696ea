import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { covariatesOf } from "../../calibration/covariates.js";
import { probabilityOf } from "../../calibration/probability.js";
import { PACKED } from "../../analysis/stored-form.js";
import type { Db } from "../../db/client.js";
import { calibrations, type ComplaintCalibration } from "../../db/schema/index.js";
import type { MomentRules } from "../../journeys/journey-risk.js";
import type { AnalysisRecord } from "../../workers/analysis-record.js";
import type { MomentScorer } from "../moments/scoring.js";
import type { FlagThresholds } from "../verdicts/quality.js";
import { complaintReasonCodes } from "./data.js";

/** The rules a moment was scored with, named as moments.rules_version names them. */
export const calibratedRulesVersion = (calibrationVersion: string, rules: MomentRules) =>
  `${calibrationVersion}:${createHash("sha256").update(JSON.stringify(rules)).digest("hex").slice(0, 12)}`;

export interface ActiveCalibration {
  id: string;
  version: string;
  complaint: ComplaintCalibration | null;
  momentRules: MomentRules | null;
}

export interface ShippedRules {
  complaintThreshold: number;
  momentRules: MomentRules;
  momentRulesVersion: string;
}

/**
 * The calibration in force in this process: what ingest flags interactions with and what the moment
 * scorer scores with. Every process reads the active row when it starts and then polls it (one indexed
 * query every `POLL_MS`), so an activation in one process of a cluster reaches the others within a
 * poll; the process that activates refreshes at once.
 */
export class CalibrationState {
  #active: ActiveCalibration | null = null;
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly shipped: ShippedRules,
    private readonly scorer: MomentScorer,
  ) {}

  get active(): ActiveCalibration | null {
    return this.#active;
  }

  get shippedRules(): ShippedRules {
    return this.shipped;
  }

  /** The moment rules in force and their version. */
  get momentRules(): { rules: MomentRules; version: string } {
    return this.scorer.currentRules;
  }

  /** Reads the active calibration and puts it in force when it changed. */
  async refresh(): Promise<void> {
    const [row] = await this.db
      .select({
        id: calibrations.id,
        version: calibrations.version,
        complaint: calibrations.complaint,
        momentRules: calibrations.momentRules,
      })
      .from(calibrations)
      .where(eq(calibrations.status, "active"));
    if ((row?.id ?? null) === (this.#active?.id ?? null)) return;
    this.#active = row ?? null;
    const rules = row?.momentRules;
    if (row && rules) this.scorer.useRules(rules, calibratedRulesVersion(row.version, rules));
    else this.scorer.useRules(this.shipped.momentRules, this.shipped.momentRulesVersion);
  }

  start(pollMs = POLL_MS) {
    this.#timer = setInterval(() => void this.refresh().catch(() => undefined), pollMs);
    this.#timer.unref();
  }

  stop() {
    clearInterval(this.#timer);
  }

  /** The thresholds flags are raised at now, with the probability map quality measures interactions by. */
  thresholds(): FlagThresholds {
    const complaint = this.#active?.complaint;
    return {
      interaction: complaint?.threshold ?? this.shipped.complaintThreshold,
      moment: this.scorer.currentRules.rules.threshold,
      ...(complaint
        ? {
            probability: (risk: number, covariates?: readonly string[]) =>
              probabilityOf(complaint.map, risk, covariates),
          }
        : {}),
    };
  }

  /**
   * An analysis as the calibration in force flags it: the flag follows the calibrated probability of
   * its risk (the risk itself stays the analysis's), the stored result carries the same flag and the
   * probability threshold, and the version names the calibration (`<lexicons>+c3`). A logistic map
   * reads the interaction's covariates: `channel`, and the reason codes and needs of the analysis.
   */
  apply = (record: AnalysisRecord, channel?: string): AnalysisRecord => {
    const active = this.#active;
    if (!active?.complaint) return record;
    const { map, threshold } = active.complaint;
    const covariates =
      map.method === "logistic"
        ? covariatesOf(
            channel ?? null,
            complaintReasonCodes(record.json),
            record.needIds ? record.needIds.split(",") : [],
          )
        : [];
    const flagged = probabilityOf(map, record.complaintRisk, covariates) >= threshold;
    return {
      ...record,
      flagged,
      version: `${record.version}+${active.version}`,
      json: reflagged(record.json, flagged, threshold),
    };
  };
}

const POLL_MS = 2_000;

/** The serialised analysis with its complaint flag and threshold set (packed or object form). */
function reflagged(json: string, flagged: boolean, threshold: number): string {
  const stored = JSON.parse(json) as unknown[] | { complaint: { flagged: boolean; threshold: number } };
  if (Array.isArray(stored)) {
    const complaint = stored[PACKED.complaint] as unknown[];
    complaint[1] = flagged ? 1 : 0;
    complaint[2] = threshold;
  } else {
    stored.complaint.flagged = flagged;
    stored.complaint.threshold = threshold;
  }
  return JSON.stringify(stored);
}
