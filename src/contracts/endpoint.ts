// One description per endpoint (method, path, params, query, body, replies), read by both
// sides: the server registers its route and OpenAPI schema from it (platform/http/route.ts),
// the web app calls it with types inferred from it (web/api/client.ts). A URL and its shapes
// cannot drift apart, because there is only one of each.
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type SuccessStatus = 200 | 201 | 202;

export interface Endpoint {
  method: Method;
  /** Fastify style, e.g. `/api/cases/:ref`; each `:name` is a key of `params`. */
  path: string;
  tags: readonly string[];
  summary?: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success replies by status; every endpoint also declares the error replies. */
  replies: Partial<Record<SuccessStatus, z.ZodType>>;
}

/** Declares an endpoint, keeping its literal types. */
export const endpoint = <const E extends Endpoint>(e: E): E => e;

type Field<E, K extends 'params' | 'query' | 'body'> = E extends { [P in K]: infer S extends z.ZodType } ? S : never;

/** What a client sends: zod *input* types (defaults may be left out). */
export type ParamsIn<E extends Endpoint> = z.input<Field<E, 'params'>>;
export type QueryIn<E extends Endpoint> = z.input<Field<E, 'query'>>;
export type BodyIn<E extends Endpoint> = z.input<Field<E, 'body'>>;

/** What a handler receives: zod *output* types (defaults applied, strings coerced). */
export type ParamsOut<E extends Endpoint> = z.output<Field<E, 'params'>>;
export type QueryOut<E extends Endpoint> = z.output<Field<E, 'query'>>;
export type BodyOut<E extends Endpoint> = z.output<Field<E, 'body'>>;

export type SuccessOf<E extends Endpoint> = keyof E['replies'] & SuccessStatus;
/** The body of any success reply, as the client receives it. */
export type ReplyOf<E extends Endpoint> = {
  [S in SuccessOf<E>]: E['replies'][S] extends z.ZodType ? z.output<E['replies'][S]> : never;
}[SuccessOf<E>];
/** The body a handler returns for one success status (before serialization). */
export type ReplyBodyFor<E extends Endpoint, S extends SuccessOf<E>> = E['replies'][S] extends z.ZodType
  ? z.input<E['replies'][S]>
  : never;

/** The path with its `:params` filled in, each encoded. */
export function pathOf(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new Error(`${path}: missing path parameter ${name}`);
    return encodeURIComponent(String(v));
  });
}

declare const endpointType: unique symbol;
/**
 * An endpoint as a client calls it: its method and path only, typed from its schemas, which it
 * does not carry, so a page can call it without loading zod (the public pages do).
 */
export interface Route<E extends Endpoint = Endpoint> {
  readonly method: E['method'];
  readonly path: E['path'];
  /** Never set: only the type, for `call` to infer the endpoint from. */
  readonly [endpointType]?: E;
}

/** The route of endpoint `E`, checked against its method and path. */
export const routeOf = <E extends Endpoint>(route: { method: E['method']; path: E['path'] }): Route<E> => route;
