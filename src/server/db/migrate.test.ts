import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, createSchema, dropSchema } from '../testing/harness.js';
import { migrateToLatest, openDb } from './index.js';

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
