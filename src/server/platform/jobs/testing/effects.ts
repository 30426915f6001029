// Test kit: a side-effect table with no unique constraint (a duplicate run shows as a second
// row instead of being hidden), and a job kind that writes to it in its own transaction.
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/types.js';
import { defineJob } from '../define.js';

export async function createEffectsTable(db: Kysely<Database>): Promise<void> {
  await sql`create table if not exists job_effects (job_id integer not null, n integer not null, worker text not null)`.execute(db);
}

export async function effectCounts(db: Kysely<Database>): Promise<{ rows: number; jobs: number; workers: Map<string, number> }> {
  const { rows } = await sql<{ job_id: number; worker: string }>`select job_id, worker from job_effects`.execute(db);
  const workers = new Map<string, number>();
  for (const r of rows) workers.set(r.worker, (workers.get(r.worker) ?? 0) + 1);
  return { rows: rows.length, jobs: new Set(rows.map((r) => r.job_id)).size, workers };
}

/** Records one effect row, exactly once per job, after `delayMs` of pretend work or a gate. */
export function effectJob(worker: string, opts: { delayMs?: number; gate?: Promise<void> } = {}) {
  return defineJob({
    kind: 'test.effect',
    payload: z.object({ n: z.number().int() }),
    async run({ n }, job) {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      await opts.gate;
      await job.transaction((tx) => sql`insert into job_effects (job_id, n, worker) values (${job.id}, ${n}, ${worker})`.execute(tx));
    },
  });
}
