import type { TypedResponse } from "hono";
import type { z } from "zod";
import type { analysisResultSchema } from "../../contracts/analysis.js";
import { createRouter } from "../openapi.js";
import { analyze } from "./routes.js";

type AnalysisJson = TypedResponse<z.infer<typeof analysisResultSchema>, 200, "json">;

export const analyzeRoutes = createRouter().openapi(analyze, async (c) => {
  const [output] = await c.var.deps.analyzer.analyzeMany([c.req.valid("json")], "object");
  // The worker serialises the result where it was made; parsing it here only to serialise it again
  // would double the answer's cost. The type says what the text holds (contracts/analysis.ts checks it).
  return c.body(output.json, 200, { "content-type": "application/json" }) as unknown as AnalysisJson;
});
