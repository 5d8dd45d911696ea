import { z } from "zod";
import { ApiError, zodFieldErrors } from "../lib/problem.js";

/** Query-string helpers: lists are comma-separated, booleans are true/false, times ISO 8601. */
export const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(20));

export const queryBool = z.enum(["true", "false"], "must be true or false").transform((v) => v === "true");
export const queryInstant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone" }).transform((s) => new Date(s));
export const queryLimit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

export function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new ApiError("validation_failed", "The query is invalid.", zodFieldErrors(parsed.error));
  return parsed.data;
}
