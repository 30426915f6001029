import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, createSchema, dialects, dropSchema } from '../testing/harness.js';
import { migrateToLatest, openDb } from './index.js';
import { migrations } from './migrations/index.js';

for (const dialect of dialects()) {
  describe(`0004_office on a database with users [${dialect}]`, () => {
    it('scopes user emails to the organization and keeps every row and reference', async () => {
      const schema = dialect === 'postgres' ? await createSchema() : undefined;
      const db = openDb(schema ? { databaseUrl: TEST_DATABASE_URL, pgSchema: schema } : { sqliteFile: ':memory:' });
      try {
        const migrator = new Migrator({
          db: db.kysely,
          provider: { getMigrations: async () => migrations },
          ...(schema ? { migrationTableSchema: schema } : {}),
        });
        const before = Object.keys(migrations).filter((m) => m < '0004');
        const { error } = await migrator.migrateTo(before.at(-1)!);
        expect(error).toBeUndefined();
        const k = db.kysely;
        const org = await k.insertInto('organizations').values({ slug: 'a', name: 'A', locale: 'en-US', time_zone: 'UTC', currency: 'USD', case_prefix: 'SW', case_seq: 1000, default_team_id: null, created_at: 1 }).returning('id').executeTakeFirstOrThrow();
        const other = await k.insertInto('organizations').values({ slug: 'b', name: 'B', locale: 'en-US', time_zone: 'UTC', currency: 'USD', case_prefix: 'SW', case_seq: 1000, default_team_id: null, created_at: 1 }).returning('id').executeTakeFirstOrThrow();
        const team = await k.insertInto('teams').values({ org_id: org.id, name: 'T', created_at: 1 }).returning('id').executeTakeFirstOrThrow();
        const user = { name: 'U', role: 'admin' as const, team_id: team.id, password_hash: 'x', locked_until: null, deactivated_at: null, password_changed_at: 1, created_at: 1 };
        const u = await k.insertInto('users').values({ ...user, org_id: org.id, email: 'u@x.org' }).returning('id').executeTakeFirstOrThrow();
        await k.insertInto('sessions').values({ id: 'sess', user_id: u.id, created_at: 1, last_seen_at: 1, expires_at: 2 }).execute();
        await k.insertInto('audit_log').values({ org_id: org.id, actor_user_id: u.id, action: 'login.succeeded', target_type: 'user', target_id: String(u.id), detail: null, ip: null, created_at: 1 }).execute();
        await k.insertInto('audit_log').values({ org_id: org.id, actor_user_id: u.id, action: 'team.created', target_type: 'team', target_id: String(team.id), detail: null, ip: null, created_at: 2 }).execute();

        expect(await migrateToLatest(db)).toContain('0004_office');
        expect(await k.selectFrom('users').select(['id', 'email', 'team_id']).execute()).toEqual([{ id: u.id, email: 'u@x.org', team_id: team.id }]);
        expect(await k.selectFrom('sessions').select('user_id').execute()).toEqual([{ user_id: u.id }]);
        expect((await k.selectFrom('audit_log').select('kind').orderBy('id').execute()).map((r) => r.kind)).toEqual(['sign_in', 'team']);
        // The same email in another organization is a different user; in the same one, refused.
        await k.insertInto('users').values({ ...user, team_id: null, org_id: other.id, email: 'u@x.org' }).execute();
        await expect(k.insertInto('users').values({ ...user, team_id: null, org_id: org.id, email: 'U@X.org' }).execute()).rejects.toThrow();
        // References still hold: a session of a missing user is refused; deleting a user with sessions cascades.
        await expect(k.insertInto('sessions').values({ id: 'ghost', user_id: 999, created_at: 1, last_seen_at: 1, expires_at: 2 }).execute()).rejects.toThrow();
        await k.deleteFrom('audit_log').execute();
        await k.deleteFrom('users').where('id', '=', u.id).execute();
        expect(await k.selectFrom('sessions').select('id').execute()).toEqual([]);
        if (dialect === 'sqlite') expect((await sql`pragma foreign_key_check`.execute(k)).rows).toEqual([]);
      } finally {
        await db.close();
        if (schema) await dropSchema(schema);
      }
    });
  });
}

describe.runIf(TEST_DATABASE_URL)('migrations on PostgreSQL', () => {
  it('keep their bookkeeping in the app’s own schema, whatever other schemas hold', async () => {
    // Another install (or another test file) on the same database, in its own schema.
    const other = await createSchema();
    const mine = await createSchema();
    const neighbour = openDb({ databaseUrl: TEST_DATABASE_URL, pgSchema: other });
    const db = openDb({ databaseUrl: TEST_DATABASE_URL, pgSchema: mine });
    try {
      await migrateToLatest(neighbour);
      const applied = await migrateToLatest(db);
      expect(applied).toContain('0001_foundation');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(db.kysely);
      expect(rows[0]?.n).toBe(applied.length);
      expect(await migrateToLatest(db)).toEqual([]);
    } finally {
      await neighbour.close();
      await db.close();
      await dropSchema(other);
      await dropSchema(mine);
    }
  });
});
