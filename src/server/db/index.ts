// One database handle per process: SQLite (embedded, WAL, foreign keys on) or PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './types.js';
import { migrations } from './migrations/index.js';
import { groupSync, walSync } from '../platform/durable.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** For PostgreSQL: the pool, so that LISTEN/NOTIFY can take a dedicated client. */
  pool?: pg.Pool;
  /** For SQLite: the raw handle, for backups and pragmas. */
  sqlite?: SQLite.Database;
  /** For an SQLite file: the thread that checkpoints its write-ahead log (`db/checkpointer.ts`). */
  checkpointer?: Checkpointer;
  /**
   * Resolves once every commit made before the call is on disk, power loss included.
   * PostgreSQL's commits are that already; SQLite's (synchronous=NORMAL) wait for one shared
   * sync of the write-ahead log (`platform/durable.ts`).
   */
  syncCommits(): Promise<void>;
  close(): Promise<void>;
}

const alreadyDurable = () => Promise.resolve();

// bigint (int8) columns hold epoch milliseconds and counts, all well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface OpenOptions {
  /** postgres://… or undefined for SQLite. */
  databaseUrl?: string;
  /** SQLite file path (":memory:" allowed). */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests use a fresh one per file). */
  pgSchema?: string;
  poolSize?: number;
}

export function openDb(opts: OpenOptions): Db {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // JIT compiles for hundreds of ms to speed up statements that run in one: never worth it
      // for a desk's short, indexed queries.
      options: `-c jit=off${opts.pgSchema ? ` -c search_path=${opts.pgSchema}` : ''}`,
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', pool, syncCommits: alreadyDurable, close: () => kysely.destroy() };
  }
  const file = opts.sqliteFile ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL'); // durable in WAL mode across app crashes
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536'); // 64 MiB page cache
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('optimize = 0x10002'); // refresh planner statistics where they are stale
  // Checkpoints run on a thread of their own (db/checkpointer.ts) from a 4 MB log; SQLite's
  // own, inside a commit on this connection, only if that thread falls far behind (a script
  // that holds the event loop for long), at 10,000 pages.
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(path.resolve(file));
  if (checkpointer) sqlite.pragma('wal_autocheckpoint = 10000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const syncCommits = file === ':memory:' ? alreadyDurable : groupSync(walSync(path.resolve(file)));
  return {
    kysely,
    dialect: 'sqlite',
    sqlite,
    syncCommits,
    ...(checkpointer ? { checkpointer } : {}),
    close: async () => {
      await checkpointer?.close();
      await kysely.destroy();
    },
  };
}

/**
 * Kysely prepares every statement anew; preparing costs as much as running a short indexed
 * query. Prepared statements are reused here (one connection, queries run one at a time), the
 * least recently used dropped past `max`.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  // On PostgreSQL, name the schema of Kysely's bookkeeping tables: unnamed, Kysely takes a
  // kysely_migration table in *any* schema for ours, and another install (or test file) on the
  // same database would make it skip creating its own.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema
      : null;
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
