import type { AnalysisOutput } from "../analysis/index.js";

/**
 * An analysis as the ingest path and `/v1/analyze` use it: the result already serialised (by the
 * thread that made it; JSON-encoding and cloning the object graph on the event loop cost ~10% of its
 * time under batch ingest), the texts to store and the columns the write needs.
 */
export interface AnalysisRecord {
  version: string;
  text: string;
  redaction: AnalysisOutput["redaction"];
  json: string;
  sentimentScore: number;
  complaintRisk: number;
  flagged: boolean;
  /** Comma-separated ids of the needs and topics found, or null when there are none. */
  needIds: string | null;
  topicIds: string | null;
}

const idList = (xs: Array<{ id: string }>) => (xs.length ? xs.map((x) => x.id).join(",") : null);

export function toRecord(output: AnalysisOutput): AnalysisRecord {
  const { stored } = output;
  return {
    version: output.version,
    text: output.text,
    redaction: output.redaction,
    json: JSON.stringify(stored),
    sentimentScore: stored.sentiment.score,
    complaintRisk: stored.complaint.risk,
    flagged: stored.complaint.flagged,
    needIds: idList(stored.needs),
    topicIds: idList(stored.topics),
  };
}
