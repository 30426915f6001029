// The one way the web app talks to the API: JSON in and out, same-origin cookies, the CSRF
// token on every state change, and every failure turned into an ApiError.
import type { ErrorBody, ErrorCode } from '../../contracts/common.js';
import {
  pathOf,
  type BodyIn,
  type Endpoint,
  type Method,
  type ParamsIn,
  type QueryIn,
  type ReplyOf,
  type Route,
} from '../../contracts/endpoint.js';
import { ROUTES } from '../../contracts/routes.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** One of the API's error codes, or `network`/`http` when no API answer came. */
    readonly code: ErrorCode | 'network' | 'http',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type QueryValue = string | number | boolean | null | undefined;

const UNSAFE = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: Promise<string> | null = null;
/** The token once known, for requests that must leave synchronously (page unload). */
let csrfValue: string | null = null;

function loadCsrf(): Promise<string> {
  csrfToken ??= fetch(ROUTES.csrf.path, { credentials: 'same-origin' })
    .then((r) => {
      if (!r.ok) throw new ApiError(r.status, 'csrf', 'Could not start a secure session; reload the page.');
      return r.json() as Promise<{ token: string }>;
    })
    .then((b) => (csrfValue = b.token))
    .catch((e: unknown) => {
      csrfToken = null;
      throw e;
    });
  return csrfToken;
}

/** Query string from an object, leaving out empty values so URLs stay short. */
function qs(params: Record<string, QueryValue>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    s.set(k, String(v));
  }
  const out = s.toString();
  return out ? `?${out}` : '';
}

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method)) headers['x-csrf-token'] = await loadCsrf();
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
}

async function toError(res: Response): Promise<ApiError> {
  try {
    const b = (await res.json()) as Partial<ErrorBody>;
    if (b.error) return new ApiError(res.status, b.error.code, b.error.message, b.error.field);
  } catch {
    // not JSON: fall through to a generic message
  }
  return new ApiError(res.status, 'http', `The server answered ${res.status}.`);
}

async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body);
  if (!res.ok && res.status === 403 && UNSAFE.has(method)) {
    const err = await toError(res.clone());
    // The token expires with its cookie; fetch a fresh one and try once more.
    if (err.code === 'csrf') {
      csrfToken = null;
      res = await send(method, path, body);
    }
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

type Has<E, K extends string> = E extends { [P in K]: unknown } ? true : false;

/** What calling an endpoint takes: its path params, query and body, each when it has one. */
export type CallArgs<E extends Endpoint> = (Has<E, 'params'> extends true ? { params: ParamsIn<E> } : object) &
  (Has<E, 'query'> extends true ? { query?: QueryIn<E> } : object) &
  (Has<E, 'body'> extends true ? { body: BodyIn<E> } : object);

type ArgsFor<E extends Endpoint> = keyof CallArgs<E> extends never ? [] : [args: CallArgs<E>];

/**
 * Calls an endpoint described in src/contracts (or its zod-free `Route`): the URL is built from
 * its path and params, the query and body are typed from its schemas, and so is the answer.
 */
export function call<E extends Endpoint>(e: E | Route<E>, ...rest: ArgsFor<E>): Promise<ReplyOf<E>> {
  const args = (rest[0] ?? {}) as { params?: Record<string, unknown>; query?: Record<string, QueryValue>; body?: unknown };
  const url = pathOf(e.path, args.params) + (args.query ? qs(args.query) : '');
  const body = e.method === 'GET' || e.method === 'DELETE' ? undefined : (args.body ?? {});
  return api<ReplyOf<E>>(e.method, url, body);
}

/** A GET whose reply is a file (`FileBytes`), not JSON: its bytes, for the page to use itself. */
export async function callForBytes<E extends Endpoint>(e: E | Route<E>, ...rest: ArgsFor<E>): Promise<Blob> {
  const args = (rest[0] ?? {}) as { params?: Record<string, unknown>; query?: Record<string, QueryValue> };
  const url = pathOf(e.path, args.params) + (args.query ? qs(args.query) : '');
  const res = await send('GET', url, undefined);
  if (!res.ok) throw await toError(res);
  return res.blob();
}

/**
 * The URL of a GET endpoint, for a plain link the browser downloads itself (a streamed CSV:
 * never held in the page's memory). The session cookie goes with it; GETs need no CSRF token.
 */
export function hrefOf<E extends Endpoint>(e: E | Route<E>, ...rest: ArgsFor<E>): string {
  const args = (rest[0] ?? {}) as { params?: Record<string, unknown>; query?: Record<string, QueryValue> };
  return pathOf(e.path, args.params) + (args.query ? qs(args.query) : '');
}

/** After sign-in or sign-out the CSRF secret cookie may change; start afresh. */
export function resetCsrf(): void {
  csrfToken = null;
  csrfValue = null;
}

/**
 * A request that must outlive the page (sent from `pagehide`): keepalive, fire and forget.
 * It needs a CSRF token already fetched, which any earlier state change has done.
 */
export function sendOnUnload<E extends Endpoint>(e: E, ...rest: ArgsFor<E>): void {
  if (!csrfValue) return;
  const args = (rest[0] ?? {}) as { params?: Record<string, unknown> };
  void fetch(pathOf(e.path, args.params), {
    method: e.method,
    keepalive: true,
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrfValue },
  }).catch(() => undefined);
}

/**
 * The live event stream (Server-Sent Events). It is the one route not described in
 * src/contracts: its reply is a stream, not a JSON body an endpoint can declare.
 */
export const LIVE_EVENTS_PATH = '/api/events';
