// The group sync behind SQLite's durable commits: every caller waits for a sync that began
// after it called, callers meanwhile share one, a failed sync fails only its own callers, and
// the write-ahead log of a real database file is what gets synced.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../db/index.js';
import { groupSync, walSync } from './durable.js';

/** A sync the test finishes by hand. */
function manualSync() {
  const started: { finish: () => void; fail: (e: Error) => void }[] = [];
  const sync = () =>
    new Promise<void>((resolve, reject) => {
      started.push({ finish: resolve, fail: reject });
    });
  return { sync, started };
}

const settled = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function track(p: Promise<void>) {
  const state = { done: false, error: null as Error | null };
  p.then(
    () => (state.done = true),
    (e: Error) => (state.error = e),
  );
  return state;
}

describe('groupSync', () => {
  it('releases a caller only after a sync that started after it called, and groups the rest', async () => {
    const { sync, started } = manualSync();
    const request = groupSync(sync);
    const first = track(request());
    expect(started).toHaveLength(1);
    // Three commits while the first sync runs: it may have begun before them, so they wait for
    // the next one, together.
    const later = [track(request()), track(request()), track(request())];
    expect(started).toHaveLength(1);
    started[0]!.finish();
    await settled();
    expect(first.done).toBe(true);
    expect(later.every((s) => !s.done)).toBe(true);
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await settled();
    expect(later.every((s) => s.done)).toBe(true);
    expect(started).toHaveLength(2);
  });

  it('fails the callers of a failed sync, and the next round syncs again', async () => {
    const { sync, started } = manualSync();
    const request = groupSync(sync);
    const a = track(request());
    const b = track(request());
    started[0]!.fail(new Error('EIO'));
    await settled();
    expect(a.error?.message).toBe('EIO');
    expect(b.done || b.error).toBeFalsy();
    // b waits for a sync of its own, not for the failed one.
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await settled();
    expect(b.done).toBe(true);
    const c = track(request());
    expect(started).toHaveLength(3);
    started[2]!.finish();
    await settled();
    expect(c.done).toBe(true);
  });
});

describe('walSync on a database file', () => {
  let dir: string;
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('syncs the write-ahead log after commits, one sync for a crowd of callers', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-durable-'));
    const file = path.join(dir, 'desk.db');
    db = openDb({ sqliteFile: file });
    await sql`create table t (v integer)`.execute(db.kysely);
    await sql`insert into t values (1)`.execute(db.kysely);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    let syncs = 0;
    const inner = walSync(file);
    const request = groupSync(async () => {
      syncs++;
      await inner();
    });
    await Promise.all(Array.from({ length: 50 }, () => request()));
    expect(syncs).toBeGreaterThanOrEqual(1);
    expect(syncs).toBeLessThanOrEqual(2);
    // The database's own: resolves once its log is synced.
    await sql`insert into t values (2)`.execute(db.kysely);
    await expect(db.syncCommits()).resolves.toBeUndefined();
  });

  it('has nothing to sync when there is no log file', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-durable-'));
    await expect(walSync(path.join(dir, 'absent.db'))()).resolves.toBeUndefined();
  });

  it('reports a log it cannot open for writing', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-durable-'));
    // A directory where the log should be: opening it for writing fails with EISDIR.
    fs.mkdirSync(path.join(dir, 'odd.db-wal'));
    await expect(walSync(path.join(dir, 'odd.db'))()).rejects.toThrow(/EISDIR/);
  });
});
