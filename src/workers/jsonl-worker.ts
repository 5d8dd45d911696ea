// A worker thread of the batch CLI (`earshot analyze`): JSONL lines in, one result line out per line.
import { parentPort, workerData } from "node:worker_threads";
import { createAnalyzer } from "../analysis/index.js";
import { loadLexicons } from "../services/lexicons.js";
import { analyseLine } from "./jsonl-analysis.js";

export interface LineChunk {
  seq: number;
  lines: string[];
}
export interface LineChunkResult {
  seq: number;
  outcomes: Array<{ json: string; error?: string }>;
}

const analyzer = createAnalyzer(loadLexicons(workerData.lexiconDir));
parentPort!.on("message", (chunk: LineChunk) => {
  const result: LineChunkResult = { seq: chunk.seq, outcomes: chunk.lines.map((l) => analyseLine(l, analyzer)) };
  parentPort!.postMessage(result);
});
