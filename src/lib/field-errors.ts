import { z } from "zod";

// Which field of an input is wrong and why: what a 422 problem lists and what domain errors carry.

export const fieldErrorSchema = z
  .object({
    field: z.string().meta({ description: "Dotted path of the offending field, e.g. `items.3.customer.email`." }),
    pointer: z.string().meta({ description: "JSON Pointer (RFC 6901) to the same field." }),
    message: z.string(),
  })
  .meta({ id: "FieldError" });

export type FieldError = z.infer<typeof fieldErrorSchema>;

export function fieldError(path: ReadonlyArray<PropertyKey>, message: string): FieldError {
  const parts = path.map(String);
  return {
    field: parts.join(".") || "(body)",
    pointer: "/" + parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/"),
    message,
  };
}

/** Turns zod issues into field errors, one per offending field, with the path prefixed. */
export function zodFieldErrors(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): FieldError[] {
  return error.issues.map((issue) => fieldError([...prefix, ...issue.path], issue.message));
}

/** Zod issues as indented "path: message" lines, for start-up errors (config, rule files). */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
}
