import { analysisFrom } from "../../analysis/stored-form.js";
import type { AnalysisRecord } from "../../workers/analysis-record.js";

// What a re-analysis job reports: the tallies of what changed, per page and summed over the job.

export interface ReanalysisSummary {
  /** Interactions whose stored analysis differs from the new one in version, label, flag, risk or needs. */
  changed: number;
  labelsFlipped: number;
  flagsAdded: number;
  flagsRemoved: number;
  needsGained: Record<string, number>;
  needsLost: Record<string, number>;
  momentsRescored: number;
  /** Moments the new scores no longer flag; kept as they were (agents may have acted on them). */
  momentsNoLongerFlagged: number;
  /** How many of the records done were stored by each analysis version. */
  versionsBefore: Record<string, number>;
  versionAfter: string | null;
}

export const emptySummary = (): ReanalysisSummary => ({
  changed: 0,
  labelsFlipped: 0,
  flagsAdded: 0,
  flagsRemoved: 0,
  needsGained: {},
  needsLost: {},
  momentsRescored: 0,
  momentsNoLongerFlagged: 0,
  versionsBefore: {},
  versionAfter: null,
});

export function mergeSummary(a: ReanalysisSummary, b: ReanalysisSummary): ReanalysisSummary {
  const add = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    changed: a.changed + b.changed,
    labelsFlipped: a.labelsFlipped + b.labelsFlipped,
    flagsAdded: a.flagsAdded + b.flagsAdded,
    flagsRemoved: a.flagsRemoved + b.flagsRemoved,
    needsGained: add(a.needsGained, b.needsGained),
    needsLost: add(a.needsLost, b.needsLost),
    momentsRescored: a.momentsRescored + b.momentsRescored,
    momentsNoLongerFlagged: a.momentsNoLongerFlagged + b.momentsNoLongerFlagged,
    versionsBefore: add(a.versionsBefore, b.versionsBefore),
    versionAfter: b.versionAfter ?? a.versionAfter,
  };
}

const ids = (s: string | null) => (s ? s.split(",") : []);

/** What is compared of a stored interaction with its new analysis. */
export interface StoredAnalysis {
  analysis: string | null;
  analysis_version: string | null;
  flagged: number;
  need_ids: string | null;
}

/** Counts one record's changes into `page`; true when its stored analysis differs from the new one. */
export function tally(page: ReanalysisSummary, row: StoredAnalysis, record: AnalysisRecord): boolean {
  const before = row.analysis ? analysisFrom(JSON.parse(row.analysis)) : null;
  const after = analysisFrom(JSON.parse(record.json));
  const v = row.analysis_version ?? "none";
  page.versionsBefore[v] = (page.versionsBefore[v] ?? 0) + 1;
  page.versionAfter = record.version;
  const wasFlagged = row.flagged === 1;
  if (before && before.sentiment.label !== after.sentiment.label) page.labelsFlipped++;
  if (!wasFlagged && record.flagged) page.flagsAdded++;
  if (wasFlagged && !record.flagged) page.flagsRemoved++;
  const oldNeeds = new Set(ids(row.need_ids));
  const newNeeds = new Set(ids(record.needIds));
  for (const n of newNeeds) if (!oldNeeds.has(n)) page.needsGained[n] = (page.needsGained[n] ?? 0) + 1;
  for (const n of oldNeeds) if (!newNeeds.has(n)) page.needsLost[n] = (page.needsLost[n] ?? 0) + 1;
  if (row.analysis_version === record.version && row.analysis === record.json) return false;
  page.changed++;
  return true;
}
