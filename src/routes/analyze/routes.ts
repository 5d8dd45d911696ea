import { createRoute } from "@hono/zod-openapi";
import { analysisResultSchema, analyzeRequestSchema } from "../../contracts/analysis.js";
import { bodyProblems, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";

export const analyze = createRoute({
  method: "post",
  path: "/",
  tags: ["analysis"],
  summary: "Analyse a text or transcript without storing it",
  description:
    "Sentiment per sentence and overall (with the words and rules behind each score), per-speaker scores and the customer's trajectory for transcripts, emotions, topics with their own sentiment, needs, complaint risk with reasons, language and the kinds of personal data found.",
  ...secured(["view", "ingest"], { body: "text to analyse" }),
  request: { body: jsonBody(analyzeRequestSchema) },
  responses: {
    200: json(analysisResultSchema, "The analysis (texts in it are redacted)"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(503),
  },
});
