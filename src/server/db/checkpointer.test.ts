// The SQLite checkpointer: checkpoints the log from its own thread once it passes the threshold,
// leaves the app's connection to commit without checkpointing, and fails without hanging.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { openDb, type Db } from './index.js';

describe('SQLite checkpointer', () => {
  let dir: string;
  let raw: SQLite.Database | undefined;
  let cp: Checkpointer | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    await cp?.close();
    await db?.close();
    raw?.close();
    cp = db = raw = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fresh = () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-ckpt-'));
    const file = path.join(dir, 'desk.db');
    raw = new SQLite(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('wal_autocheckpoint = 0');
    raw.exec('create table t (v blob)');
    return file;
  };

  it('checkpoints the log from its own thread once it passes the threshold', async () => {
    const file = fresh();
    const insert = raw!.prepare('insert into t values (?)');
    for (let i = 0; i < 100; i++) insert.run(Buffer.alloc(8192, i));
    // Every frame is only in the log so far (this connection never checkpoints).
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(800 * 1024);
    cp = startCheckpointer(file, { thresholdBytes: 64 * 1024, everyMs: 20 });
    const until = Date.now() + 5000;
    while (cp.stats.checkpoints === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(cp.stats.checkpoints).toBeGreaterThan(0);
    // All of the log is in the database now: a further checkpoint finds everything done.
    const r = await cp.checkpoint();
    expect(r.checkpointed).toBe(r.log);
    expect(raw!.prepare('select count(*) as n from t').get()).toEqual({ n: 100 });
  });

  it('leaves a small log alone', async () => {
    const file = fresh();
    raw!.prepare('insert into t values (?)').run(Buffer.alloc(100));
    cp = startCheckpointer(file, { thresholdBytes: 64 * 1024 * 1024, everyMs: 10 });
    await new Promise((r) => setTimeout(r, 150));
    expect(cp.stats.checkpoints).toBe(0);
  });

  it('rejects, and stops, when the database cannot be opened', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-ckpt-'));
    cp = startCheckpointer(path.join(dir, 'absent.db'), { everyMs: 10 });
    await expect(cp.checkpoint()).rejects.toThrow();
    await cp.close();
  });

  it('is started for a database file, whose own connection then seldom checkpoints', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-ckpt-'));
    db = openDb({ sqliteFile: path.join(dir, 'desk.db') });
    expect(db.checkpointer).toBeDefined();
    expect(db.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(10000);
    const memory = openDb({ sqliteFile: ':memory:' });
    expect(memory.checkpointer).toBeUndefined();
    await memory.close();
  });
});
