// A worker thread of the analysis pool (analysis-pool.ts): the inputs of ingest and /v1/analyze in, analysis records out.
import { parentPort, workerData } from "node:worker_threads";
import { createAnalyzer, type AnalysisInput } from "../analysis/index.js";
import { toRecord, type AnalysisForm, type AnalysisRecord } from "./analysis-record.js";
import { loadLexicons } from "../services/lexicons.js";

export interface AnalyzeChunk {
  seq: number;
  inputs: AnalysisInput[];
  form: AnalysisForm;
}
export interface AnalyzeChunkResult {
  seq: number;
  outputs: AnalysisRecord[];
}

const analyzer = createAnalyzer(loadLexicons(workerData.lexiconDir));
parentPort!.on("message", (chunk: AnalyzeChunk) => {
  const result: AnalyzeChunkResult = {
    seq: chunk.seq,
    outputs: chunk.inputs.map((i) => toRecord(analyzer.analyze(i), chunk.form)),
  };
  parentPort!.postMessage(result);
});
