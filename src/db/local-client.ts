import { createRequire } from "node:module";
import {
  LibsqlError,
  type Client,
  type InArgs,
  type InStatement,
  type ResultSet,
  type Row,
  type Transaction,
  type TransactionMode,
} from "@libsql/client";
import { bindArgs, resultSet, rowPrototype, toRow } from "./libsql-values.js";
import { beginStatement, LocalTransaction } from "./local-transaction.js";

// `libsql` is the driver under @libsql/client's local client, used here directly for the one
// thing that client does not do: keep prepared statements (see LocalFileClient).
const Database = createRequire(import.meta.url)("libsql") as LibsqlDatabaseConstructor;

interface LibsqlStatement {
  readonly reader: boolean;
  raw(on?: boolean): LibsqlStatement;
  safeIntegers(on?: boolean): LibsqlStatement;
  columns(): Array<{ name: string; type: string | null }>;
  all(args: unknown): unknown[][];
  run(args: unknown): { changes: number; lastInsertRowid: number | bigint };
}
interface LibsqlDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): LibsqlStatement;
  exec(sql: string): void;
  close(): void;
}
type LibsqlDatabaseConstructor = (new (
  path: string,
  opts?: { timeout?: number },
) => LibsqlDatabase) & { SqliteError: new (...a: never[]) => Error };

/** Statements kept prepared per connection, least recently used dropped first. */
const STATEMENT_CACHE_SIZE = 256;
/**
 * Longer SQL is not kept (a one-off statement of that size would hold its memory until evicted). The
 * hot paths' statements fit: multi-row inserts come in a few shapes (src/db/insert-values.ts), the
 * longest ~11 KB, and lists of ids travel as one JSON parameter.
 */
const CACHEABLE_SQL_LENGTH = 16_384;

/**
 * A result column list that depends on the schema (`SELECT *`, `t.*`, `RETURNING *`): SQLite
 * re-prepares a kept statement after a schema change, and such a statement may then answer other
 * columns. Any other statement's columns are named by its text, so they are read once.
 */
