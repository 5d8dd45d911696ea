import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env.js";
import { csvStream, type CsvCell } from "../lib/csv-stream.js";
import { EXPORT_MAX_ROWS, type ExportPlan } from "../services/exports/limits.js";
import { audit } from "../services/people/audit.js";
import { actorOf } from "../services/people/principal.js";

// What every CSV export answers with: the stream, how many rows it holds and where the next one starts.

export const EXPORT_ROWS_HEADER = "Export-Rows";
export const NEXT_CURSOR_HEADER = "Export-Next-Cursor";

/** The 200 of an export, documented once: the CSV body and its headers. */
export const csvResponse = (what: string) => ({
  description: `${what} as CSV (RFC 4180, UTF-8, CRLF, a header row), streamed. At most ${EXPORT_MAX_ROWS.toLocaleString("en")} rows: when more match, \`${NEXT_CURSOR_HEADER}\` holds the cursor of the rest (and \`Link\` its URL, rel="next"). Cells a spreadsheet would read as a formula start with an apostrophe.`,
  headers: z.object({
    [EXPORT_ROWS_HEADER]: z.string().meta({ description: "How many rows this export holds." }),
    [NEXT_CURSOR_HEADER]: z
      .string()
      .optional()
      .meta({ description: "Present when more rows match: pass it back as `cursor` for the next export." }),
    Link: z.string().optional().meta({ description: 'The next export\'s URL, rel="next".' }),
  }),
  content: { "text/csv": { schema: z.string() } },
});

/**
 * Audits an export (who, what, the filters, the rows) and answers with its stream. The audit is
 * written before the first byte: an export that is read is always on record.
 */
export async function respondCsv(
  c: Context<AppEnv>,
  what: "interactions" | "moments" | "queue",
  filters: Record<string, unknown>,
  plan: ExportPlan<Record<string, CsvCell>>,
) {
  const { db, clock } = c.var.deps;
  const { cursor, ...rest } = filters;
  await audit(db, {
    action: "data_exported",
    actor: actorOf(c.var.principal),
    details: {
      what,
      filters: definedOnly(rest),
      rows: plan.rows,
      continued: cursor !== undefined,
      more: plan.nextCursor !== null,
    },
    at: new Date(),
  });
  const headers: Record<string, string> = {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="earshot-${what}-${clock().toISOString().slice(0, 10)}.csv"`,
    [EXPORT_ROWS_HEADER]: String(plan.rows),
  };
  if (plan.nextCursor) {
    headers[NEXT_CURSOR_HEADER] = plan.nextCursor;
    const next = new URL(c.req.url);
    next.searchParams.set("cursor", plan.nextCursor);
    headers.link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  return c.body(csvStream(plan.columns, plan.records()), 200, headers);
}

/** Filters as given, dates as ISO text, without the ones left out. */
const definedOnly = (filters: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
