// Full-text search documents (FTS5 on SQLite, tsvector + GIN on PostgreSQL) and the presence
// table behind the collision warning.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  // One index for cases (id = case id), one for patrons (id = patron id * 2 + part, where part
  // 1 holds personal notes): a search of one never walks the other's matches.
  if (isPostgres(db)) {
    for (const table of ['cases_search', 'patrons_search']) {
      await db.schema
        .createTable(table)
        .addColumn('id', 'bigint', (c) => c.primaryKey())
        .addColumn('org_id', 'integer', (c) => c.notNull())
        .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
        .execute();
      await sql`create index ${sql.id(`${table}_tsv`)} on ${sql.table(table)} using gin (tsv)`.execute(db);
    }
  } else {
    // Contentless: the text lives in its own tables, not twice.
    for (const table of ['cases_fts', 'patrons_fts']) {
      await sql`create virtual table ${sql.table(table)} using fts5(
        title, body, content='', contentless_delete=1,
        tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
    }
  }

  await db.schema
    .createTable('case_presence')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_presence_pk', ['case_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_presence').execute();
  for (const table of isPostgres(db) ? ['cases_search', 'patrons_search'] : ['cases_fts', 'patrons_fts']) {
    await db.schema.dropTable(table).execute();
  }
}
