// Full-text search documents (FTS5 on SQLite, tsvector + GIN on PostgreSQL) and the presence
// table behind the collision warning.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await db.schema
      .createTable('search_docs')
      .addColumn('id', 'bigint', (c) => c.primaryKey())
      .addColumn('org_id', 'integer', (c) => c.notNull())
      .addColumn('kind', 'smallint', (c) => c.notNull())
      .addColumn('ref_id', 'integer', (c) => c.notNull())
      .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  } else {
    // Contentless: the text lives in its own tables; rowid = owner id * 4 + kind.
    await sql`create virtual table search_fts using fts5(
      title, body, content='', contentless_delete=1,
      tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
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
  if (isPostgres(db)) await db.schema.dropTable('search_docs').execute();
  else await sql`drop table search_fts`.execute(db);
}
