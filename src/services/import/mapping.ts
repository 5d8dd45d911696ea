import { z } from "zod";

/**
 * How a line of an export becomes a record: each target field (a dotted path such as
 * `customer.email` or `turns.0.text`) takes a column (CSV) or field (JSONL, dotted) of the line, or a
 * constant written `=value`. Without a mapping, a JSONL line is taken as the record itself.
 */
export const mappingSchema = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/, "must be a dotted field path such as customer.email"),
  z.string().min(1),
);
export type Mapping = z.infer<typeof mappingSchema>;

/** Reads `a.b.c` from a parsed line; a CSV row's columns are one level. */
function read(line: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(line, path)) return line[path];
  let v: unknown = line;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const UNSAFE = new Set(["__proto__", "constructor", "prototype"]);

/** Writes `value` at a dotted path, numbers making array slots. */
function write(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split(".");
  let at: Record<string, unknown> = target;
  for (let i = 0; i < parts.length - 1; i++) {
    if (UNSAFE.has(parts[i])) return;
    const next = /^\d+$/.test(parts[i + 1]) ? [] : {};
    at = (at[parts[i]] ??= next) as Record<string, unknown>;
  }
  if (!UNSAFE.has(parts[parts.length - 1])) at[parts[parts.length - 1]] = value;
}

/** Numbers a CSV column holds as text, for the fields whose schema wants numbers. */
const NUMERIC = /(Seconds|amount)$/;

/** The record a line makes under `mapping`; empty cells are left out, so optional fields stay absent. */
export function applyMapping(line: Record<string, unknown>, mapping: Mapping | undefined): Record<string, unknown> {
  if (!mapping) return line;
  const out: Record<string, unknown> = {};
  for (const [target, from] of Object.entries(mapping)) {
    let value = from.startsWith("=") ? from.slice(1) : read(line, from);
    if (value === undefined || value === null || value === "") continue;
    if (typeof value === "string" && NUMERIC.test(target) && value.trim() !== "" && Number.isFinite(Number(value)))
      value = Number(value);
    if (typeof value === "string" && (value === "true" || value === "false") && /(^|\.)public$/.test(target))
      value = value === "true";
    write(out, target, value);
  }
  return out;
}

/** `--field target=column` flags as a mapping. */
export function mappingFromFlags(flags: string[]): Mapping {
  const out: Mapping = {};
  for (const f of flags) {
    const at = f.indexOf("=");
    if (at <= 0) throw new Error(`--field ${f}: write target=column (or target==constant)`);
    out[f.slice(0, at)] = f.slice(at + 1);
  }
  return mappingSchema.parse(out);
}
