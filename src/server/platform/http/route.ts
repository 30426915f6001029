// Registers a route from its endpoint description (contracts/endpoint.ts): the zod schemas
// validate the request, serialize the reply and document it in OpenAPI; the role rule goes to
// the access hook; every error reply is declared. A handler returns the reply body (sent with
// the endpoint's first success status) or `withStatus(code, body)` for another one.
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { errorReplies, bodyErrorReplies } from '../../../contracts/common.js';
import type {
  BodyOut,
  Endpoint,
  ParamsOut,
  QueryOut,
  ReplyBodyFor,
  SuccessOf,
  SuccessStatus,
} from '../../../contracts/endpoint.js';
import type { RoleRule } from '../actor.js';
import type { RateLimit } from '../../config.js';
import type { App } from './types.js';

export type EndpointRequest<E extends Endpoint> = FastifyRequest<{
  Params: ParamsOut<E>;
  Querystring: QueryOut<E>;
  Body: BodyOut<E>;
}>;

export class StatusReply<S extends number, B> {
  constructor(
    readonly status: S,
    readonly body: B,
  ) {}
}

/** A reply with a success status other than the endpoint's first (a 202 beside a 201). */
export const withStatus = <S extends number, B>(status: S, body: B) => new StatusReply(status, body);

type Replied<E extends Endpoint> =
  | ReplyBodyFor<E, SuccessOf<E>>
  | { [S in SuccessOf<E>]: StatusReply<S, ReplyBodyFor<E, S>> }[SuccessOf<E>];

export interface RouteOptions {
  roles: RoleRule;
  rateLimit?: RateLimit;
  /** Left out of the OpenAPI document. */
  hide?: boolean;
}

export type EndpointHandler<E extends Endpoint> = (
  req: EndpointRequest<E>,
  reply: FastifyReply,
) => Promise<Replied<E>>;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function route<E extends Endpoint>(app: App, e: E, opts: RouteOptions, handler: EndpointHandler<E>): void {
  const statuses = (Object.keys(e.replies).map(Number) as SuccessStatus[]).sort();
  const first = statuses[0];
  if (first === undefined) throw new Error(`${e.method} ${e.path}: an endpoint declares at least one success reply`);
  const run: RouteHandlerMethod = async (req, reply) => {
    const out = await handler(req as unknown as EndpointRequest<E>, reply);
    if (reply.sent) return reply;
    if (out instanceof StatusReply) return reply.status(out.status).send(out.body);
    return reply.status(first).send(out);
  };
  app.route({
    method: e.method,
    url: e.path,
    config: { roles: opts.roles, ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}) },
    schema: {
      tags: [...e.tags],
      ...(e.summary ? { summary: e.summary } : {}),
      ...(e.description ? { description: e.description } : {}),
      ...(opts.hide ? { hide: true } : {}),
      ...(e.params ? { params: e.params } : {}),
      ...(e.query ? { querystring: e.query } : {}),
      ...(e.body ? { body: e.body } : {}),
      response: { ...e.replies, ...errorReplies, ...(BODY_METHODS.has(e.method) ? bodyErrorReplies : {}) },
    },
    handler: run,
  });
}
