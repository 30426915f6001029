// The admin's view of durable jobs: what is queued, running or dead, with retry and discard.
import { z } from 'zod';
import { Cursor, Id, Ok } from './common.js';
import { endpoint } from './endpoint.js';

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

export type ListedJobStateInput = z.input<typeof ListedJobState>;
export type JobViewInput = z.input<typeof JobView>;
export type JobQueryInput = z.input<typeof JobQuery>;
export type JobPageInput = z.input<typeof JobPage>;

export const JobParams = z.object({ id: Id });
export type JobParams = z.output<typeof JobParams>;
export type JobParamsInput = z.input<typeof JobParams>;

export const jobsApi = {
  list: endpoint({
    method: 'GET',
    path: '/api/admin/jobs',
    tags: ['admin'],
    summary: "The organization's and the system's jobs in one state, newest first",
    query: JobQuery,
    replies: { 200: JobPage },
  }),
  retry: endpoint({
    method: 'POST',
    path: '/api/admin/jobs/:id/retry',
    tags: ['admin'],
    summary: 'Run a dead job again, from its first attempt',
    params: JobParams,
    replies: { 200: JobView },
  }),
  discard: endpoint({
    method: 'DELETE',
    path: '/api/admin/jobs/:id',
    tags: ['admin'],
    summary: 'Discard a queued or dead job',
    params: JobParams,
    replies: { 200: Ok },
  }),
};
