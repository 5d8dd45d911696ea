import { LibsqlError, type InStatement, type ResultSet, type Transaction, type TransactionMode } from "@libsql/client";
import type { LocalFileClient } from "./local-client.js";

// A transaction on LocalFileClient's one connection, in @libsql/client's Transaction interface.

export class LocalTransaction implements Transaction {
  #done = false;

  constructor(private readonly client: LocalFileClient) {}

  get closed() {
    return this.#done || !this.client.inTransaction;
  }

  async execute(stmt: InStatement): Promise<ResultSet> {
    this.#checkOpen();
    return this.client.run(stmt);
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    this.#checkOpen();
    return stmts.map((s) => this.client.run(s));
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#checkOpen();
    await this.client.executeMultiple(sql);
  }

  /** A COMMIT that fails (SQLITE_BUSY, a full disk) leaves the transaction to close(), which rolls it back. */
  async commit(): Promise<void> {
    this.#checkOpen();
    this.client.run("COMMIT");
    this.#done = true;
  }

  async rollback(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (this.client.inTransaction) this.client.run("ROLLBACK");
  }

  /**
   * Rolls back whatever was not committed. It runs in `finally` blocks, so it does not throw: when the
   * ROLLBACK itself fails, the connection is replaced, which ends the transaction as surely.
   */
  close(): void {
    if (this.#done) return;
    this.#done = true;
    if (!this.client.inTransaction) return;
    try {
      this.client.run("ROLLBACK");
    } catch {
      try {
        this.client.reconnect();
      } catch {
        // The old connection is closed either way; the next statement opens a new one.
      }
    }
  }

  #checkOpen() {
    if (this.closed) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
  }
}

export function beginStatement(mode: TransactionMode): string {
  if (mode === "write") return "BEGIN IMMEDIATE";
  if (mode === "read") return "BEGIN TRANSACTION READONLY";
  if (mode === "deferred") return "BEGIN DEFERRED";
  throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"');
}