const SCHEMA_DEPENDENT_COLUMNS = /(?:\bselect\s+(?:distinct\s+|all\s+)?|\breturning\s+|,\s*)(?:[\w"`[\]]+\.)?\*/i;

/** What a reading statement's rows are made of: column names and declared types, and the rows' prototype. */
interface ResultShape {
  names: string[];
  types: string[];
  proto: object | null;
}

/** A prepared statement with what is known of it without asking the driver again. */
interface KeptStatement {
  stmt: LibsqlStatement;
  reader: boolean;
  /** Set once for statements whose columns are fixed by their text (asking costs ~14 µs a call, more for wide rows). */
  shape: ResultShape | null;
  fixedColumns: boolean;
}

/**
 * A libSQL client for a local database file, with one connection whose prepared statements are kept.
 *
 * `@libsql/client`'s local client prepares every statement afresh and, to learn whether it returns
 * rows, calls `raw()` and catches the exception it throws for those that do not: ~50 µs of fixed cost
 * per statement here, more than the statement itself for the short ones of a single-record write
 * (a nine-statement transaction costs 630 µs of CPU that way, 190 µs with its statements kept; see
 * docs/adr/0001-local-prepared-statement-client.md). This
 * client answers the same interface with the same values (integers as numbers, refusing unsafe ones;
 * blobs as ArrayBuffers; rows with named and indexed columns; errors as LibsqlError with SQLite's
 * codes), so the readers, the write lock and Drizzle use it unchanged (src/db/client.ts).
 *
 * One connection: a transaction holds it until commit, rollback or close, and a statement sent to the
 * client meanwhile would run inside that transaction. Only the write client opens transactions, and
 * its write lock runs one unit of work at a time, so that never happens.
 */
export class LocalFileClient implements Client {
  readonly protocol = "file";
  /** The connection; null after a reconnect until the next statement opens a new one. */
  #db: LibsqlDatabase | null;
  #statements = new Map<string, KeptStatement>();
  #closed = false;

  constructor(
    private readonly path: string,
    private readonly opts: { timeout?: number } = {},
  ) {
    // Opened at once, so a database that cannot be opened fails here rather than at the first use.
    this.#db = this.#open();
  }

  get closed() {
    return this.#closed;
  }

  /** Whether a transaction is open on the connection (never read from a closed one: that aborts the process). */
  get inTransaction(): boolean {
    return !this.#closed && this.#db !== null && this.#db.inTransaction;
  }

  #open(): LibsqlDatabase {
    try {
      return new Database(this.path, { timeout: this.opts.timeout });
    } catch (e) {
      throw mapError(e);
    }
  }

  #connection(): LibsqlDatabase {
    this.#checkOpen();
    return (this.#db ??= this.#open());
  }

  #statement(sql: string): KeptStatement {
    const cached = this.#statements.get(sql);
    if (cached) {
      // Re-inserted to mark it most recently used (a Map iterates in insertion order).
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const stmt = this.#connection().prepare(sql);
    stmt.safeIntegers(true);
    const reader = stmt.reader;
    if (reader) stmt.raw(true);
    const kept: KeptStatement = { stmt, reader, shape: null, fixedColumns: !SCHEMA_DEPENDENT_COLUMNS.test(sql) };
    if (sql.length <= CACHEABLE_SQL_LENGTH) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(sql, kept);
    }
    return kept;
  }

  /**
   * The columns of a reading statement's result. A statement whose columns depend on the schema is
   * asked after every execution (SQLite re-prepares a kept statement when the schema has changed since,
   * at its first step); so is any whose rows stop matching the kept shape.
   */
  #shape(kept: KeptStatement, values: unknown[][]): ResultShape {
    const shape = kept.shape;
    if (shape && (values.length === 0 || values[0].length === shape.names.length)) return shape;
    const columns = kept.stmt.columns();
    const names = columns.map((c) => c.name);
    const fresh = { names, types: columns.map((c) => c.type ?? ""), proto: rowPrototype(names) };
    if (kept.fixedColumns) kept.shape = fresh;
    return fresh;
  }

  /** Runs one statement; used by the client and its transactions alike. */
  run(stmt: InStatement): ResultSet {
    const { sql, args } =
      typeof stmt === "string" ? { sql: stmt, args: [] as InArgs } : { sql: stmt.sql, args: stmt.args ?? [] };
    try {
      const kept = this.#statement(sql);
      const bound = bindArgs(args);
      if (kept.reader) {
        const values = kept.stmt.all(bound) as unknown[][];
        const { names, types, proto } = this.#shape(kept, values);
        const rows: Row[] = new Array(values.length);
        for (let i = 0; i < values.length; i++) rows[i] = toRow(values[i], names, proto);
        return resultSet(names, types, rows, 0, undefined);
      }
      const info = kept.stmt.run(bound);
      return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (e) {
      throw mapError(e);
    }
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.run(typeof stmtOrSql === "string" && args !== undefined ? { sql: stmtOrSql, args } : stmtOrSql);
  }

  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode: TransactionMode = "deferred"): Promise<ResultSet[]> {
    return this.#withinTransaction(mode, () =>
      stmts.map((s) => this.run(Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s)),
    );
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    this.run("PRAGMA foreign_keys=off");
    try {
      return await this.batch(stmts, "deferred");
    } finally {
      this.run("PRAGMA foreign_keys=on");
    }
  }

  async transaction(mode: TransactionMode = "write"): Promise<Transaction> {
    this.run(beginStatement(mode));
    return new LocalTransaction(this);
  }

  async executeMultiple(sql: string): Promise<void> {
    try {
      this.#connection().exec(sql);
    } catch (e) {
      throw mapError(e);
    }
  }

  sync(): never {
    throw new LibsqlError("sync() is not supported by a local database file", "SYNC_NOT_SUPPORTED");
  }

  /** A fresh connection (after SQLITE_BUSY left a statement of the old one unusable). */
  reconnect(): void {
    this.#checkOpen();
    this.#statements.clear();
    const old = this.#db;
    this.#db = null;
    old?.close();
    this.#db = this.#open();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    this.#db?.close();
    this.#db = null;
  }

  #withinTransaction<T>(mode: TransactionMode, work: () => T): T {
    this.run(beginStatement(mode));
    try {
      const result = work();
      this.run("COMMIT");
      return result;
    } catch (e) {
      if (this.inTransaction) this.run("ROLLBACK");
      throw e;
    }
  }

  #checkOpen() {
    if (this.#closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
  }
}

/** SQLite's errors as LibsqlError, with the base code (SQLITE_BUSY) and the extended one (SQLITE_BUSY_SNAPSHOT). */
function mapError(e: unknown): unknown {
  if (!(e instanceof Database.SqliteError)) return e;
  const { message, code: extendedCode, rawCode } = e as Error & { code?: string; rawCode?: number };
  const code = extendedCode?.match(/^SQLITE_[A-Z]+/)?.[0] ?? "SQLITE_UNKNOWN";
  return new LibsqlError(message, code, extendedCode, rawCode, e as Error);
}
