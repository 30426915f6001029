// One error type for the rules. Services throw an AppError with a code from one list
// (contracts/common.ts); the HTTP edge maps each code to its status (platform/http/errors.ts).
// Nothing here knows about HTTP.
import type { ErrorCode } from '../../contracts/common.js';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A refusal of bad input naming its field; the message reads "<field> <message>", as zod's do. */
export const badRequest = (message: string, field?: string) =>
  new AppError('invalid', field ? `${field} ${message}` : message, field);
export const unauthorized = (message = 'Please sign in.') => new AppError('unauthorized', message);
export const forbidden = (message = 'Your role does not allow this.') => new AppError('forbidden', message);
export const notFound = (what: string) => new AppError('not_found', `${what} not found.`);
export const conflict = (message: string, field?: string) => new AppError('conflict', message, field);
export const rateLimited = (message: string) => new AppError('rate_limited', message);

/** A unique constraint said no (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A foreign key said no: the row pointed to was removed meanwhile (PostgreSQL 23503). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
