// Events pushed to browsers over SSE. Small on purpose: a browser refetches what it shows.
import { z } from 'zod';
import { CaseRefParams } from './cases.js';
import { Ok, Role } from './common.js';
import { endpoint } from './endpoint.js';

/**
 * Who in the organization may receive an event: everyone on the staff unless narrowed to some
 * roles (goodwill: no volunteers) or some users (a personal notification). The live stream
 * checks it for each receiving user (server/live/policy.ts).
 */
export const Audience = z.object({
  roles: z.array(Role).optional(),
  userIds: z.array(z.number()).optional(),
});
export type Audience = z.output<typeof Audience>;

export const LiveEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('case.changed'),
    audience: Audience.optional(),
    orgId: z.number(),
    caseId: z.number(),
    ref: z.string(),
    teamId: z.number().nullable(),
    assigneeId: z.number().nullable(),
    byUserId: z.number().nullable(),
    at: z.number(),
  }),
  z.object({
    type: z.literal('presence'),
    audience: Audience.optional(),
    orgId: z.number(),
    caseId: z.number(),
    ref: z.string(),
  }),
  // A promise made, kept, renegotiated, reminded, broken or escalated (issue 11).
  z.object({
    type: z.literal('promise.changed'),
    audience: Audience.optional(),
    orgId: z.number(),
    promiseId: z.number(),
    caseId: z.number(),
    ownerUserId: z.number(),
    teamId: z.number().nullable(),
  }),
  // A new in-app notification for the people in its audience (issue 11).
  z.object({
    type: z.literal('notification'),
    audience: Audience.optional(),
    orgId: z.number(),
    userId: z.number(),
  }),
  // Arrivals now outrun the staff on shift of a team's channel (active), or no longer do.
  z.object({
    type: z.literal('staffing.warning'),
    audience: Audience.optional(),
    orgId: z.number(),
    teamId: z.number(),
    channel: z.string(),
    active: z.boolean(),
    at: z.number(),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

export const PresenceState = z.enum(['viewing', 'composing']);
export const PresenceBody = z.object({ state: PresenceState });
export const PresenceView = z.object({
  others: z.array(
    z.object({ userId: z.number(), name: z.string(), state: PresenceState, since: z.number() }),
  ),
});
export type PresenceView = z.infer<typeof PresenceView>;
export type PresenceState = z.output<typeof PresenceState>;
export type PresenceBody = z.output<typeof PresenceBody>;
export type PresenceBodyInput = z.input<typeof PresenceBody>;

export const liveApi = {
  presence: endpoint({ method: 'GET', path: '/api/cases/:ref/presence', tags: ['live'], params: CaseRefParams, replies: { 200: PresenceView } }),
  announce: endpoint({
    method: 'PUT',
    path: '/api/cases/:ref/presence',
    tags: ['live'],
    summary: 'I am viewing or composing on this case (renew every 15 s)',
    params: CaseRefParams,
    body: PresenceBody,
    replies: { 200: PresenceView },
  }),
  leave: endpoint({ method: 'DELETE', path: '/api/cases/:ref/presence', tags: ['live'], params: CaseRefParams, replies: { 200: Ok } }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type AudienceInput = z.input<typeof Audience>;
export type LiveEventInput = z.input<typeof LiveEvent>;
export type PresenceStateInput = z.input<typeof PresenceState>;
export type PresenceViewInput = z.input<typeof PresenceView>;
