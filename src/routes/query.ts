import { z } from "zod";

/** Query-string helpers: lists are comma-separated, booleans are true/false, times ISO 8601. */
export const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(20))
    .meta({ description: "Comma-separated, at most 20." });

export const queryBool = z.enum(["true", "false"], "must be true or false").transform((v) => v === "true");
export const queryInstant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone" }).transform((s) => new Date(s));
export const queryLimit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
/** An opaque keyset position; pass back the previous page's `nextCursor`. */
export const cursorParam = z.string().max(500).optional().meta({ description: "The previous page's nextCursor." });
