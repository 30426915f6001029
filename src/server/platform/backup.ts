// One-command backups (`npm run backup`): SQLite through its online backup API (consistent
// while the app runs), PostgreSQL through pg_dump in its custom format.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');

export async function backupSqlite(file: string, dir: string, at = new Date()): Promise<string> {
  if (!fs.existsSync(file)) throw new Error(`No database at ${file}`);
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, `servewell-${stamp(at)}.db`);
  const db = new SQLite(file, { readonly: true });
  try {
    await db.backup(dest);
  } finally {
    db.close();
  }
  return dest;
}

export async function backupPostgres(url: string, dir: string, at = new Date()): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, `servewell-${stamp(at)}.dump`);
  await promisify(execFile)('pg_dump', ['--format=custom', `--file=${dest}`, url]);
  return dest;
}
