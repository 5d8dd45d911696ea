import { Readable } from "node:stream";
import { stringify } from "csv-stringify";

/** A cell as written: text, a number, a boolean (true/false), or empty. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * Records as a CSV byte stream (RFC 4180, CRLF, a header row), pulled as the reader reads: the rows
 * come from `records` one page at a time and are never held whole. A text cell that a spreadsheet
 * would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading
 * apostrophe (csv-stringify's `escape_formulas`, after OWASP's "CSV Injection"); numbers stay numbers.
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
export function csvStream(
  columns: readonly string[],
  records: AsyncIterable<Record<string, CsvCell>>,
): ReadableStream<Uint8Array> {
  const stringifier = stringify({
    header: true,
    columns: [...columns],
    record_delimiter: "windows",
    escape_formulas: true,
    cast: { boolean: (b) => (b ? "true" : "false") },
  });
  const source = Readable.from(records, { objectMode: true });
  source.on("error", (e) => stringifier.destroy(e));
  source.pipe(stringifier);
  return Readable.toWeb(stringifier) as ReadableStream<Uint8Array>;
}
