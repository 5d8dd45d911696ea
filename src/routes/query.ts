import { z } from "zod";
import { INSTANT_RANGE_MESSAGE, instantInRange, MAX_WINDOW_MS, SPAN_MESSAGE } from "../lib/time-window.js";

/** Query-string helpers: lists are comma-separated, booleans are true/false, times ISO 8601. */
export const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(20))
    .meta({ description: "Comma-separated, at most 20." });

export const queryBool = z.enum(["true", "false"], "must be true or false").transform((v) => v === "true");
/** An ISO 8601 instant inside the range every window must stay in (src/lib/time-window.ts). */
export const queryInstant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone" })
  .transform((s) => new Date(s))
  .refine(instantInRange, INSTANT_RANGE_MESSAGE);
export const queryLimit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

/**
 * Checks a query's optional `from`/`to`: `to` after `from`, and with `maxSpan`, at most MAX_WINDOW_MS
 * apart. Both issues name `to`, the bound a client moves to fix them.
 */
export const windowRule =
  (opts: { maxSpan?: boolean } = {}) =>
  (q: { from?: Date; to?: Date }, ctx: z.RefinementCtx) => {
    // zod runs this even when a field failed, with that field as sent (a string) or out of range: such
    // a field has its own issue, and the pair is judged only when both stand.
    const valid = (d: unknown): d is Date => d instanceof Date && instantInRange(d);
    if (!valid(q.from) || !valid(q.to)) return;
    if (q.from >= q.to) ctx.addIssue({ code: "custom", message: "must be after from", path: ["to"] });
    else if (opts.maxSpan && q.to.getTime() - q.from.getTime() > MAX_WINDOW_MS)
      ctx.addIssue({ code: "custom", message: SPAN_MESSAGE, path: ["to"] });
  };

/** An opaque keyset position; pass back the previous page's `nextCursor`. */
export const cursorParam = z.string().max(500).optional().meta({ description: "The previous page's nextCursor." });
