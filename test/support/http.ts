import { expect } from "vitest";
import { type ProblemBody, problemBodySchema } from "../../src/lib/problem.js";

/** An error body as the API sends it (RFC 9457). */
export type Problem = ProblemBody;

/**
 * A JSON response's body, typed as the caller expects it. The type is the test's claim, not a check;
 * pass the route's zod schema to `parsed` where the body's shape is what the test is about.
 */
export async function json<T = unknown>(res: Response): Promise<T> {
  expect(res.headers.get("content-type"), `${res.status} response`).toMatch(/^application\/(problem\+)?json\b/);
  return (await res.json()) as T;
}

/** A JSON body checked against a schema (e.g. a route's response schema from src/contracts/). */
export async function parsed<T>(res: Response, schema: { parse(v: unknown): T }): Promise<T> {
  return schema.parse(await json(res));
}

/**
 * A problem response: `application/problem+json`, a body that fits the Problem schema, its `status`
 * the response's own, and (when given) the expected code.
 */
export async function problem(res: Response, code?: Problem["code"]): Promise<Problem> {
  expect(res.headers.get("content-type"), `${res.status} response`).toBe("application/problem+json");
  const body = problemBodySchema.parse(await res.json());
  expect(body.status).toBe(res.status);
  if (code) expect(body.code, body.detail).toBe(code);
  return body;
}
