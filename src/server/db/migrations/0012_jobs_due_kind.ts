// A batch's top-up claims due jobs of one kind (platform/jobs/runner.ts): this index gives it
// those jobs in due order at once, whatever the planner's statistics say. Without it, on
// statistics older than a burst (10,000 reminder emails queued within seconds), PostgreSQL
// scanned the whole job table and sorted it for every top-up.
import { sql, type Kysely } from 'kysely';

// The very text of jobs_due's condition (0003_jobs), which the claim query repeats.
const CLAIMABLE = sql.raw<boolean>(`state in ('queued', 'running')`);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_due_kind').on('jobs').columns(['kind', 'available_at', 'id']).where(CLAIMABLE).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_due_kind').execute();
}
