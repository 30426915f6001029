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
import { HOUSEKEEPING_EVERY_MS, housekeeping, purgeExpired } from './housekeeping.js';
import { JobRunner, enqueueJob, defineJob } from './jobs/index.js';
import { quietLog } from './jobs/testing/kit.js';
import { z } from 'zod';

describeEachDialect('housekeeping', (h) => {
  it('purges expired sessions and presence, and nothing live', async () => {
    const org = await makeOrg(h());
    const old = await signIn(h().app, org.users.associate.email, PASSWORD);
    const { ref } = await logCall(old);
    await old.put(`/api/cases/${ref}/presence`, { state: 'viewing' });
    h().clock.advance(13 * 3600_000); // past the idle expiry
    const fresh = await signIn(h().app, org.users.supervisor.email, PASSWORD);
    const purged = await purgeExpired(h().db.kysely, h().clock.now());
    expect(purged.sessions).toBeGreaterThanOrEqual(1);
    expect(purged.presence).toBeGreaterThanOrEqual(1);
    expect((await fresh.get('/api/session')).statusCode).toBe(200);
    const left = await h().db.kysely.selectFrom('sessions').select('id').where('expires_at', '<=', h().clock.now()).execute();
    expect(left).toEqual([]);
  });

  it('runs as a recurring job on one runner of many, and purges done jobs past their retention', async () => {
    const db = h().db.kysely;
    const org = await makeOrg(h());
    await signIn(h().app, org.users.volunteer.email, PASSWORD);
    const keyed = defineJob({ kind: 'test.keyed', payload: z.object({}), run: async () => undefined });
    const old = await db.transaction().execute((tx) => enqueueJob(tx, keyed, {}, { now: h().clock.now(), uniqueKey: 'old' }));
    const runners = [1, 2].map(() => new JobRunner({ db: h().db, clock: h().clock, types: [housekeeping, keyed], log: quietLog() }));
    for (const r of runners) await r.runDue(); // both schedule the next tick: one row
    const ticks = () => db.selectFrom('jobs').select(['state', 'run_at']).where('kind', '=', 'housekeeping').orderBy('id').execute();
    const [tick] = await ticks();
    expect(await ticks()).toHaveLength(1);
    expect(tick!.run_at % HOUSEKEEPING_EVERY_MS).toBe(0);
    expect((await db.selectFrom('jobs').select('state').where('id', '=', old!).executeTakeFirst())?.state).toBe('done');

    h().clock.set(tick!.run_at + 31 * 86_400_000); // the session idles out; the done job ages out
    const ran = await Promise.all(runners.map((r) => r.runDue()));
    expect(ran.sort()).toEqual([0, 1]);
    expect(await db.selectFrom('jobs').select('id').where('id', '=', old!).execute()).toEqual([]);
    const sessions = await db.selectFrom('sessions').select('id').where('expires_at', '<=', h().clock.now()).execute();
    expect(sessions).toEqual([]);
    expect((await ticks()).map((t) => t.state)).toEqual(['done', 'queued']);
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
