import { z } from "zod";
import type { Operation } from "../../lib/openapi-registry.js";

const problemSchema = {
  type: "object",
  description: "RFC 9457 problem details",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    code: { type: "string" },
    requestId: { type: "string" },
    errors: { type: "array", items: { type: "object", properties: { field: { type: "string" }, pointer: { type: "string" }, message: { type: "string" } } } },
  },
  required: ["type", "title", "status", "code"],
};

const jsonSchema = (schema: z.ZodType, io: "input" | "output") => z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });

/** Builds the OpenAPI 3.1 document from the routes' operations and their zod schemas. */
export function buildOpenApi(operations: Operation[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { "application/json": { schema: jsonSchema(r.schema, "output") } } } : {}),
      };
    }
    for (const [status, description] of Object.entries({ 400: "Malformed JSON or invalid UTF-8", 401: "Missing or unknown API key", 403: "Missing scope", 413: "Body too large", 415: "Not JSON" })) {
      if (!op.scope && (status === "401" || status === "403")) continue;
      if (!op.request && ["400", "413", "415"].includes(status)) continue;
      responses[status] ??= { description, content: { "application/problem+json": { schema: problemSchema } } };
    }
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } })),
      ...Object.entries((op.query ? jsonSchema(op.query, "input") : { properties: {} }).properties ?? {}).map(([name, schema]) => ({ name, in: "query", required: false, schema })),
    ];
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: op.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(op.scope ? { security: [{ bearer: [] }], "x-required-scope": op.scope } : {}),
      ...(op.request ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.request, "input") } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Earshot API",
      version,
      description: "Ingests customer interactions and journey events, analyses them and links them to customers.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An Earshot API key with the needed scope" } } },
    paths,
  };
}
