import type { FieldError } from "./field-errors.js";

/**
 * The closed list of ways a service or the database layer refuses work. They say what went wrong in
 * the domain's terms; the app's one `onError` turns each into its problem (src/app.ts), so nothing
 * below the routes knows a status code.
 */
export const domainErrorCodes = ["not_found", "conflict", "invalid", "database_busy", "overloaded"] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** For `invalid`: each offending field of the input. */
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

/** The named thing does not exist (or is no longer active). */
export const notFound = (message: string) => new DomainError("not_found", message);
/** The work contradicts the current state: already resolved, merged, owned by another customer. */
export const conflict = (message: string) => new DomainError("conflict", message);
/** The input is well-formed but wrong: each field says why. */
export const invalid = (message: string, fields: FieldError[]) => new DomainError("invalid", message, fields);
/** Another process held the database past the retry deadline; the work was not done and may be retried. */
export const databaseBusy = () => new DomainError("database_busy", "The database is busy; retry the request.");
/** As much of this work is already waiting as is worth queueing; the request may be retried soon. */
export const overloaded = (message: string) => new DomainError("overloaded", message);
