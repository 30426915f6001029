// Events pushed to browsers over SSE. Small on purpose: a browser refetches what it shows.
import { z } from 'zod';

export const LiveEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('case.changed'),
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
    orgId: z.number(),
    caseId: z.number(),
    ref: z.string(),
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
