// One error type for the rules, and one Fastify error handler that turns every failure into
// `{ error: { code, message, field } }`. Unexpected errors are logged and never shown.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A 400 naming its field; the message reads "<field> <message>", as zod's errors do. */
export const badRequest = (message: string, field?: string) =>
  new AppError(400, 'invalid', field ? `${field} ${message}` : message, field);
export const unauthorized = (message = 'Please sign in.') =>
  new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'Your role does not allow this.') =>
  new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (message: string, field?: string) =>
  new AppError(409, 'conflict', message, field);

interface ZodIssueLike {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: PropertyKey[]; message?: string } };
}

function fieldOf(issue: ZodIssueLike): string | undefined {
  const path = issue.params?.issue?.path;
  if (path && path.length) return path.map(String).join('.');
  const p = issue.instancePath?.replace(/^\//, '').replaceAll('/', '.');
  return p || undefined;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({
        error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) },
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0] as ZodIssueLike | undefined;
      const field = issue ? fieldOf(issue) : undefined;
      const where = err.validationContext ?? 'request';
      const detail = issue?.params?.issue?.message ?? issue?.message ?? 'is invalid';
      return reply.status(400).send({
        error: {
          code: 'invalid',
          message: field ? `${field} ${detail.replace(/^Invalid input: /, '')}` : `Invalid ${where}: ${detail}`,
          ...(field ? { field } : {}),
        },
      });
    }
    if (isUniqueViolation(err)) {
      // Two requests raced to create the same thing; the first one won.
      return reply.status(409).send({
        error: { code: 'conflict', message: 'That was just created or changed by someone else; reload and try again.' },
      });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.status(500).send(internal(request.id));
    }
    // Fastify's own client errors: bad JSON, body too large, unsupported media type, CSRF, rate limit.
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({
        error: { code: clientCode(status, err.code), message: err.message },
      });
    }
    request.log.error({ err }, 'unexpected error');
    return reply.status(500).send(internal(request.id));
  });

}

/** Where in a parsed request the first string holding a NUL character is, if any. */
export function nulPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'value' : null;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = nulPath(v, [...path, k]);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * No text with a NUL character gets past validation: PostgreSQL cannot store it, and no
 * person types it. One check for every route, naming the field.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      const field = nulPath(part);
      if (field !== null) throw badRequest('must not contain NUL characters', field);
    }
  });
}

/** 404 for unknown routes; `page` (the web app's index) answers unknown non-API GETs. */
export function installNotFound(
  app: FastifyInstance,
  page?: (request: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  app.setNotFoundHandler((request, reply) => {
    if (page && request.method === 'GET' && !request.url.startsWith('/api/')) return page(request, reply);
    return reply.status(404).send({
      error: { code: 'not_found', message: `No route for ${request.method} ${request.url}.` },
    });
  });
}

/** A unique constraint said no (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function internal(requestId: string) {
  return {
    error: {
      code: 'internal',
      message: `Something went wrong on our side. Reference: ${requestId}.`,
      requestId,
    },
  };
}

function clientCode(status: number, code: string | undefined): string {
  if (status === 429) return 'rate_limited';
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') return 'csrf';
  if (status === 413) return 'too_large';
  if (status === 415) return 'unsupported_media_type';
  return 'invalid';
}
