import type { z } from "zod";

/** The closed list of problems the API can answer with. Each maps to one HTTP status and title. */
export const problemCodes = {
  malformed_json: { status: 400, title: "Malformed JSON" },
  invalid_utf8: { status: 400, title: "Body is not valid UTF-8" },
  bad_request: { status: 400, title: "Bad request" },
  unauthorized: { status: 401, title: "Missing or unknown API key" },
  forbidden: { status: 403, title: "API key lacks the required scope" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Body too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const;

export type ProblemCode = keyof typeof problemCodes;

export interface FieldError {
  /** Dotted path of the offending field, e.g. `items.3.customer.email`. */
  field: string;
  /** JSON Pointer (RFC 6901) to the same field. */
  pointer: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  code: ProblemCode;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? problemCodes[code].title);
    this.status = problemCodes[code].status;
  }

  toBody(extra: { instance?: string; requestId?: string } = {}): ProblemBody {
    return {
      type: `urn:earshot:problem:${this.code.replace(/_/g, "-")}`,
      title: problemCodes[this.code].title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...extra,
      ...(this.errors?.length ? { errors: this.errors } : {}),
    };
  }
}

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
