// Patron memory (issue 14): the profile's new fields, contact points (several emails and
// phones, each labelled, preferred or failing), ongoing needs with their history, relationship
// value records, duplicate candidates and "not the same person" decisions, merges that can be
// undone, CSV import sources and batches, and the one-way hashes of erased contacts.
// Existing emails and phones become contact points (phones in E.164 when they parse).
// Frozen in time like every migration.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type] of [
    ['pronouns', 'text'],
    ['accessibility', 'text'],
    ['contact_channel', 'text'], // email | phone | sms | post | any
    ['contact_best_time', 'text'],
    ['do_not_contact_at', 'bigint'],
    ['name_key', 'text'], // accents folded, nicknames made formal, words sorted: duplicates
    ['household_id', 'integer'],
    ['merged_into_id', 'integer'],
    ['merged_at', 'bigint'],
    ['erased_at', 'bigint'],
  ] as const) {
    await db.schema.alterTable('patrons').addColumn(name, type).execute();
  }
  await db.schema
    .alterTable('patrons')
    .addColumn('asked_for_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('patrons_org_name_key').on('patrons').columns(['org_id', 'name_key', 'id']).execute();

  // Contact points: `value` is a lower-cased email or an E.164 number (as typed when it does
  // not parse); a family email may belong to several patrons, so it is not unique.
  await withId(db, db.schema.createTable('patron_contacts'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('patron_id', 'integer', (c) => c.notNull().references('patrons.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // email | phone
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('preferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_at', 'bigint')
    .addColumn('failing_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patron_contacts_value').on('patron_contacts').columns(['org_id', 'kind', 'value']).execute();
  await db.schema.createIndex('patron_contacts_patron').on('patron_contacts').columns(['patron_id', 'id']).execute();

  await withId(db, db.schema.createTable('patron_needs'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('patron_id', 'integer', (c) => c.notNull().references('patrons.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | in_progress | met | closed
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patron_needs_patron').on('patron_needs').columns(['patron_id', 'id']).execute();
  await withId(db, db.schema.createTable('patron_need_events'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('patron_needs.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patron_need_events_need').on('patron_need_events').columns(['need_id', 'id']).execute();

  // Memberships, donations, ticket purchases: a date, a kind, an amount in minor units.
  await withId(db, db.schema.createTable('patron_value_records'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('patron_id', 'integer', (c) => c.notNull().references('patrons.id').onDelete('cascade'))
    .addColumn('occurred_on', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('kind', 'text', (c) => c.notNull()) // membership | donation | ticket | other
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('import_batch_id', 'integer')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('patron_value_records_patron')
    .on('patron_value_records')
    .columns(['patron_id', 'occurred_on', 'id'])
    .execute();
  await db.schema
    .createIndex('patron_value_records_external')
    .unique()
    .on('patron_value_records')
    .columns(['org_id', 'source', 'external_id'])
    .where(sql.ref('external_id'), 'is not', null)
    .execute();

  // Duplicate candidates, kept up to date as patrons change (a < b), and decisions.
  await db.schema
    .createTable('patron_duplicates')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('patron_a', 'integer', (c) => c.notNull().references('patrons.id').onDelete('cascade'))
    .addColumn('patron_b', 'integer', (c) => c.notNull().references('patrons.id').onDelete('cascade'))
    .addColumn('score', 'integer', (c) => c.notNull()) // 0..100
    .addColumn('reasons', 'text', (c) => c.notNull()) // JSON array of words
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('patron_duplicates_pk', ['patron_a', 'patron_b'])
    .execute();
  await db.schema
    .createIndex('patron_duplicates_review')
    .on('patron_duplicates')
    .columns(['org_id', 'score', 'patron_a', 'patron_b'])
    .execute();
  await db.schema.createIndex('patron_duplicates_b').on('patron_duplicates').columns(['patron_b', 'patron_a']).execute();
  await db.schema
    .createTable('patron_distinct')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('patron_a', 'integer', (c) => c.notNull().references('patrons.id').onDelete('cascade'))
    .addColumn('patron_b', 'integer', (c) => c.notNull().references('patrons.id').onDelete('cascade'))
    .addColumn('by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('patron_distinct_pk', ['patron_a', 'patron_b'])
    .execute();

  // A merge moves the messages a patron wrote with them: found by author.
  await db.schema
    .createIndex('case_entries_author_patron')
    .on('case_entries')
    .columns(['author_patron_id'])
    .where(sql.ref('author_patron_id'), 'is not', null)
    .execute();

  // A merge keeps what it moved, so it can be undone exactly for 30 days.
  await withId(db, db.schema.createTable('patron_merges'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('survivor_id', 'integer', (c) => c.notNull().references('patrons.id'))
    .addColumn('merged_id', 'integer', (c) => c.notNull().references('patrons.id'))
    .addColumn('by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('undo_until', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .addColumn('undone_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('snapshot', 'text', (c) => c.notNull()) // JSON: both rows and what moved
    .execute();
  await db.schema.createIndex('patron_merges_org').on('patron_merges').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('patron_merges_merged').on('patron_merges').columns(['merged_id', 'id']).execute();

  // CSV import: a mapping per source, batches (undone as one), each row's change.
  await withId(db, db.schema.createTable('patron_import_sources'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull()) // JSON: field → column
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('patron_import_sources_name', ['org_id', 'name'])
    .execute();
  await db.schema
    .createTable('patron_external_ids')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('patron_id', 'integer', (c) => c.notNull().references('patrons.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('patron_external_ids_pk', ['org_id', 'source', 'external_id'])
    .execute();
  await db.schema.createIndex('patron_external_ids_patron').on('patron_external_ids').columns(['patron_id']).execute();
  await withId(db, db.schema.createTable('patron_import_batches'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull()) // JSON: outcome → rows
    .addColumn('undone_at', 'bigint')
    .execute();
  await db.schema.createIndex('patron_import_batches_org').on('patron_import_batches').columns(['org_id', 'id']).execute();
  await withId(db, db.schema.createTable('patron_import_changes'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('patron_import_batches.id').onDelete('cascade'))
    .addColumn('patron_id', 'integer', (c) => c.references('patrons.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull()) // create | update | fill | value
    .addColumn('before', 'text') // JSON of the fields it changed, for undo
    .addColumn('value_record_id', 'integer')
    .execute();
  await db.schema.createIndex('patron_import_changes_batch').on('patron_import_changes').columns(['batch_id', 'id']).execute();

  // Erased contacts as one-way hashes: an import skips them rather than re-create the person.
  await db.schema
    .createTable('patron_erased_hashes')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('patron_erased_hashes_pk', ['org_id', 'hash'])
    .execute();

  await backfillContacts(db);

  // Existing patrons' search documents are rewritten by the application (job patrons.reindex,
  // in batches), so they hold every contact point as the application now writes it.
  if (await db.selectFrom('patrons').select('id').limit(1).executeTakeFirst()) {
    const now = Date.now();
    await db
      .insertInto('jobs')
      .values({
        org_id: null,
        kind: 'patrons.reindex',
        payload: '{"after":0}',
        state: 'queued',
        run_at: now,
        available_at: now,
        attempts: 0,
        max_attempts: 10,
        unique_key: 'patrons.reindex:0',
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

/** Existing emails and phones become preferred contact points, 1,000 patrons at a time. */
async function backfillContacts(db: Kysely<any>): Promise<void> {
  const orgs: Array<{ id: number; locale: string }> = await db.selectFrom('organizations').select(['id', 'locale']).execute();
  const countryOf = new Map(orgs.map((o) => [o.id, regionOf(o.locale)]));
  let after = 0;
  for (;;) {
    const rows: Array<{ id: number; org_id: number; email: string | null; phone: string | null; created_at: number }> = await db
      .selectFrom('patrons')
      .select(['id', 'org_id', 'email', 'phone', 'created_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (!rows.length) break;
    after = rows[rows.length - 1]!.id;
    const contacts = rows.flatMap((r) => {
      const out = [];
      if (r.email) out.push({ org_id: r.org_id, patron_id: r.id, kind: 'email', value: r.email.toLowerCase(), preferred: 1, created_at: Number(r.created_at) });
      if (r.phone) {
        const parsed = parsePhoneNumberFromString(r.phone, countryOf.get(r.org_id) ?? 'US');
        const value = parsed?.isValid() ? parsed.number : r.phone;
        out.push({ org_id: r.org_id, patron_id: r.id, kind: 'phone', value, preferred: 1, created_at: Number(r.created_at) });
      }
      return out;
    });
    if (contacts.length) await db.insertInto('patron_contacts').values(contacts).execute();
  }
}

function regionOf(locale: string): CountryCode {
  try {
    return (new Intl.Locale(locale).maximize().region ?? 'US') as CountryCode;
  } catch {
    return 'US';
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'patron_erased_hashes',
    'patron_import_changes',
    'patron_import_batches',
    'patron_external_ids',
    'patron_import_sources',
    'patron_merges',
    'patron_distinct',
    'patron_duplicates',
    'patron_value_records',
    'patron_need_events',
    'patron_needs',
    'patron_contacts',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.dropIndex('patrons_org_name_key').execute();
  await db.schema.dropIndex('case_entries_author_patron').execute();
  for (const c of [
    'asked_for_user_id',
    'erased_at',
    'merged_at',
    'merged_into_id',
    'household_id',
    'name_key',
    'do_not_contact_at',
    'contact_best_time',
    'contact_channel',
    'accessibility',
    'pronouns',
  ]) {
    await db.schema.alterTable('patrons').dropColumn(c).execute();
  }
}
