import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { requireScope } from "../../middleware/auth.js";
import { readValidBody } from "../../middleware/json-body.js";
import { turnSchema } from "../interactions/schemas.js";

export const analyzeRequestSchema = z
  .object({
    channel: z.enum(["chat", "email", "call_note", "social", "text"], "must be one of chat, email, call_note, social, text").default("text"),
    subject: z.string().max(1000).optional(),
    text: z.string().trim().min(1, "must not be empty").max(200_000).optional(),
    turns: z.array(turnSchema).min(1).max(5000).optional(),
    context: z
      .object({ waitSeconds: z.number().min(0).optional(), holdSeconds: z.number().min(0).optional(), public: z.boolean().optional() })
      .optional(),
  })
  .refine((v) => v.text !== undefined || v.turns !== undefined, { message: "send text, turns or both", path: ["text"] })
  .meta({ id: "AnalyzeRequest" });

export const analyzeRoutes = new Hono<AppEnv>().post("/", requireScope("read", "ingest"), async (c) => {
  const input = await readValidBody(c, analyzeRequestSchema, "text to analyse");
  const [output] = await c.var.deps.analyzer.analyzeMany([input], "object");
  return c.body(output.json, 200, { "content-type": "application/json" });
});

export const analyzeOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/analyze",
    summary: "Analyse a text or transcript without storing it",
    description:
      "Sentiment per sentence and overall (with the words and rules behind each score), per-speaker scores and the customer's trajectory for transcripts, emotions, topics with their own sentiment, needs, complaint risk with reasons, language and the kinds of personal data found.",
    tags: ["analysis"],
    scope: "ingest or read",
    request: analyzeRequestSchema,
    responses: { 200: { description: "The analysis (texts in it are redacted)" }, 422: { description: "Invalid fields" } },
  },
];
