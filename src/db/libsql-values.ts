import type { InArgs, InValue, ResultSet, Row } from "@libsql/client";

// Values, rows and result sets in the shapes @libsql/client gives them, for src/db/local-client.ts,
// which answers @libsql/client's interface over the `libsql` driver directly.

const MIN_INTEGER = -9223372036854775808n;
const MAX_INTEGER = 9223372036854775807n;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Arguments as SQLite binds them, converted as @libsql/client converts them. */
export function bindArgs(args: InArgs): unknown {
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args))
    named["@$:".includes(name[0]) ? name.slice(1) : name] = toSql(value);
  return named;
}

function toSql(value: InValue): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
    return value;
  }
  if (typeof value === "bigint") {
    if (value < MIN_INTEGER || value > MAX_INTEGER)
      throw new RangeError("bigint is too large to be represented as a 64-bit integer and passed as argument");
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

function fromSql(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value < MIN_SAFE || value > MAX_SAFE)
      throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

/**
 * Row prototypes by column list: `length` and an index getter per column, so that a row is an
 * ordinary object with its named columns as own properties (rows of one query share a hidden class)
 * and still reads by index, as Drizzle does. null marks a list these getters cannot serve (a repeated
 * name, a name that is an index or `length`): its rows are built as @libsql/client builds them.
 */
const rowPrototypes = new Map<string, object | null>();
const MAX_ROW_PROTOTYPES = 1024;

export function rowPrototype(columns: string[]): object | null {
  const key = columns.join("\u0000");
  let proto = rowPrototypes.get(key);
  if (proto !== undefined) return proto;
  proto = null;
  // A name that is also an index or `length` (`SELECT 0`) would meet the prototype's own property.
  if (new Set(columns).size === columns.length && !columns.some((c) => c === "length" || /^\d+$/.test(c))) {
    const descriptors: PropertyDescriptorMap = { length: { value: columns.length } };
    columns.forEach((name, i) => {
      descriptors[i] = {
        get(this: Record<string, unknown>) {
          return this[name];
        },
      };
    });
    proto = Object.create(Object.prototype, descriptors) as object;
  }
  if (rowPrototypes.size >= MAX_ROW_PROTOTYPES) rowPrototypes.clear();
  rowPrototypes.set(key, proto);
  return proto;
}

/**
 * A row as @libsql/client makes it: enumerable named columns, non-enumerable indexes and length (here
 * from the row's prototype; @libsql/client defines them on each row, and under batch ingest ~5% of
 * the event loop went to those definitions and the dictionary-mode objects they made).
 */
export function toRow(values: unknown[], columns: string[], proto: object | null): Row {
  if (proto) {
    const row = Object.create(proto) as Record<string, unknown>;
    for (let i = 0; i < values.length; i++) row[columns[i]] = fromSql(values[i]);
    return row as unknown as Row;
  }
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, "length", { value: values.length });
  for (let i = 0; i < values.length; i++) {
    const value = fromSql(values[i]);
    Object.defineProperty(row, i, { value });
    if (!Object.hasOwn(row, columns[i]))
      Object.defineProperty(row, columns[i], { value, enumerable: true, configurable: true, writable: true });
  }
  return row as unknown as Row;
}

export function resultSet(
  columns: string[],
  columnTypes: string[],
  rows: Row[],
  rowsAffected: number,
  lastInsertRowid: bigint | undefined,
): ResultSet {
  return {
    columns,
    columnTypes,
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({
      columns,
      columnTypes,
      rows: rows.map((r) => Array.prototype.slice.call(r)),
      rowsAffected,
      lastInsertRowid: lastInsertRowid?.toString() ?? null,
    }),
  };
}
