// The admin's view of durable jobs: what is queued, running or dead, with retry and discard.
import { z } from 'zod';
import { Cursor } from './common.js';

/** The states an admin lists; done jobs leave the table (or stay briefly for their key). */
export const ListedJobState = z.enum(['queued', 'running', 'dead']);
export type ListedJobState = z.infer<typeof ListedJobState>;

export const JobView = z
  .object({
    id: z.number(),
    kind: z.string(),
    state: z.enum(['queued', 'running', 'done', 'dead']),
    /** A system job (housekeeping) belongs to no organization. */
    system: z.boolean(),
    attempts: z.number(),
    maxAttempts: z.number(),
    runAt: z.number(),
    leaseExpiresAt: z.number().nullable(),
    lastError: z.string().nullable(),
    uniqueKey: z.string().nullable(),
    payload: z.unknown(),
    createdAt: z.number(),
    updatedAt: z.number(),
    finishedAt: z.number().nullable(),
  })
  .meta({ id: 'Job' });
export type JobView = z.infer<typeof JobView>;

export const JobQuery = z.object({
  state: ListedJobState,
  after: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type JobQuery = z.infer<typeof JobQuery>;

export const JobPage = z.object({
  items: z.array(JobView),
  nextCursor: z.string().nullable(),
});
export type JobPage = z.infer<typeof JobPage>;
