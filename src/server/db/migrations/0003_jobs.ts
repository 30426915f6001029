// Durable jobs: one row per piece of work to run later or elsewhere (reminders, mail, recurring
// housekeeping). Frozen in time like every migration; the runner is platform/jobs.
import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Written literally (not as bound parameters) so that SQLite can prove the claim query and
// the partial index agree; the claim query repeats this exact text.
const CLAIMABLE = sql.raw<boolean>(`state in ('queued', 'running')`);

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('jobs'))
    // Null for system jobs (housekeeping), which belong to no organization.
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull()) // JSON
    .addColumn('state', 'text', (c) => c.notNull()) // queued | running | done | dead
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    // When the job may next be claimed: run_at while queued, the lease's expiry while running.
    // One column for both makes "due" a single range over one partial index, and a crashed
    // worker's job claimable again once its lease runs out.
    .addColumn('available_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('unique_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();

  // The claim: due work in order. Done and dead rows are not in it at all.
  await db.schema
    .createIndex('jobs_due')
    .on('jobs')
    .columns(['available_at', 'id'])
    .where(CLAIMABLE)
    .execute();
  // Enqueueing with a key is idempotent (insert … on conflict do nothing).
  await db.schema
    .createIndex('jobs_unique_key')
    .unique()
    .on('jobs')
    .column('unique_key')
    .where(sql.ref('unique_key'), 'is not', null)
    .execute();
  // The admin screen: one organization's (or the system's) jobs in one state, newest first.
  await db.schema.createIndex('jobs_org_state').on('jobs').columns(['org_id', 'state', 'id']).execute();
  // The retention purge of finished rows kept for their unique key.
  await db.schema
    .createIndex('jobs_done_finished')
    .on('jobs')
    .column('finished_at')
    .where(sql.raw<boolean>(`state = 'done'`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
