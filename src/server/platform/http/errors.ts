// The HTTP edge of errors: one map from error code to status, and one Fastify error handler
// that turns every failure into `{ error: { code, message, field } }`. Unexpected errors are
// logged and never shown.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import type { ErrorCode } from '../../../contracts/common.js';
import { AppError, badRequest, isForeignKeyViolation, isUniqueViolation } from '../errors.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  bad_credentials: 401,
  forbidden: 403,
  csrf: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

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

const send = (reply: FastifyReply, code: ErrorCode, message: string, field?: string) =>
  reply.status(STATUS_OF[code]).send({ error: { code, message, ...(field ? { field } : {}) } });

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) return send(reply, err.code, err.message, err.field);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0] as ZodIssueLike | undefined;
      const field = issue ? fieldOf(issue) : undefined;
      const where = err.validationContext ?? 'request';
      const detail = issue?.params?.issue?.message ?? issue?.message ?? 'is invalid';
      const message = field ? `${field} ${detail.replace(/^Invalid input: /, '')}` : `Invalid ${where}: ${detail}`;
      return send(reply, 'invalid', message, field);
    }
    if (isUniqueViolation(err)) {
      // Two requests raced to create the same thing; the first one won.
      return send(reply, 'conflict', 'That was just created or changed by someone else; reload and try again.');
    }
    if (isForeignKeyViolation(err)) {
      // What this change points to was removed meanwhile (a team deleted as a case moved in).
      return send(reply, 'conflict', 'Something this change refers to was just removed; reload and try again.');
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.status(500).send(internal(request.id));
    }
    // Fastify's own client errors: bad JSON, body too large, unsupported media type, CSRF, rate limit.
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, clientCode(status, err.code), err.message);
    request.log.error({ err }, 'unexpected error');
    return reply.status(500).send(internal(request.id));
  });
}

/**
 * Where in a parsed request the first string holding a NUL character is, if any. The path is
 * built only for the hit, so the walk costs one visit per value (bodies are bounded in size
 * and depth before they are parsed: body.ts).
 */
export function nulPath(value: unknown): string | null {
  const path: string[] = [];
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') return v.includes('\u0000');
    if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        path.push(k);
        if (walk((v as Record<string, unknown>)[k])) return true;
        path.pop();
      }
    }
    return false;
  };
  return walk(value) ? path.join('.') || 'value' : null;
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

/**
 * The framework's own refusals, in our shape: a malformed URL (a broken %-escape), an
 * over-long path parameter. Fastify answers these before any hook or handler runs.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const message =
    err.code === 'FST_ERR_BAD_URL' ? 'This address is malformed (a broken %-escape).' : 'This address is not valid.';
  return send(reply, 'invalid', message);
}

/**
 * A request Node's HTTP parser could not read (a malformed request line or header, headers
 * too large, too slow): no request exists yet, so the answer is written to the socket, still
 * in our shape.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'too_large', 'The request headers are too large.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'invalid', 'The request took too long to arrive.']
        : [400, 'invalid', 'The request is malformed.'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** 404 for unknown routes; `page` (the web app's index) answers unknown non-API GETs. */
export function installNotFound(
  app: FastifyInstance,
  page?: (request: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  app.setNotFoundHandler((request, reply) => {
    if (page && request.method === 'GET' && !request.url.startsWith('/api/')) return page(request, reply);
    return sendNotFound(request, reply);
  });
}

export const sendNotFound = (request: FastifyRequest, reply: FastifyReply) =>
  send(reply, 'not_found', `No route for ${request.method} ${request.url}.`);

function internal(requestId: string) {
  return {
    error: {
      code: 'internal' as const,
      message: `Something went wrong on our side. Reference: ${requestId}.`,
      requestId,
    },
  };
}

function clientCode(status: number, code: string | undefined): ErrorCode {
  if (status === 429) return 'rate_limited';
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') return 'csrf';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'too_large';
  if (status === 415) return 'unsupported_media_type';
  return 'invalid';
}
