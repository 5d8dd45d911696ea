import type { AnalysisOutput } from "../analysis/index.js";
import { packAnalysis } from "../analysis/stored-form.js";

/**
 * How an analysis is serialised: `packed` as the interactions table keeps it (src/analysis/stored-form.ts),
 * `object` as the API answers /v1/analyze.
 */
export type AnalysisForm = "packed" | "object";

/**
 * An analysis as the ingest path and `/v1/analyze` use it: the result already serialised (by the
 * thread that made it; JSON-encoding and cloning the object graph on the event loop cost ~10% of its
 * time under batch ingest), the texts to store and the columns the write needs.
 */
export interface AnalysisRecord {
  version: string;
  text: string;
  redaction: AnalysisOutput["redaction"];
  /** The result as JSON, in the form asked for. */
  json: string;
  sentimentScore: number | null;
  complaintRisk: number;
  flagged: boolean;
  /** Comma-separated ids of the needs and topics found, or null when there are none. */
  needIds: string | null;
  topicIds: string | null;
}

const idList = (xs: Array<{ id: string }>) => (xs.length ? xs.map((x) => x.id).join(",") : null);

export function toRecord(output: AnalysisOutput, form: AnalysisForm): AnalysisRecord {
  const { stored } = output;
  return {
    version: output.version,
    text: output.text,
    redaction: output.redaction,
    json: form === "packed" ? packAnalysis(stored) : JSON.stringify(stored),
    // Null for a text in a language Earshot does not analyse, so averages and filters leave it out.
    sentimentScore: stored.sentiment.score,
    complaintRisk: stored.complaint.risk,
    flagged: stored.complaint.flagged,
    needIds: idList(stored.needs),
    topicIds: idList(stored.topics),
  };
}
