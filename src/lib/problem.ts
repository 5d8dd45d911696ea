import { z } from "zod";
import { fieldErrorSchema, type FieldError } from "./field-errors.js";

/** The closed list of problems the API can answer with. Each maps to one HTTP status and title. */
export const problemCodes = {
  malformed_json: { status: 400, title: "Malformed JSON" },
  invalid_utf8: { status: 400, title: "Body is not valid UTF-8" },
  bad_request: { status: 400, title: "Bad request" },
  unauthorized: { status: 401, title: "Not signed in, or an unknown API key" },
  forbidden: { status: 403, title: "Lacks the required permission" },
  cross_site: { status: 403, title: "Cross-site request refused" },
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

const codes = Object.keys(problemCodes) as [ProblemCode, ...ProblemCode[]];

/** Every error body the API answers with (RFC 9457); the OpenAPI document and the types both come from it. */
export const problemBodySchema = z
  .object({
    type: z.string().meta({ example: "urn:earshot:problem:validation-failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().meta({ description: "The request path." }),
    requestId: z
      .string()
      .optional()
      .meta({ description: "The request's id, also in the logs and the X-Request-Id header." }),
    code: z.enum(codes),
    errors: z.array(fieldErrorSchema).optional().meta({ description: "One entry per offending field." }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

export type ProblemBody = z.infer<typeof problemBodySchema>;

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
