import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDb } from '../db/index.js';
import { signIn } from '../testing/client.js';
import { PASSWORD, logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { backupSqlite } from './backup.js';
import { purgeExpired } from './housekeeping.js';

describeEachDialect('housekeeping', (h) => {
  it('purges expired sessions and presence, and nothing live', async () => {
    const org = await makeOrg(h());
    const old = await signIn(h().app, org.users.associate.email, PASSWORD);
    const { ref } = await logCall(old);
    await old.put(`/api/cases/${ref}/presence`, { state: 'viewing' });
    h().clock.advance(13 * 3600_000); // past the idle expiry
    const fresh = await signIn(h().app, org.users.supervisor.email, PASSWORD);
    const purged = await purgeExpired(h().p);
    expect(purged.sessions).toBeGreaterThanOrEqual(1);
    expect(purged.presence).toBeGreaterThanOrEqual(1);
    expect((await fresh.get('/api/session')).statusCode).toBe(200);
    const left = await h().db.kysely.selectFrom('sessions').select('id').where('expires_at', '<=', h().clock.now()).execute();
    expect(left).toEqual([]);
  });
});

describe('backups', () => {
  it('copies a live SQLite database into a file that opens and holds the data', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-backup-'));
    const file = path.join(dir, 'servewell.db');
    const db = openDb({ sqliteFile: file });
    await migrateToLatest(db);
    await db.kysely.insertInto('app_secrets').values({ name: 'probe', value: 'kept' }).execute();
    const dest = await backupSqlite(file, path.join(dir, 'backups'), new Date(Date.UTC(2026, 10, 23, 12, 0, 0)));
    await db.close();
    expect(path.basename(dest)).toBe('servewell-20261123-120000.db');
    const copy = new SQLite(dest, { readonly: true });
    expect(copy.prepare("select value from app_secrets where name = 'probe'").get()).toEqual({ value: 'kept' });
    copy.close();
    await expect(backupSqlite(path.join(dir, 'missing.db'), dir)).rejects.toThrow(/No database/);
  });
});
