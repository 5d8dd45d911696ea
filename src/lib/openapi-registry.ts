import type { z } from "zod";

/** One documented operation; route modules list theirs and the OpenAPI document is built from them. */
export interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  scope?: "ingest" | "read" | "admin" | "ingest or read";
  request?: z.ZodType;
  query?: z.ZodObject;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}
