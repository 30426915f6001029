// Re-indexing patrons through the platform's search, 500 at a time, each batch a job that
// enqueues the next: migration 0009 starts it, so patrons written before contact points
// existed are found by every contact point in the format it is now written.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/types.js';
import type { Platform } from '../platform/context.js';
import { defineJob, type AnyJobType, type JobType } from '../platform/jobs/index.js';
import { inJobTransaction } from '../platform/tx.js';
import { patronsAfter } from './queries.js';
import { patronDocs } from './service.js';

const BATCH = 500;
export const ReindexPayload = z.object({ after: z.number().int().min(0) });
export type ReindexPayload = z.output<typeof ReindexPayload>;

/** One batch: the patrons after `after` in id order (rewritten in place), then the next batch. */
export async function reindexPatronsBatch(
  p: Pick<Platform, 'search'>,
  after: number,
  tx: Kysely<Database>,
): Promise<number | null> {
  const rows = await patronsAfter(tx, after, BATCH);
  if (!rows.length) return null;
  const live = rows.filter((r) => r.merged_into_id === null && r.erased_at === null);
  await p.search.upsertMany(tx, await patronDocs(tx, live));
  return rows.length < BATCH ? null : rows.at(-1)!.id;
}

export function patronJobTypes(p: Platform): AnyJobType[] {
  const reindex: JobType<ReindexPayload> = defineJob({
    kind: 'patrons.reindex',
    payload: ReindexPayload,
    maxAttempts: 10,
    backoffMs: 10_000,
    run: async (payload, job) => {
      const { after } = ReindexPayload.parse(payload);
      await inJobTransaction(p, job, async (ctx) => {
        const next = await reindexPatronsBatch(ctx, after, ctx.tx);
        if (next !== null) await ctx.jobs.enqueue(reindex, { after: next }, { uniqueKey: `patrons.reindex:${next}` });
      });
    },
  });
  return [reindex];
}
