// The patron list and its CSV export (issue 14): newest first, keyset-paged on (created_at, id)
// within an organization, and filtered by a range of creation days; one index serves the order,
// the range and the cursor. Frozen in time like every migration.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('patrons_org_created').on('patrons').columns(['org_id', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('patrons_org_created').execute();
}
