// A real database per test file: SQLite in memory, and a fresh PostgreSQL schema when
// TEST_DATABASE_URL is set. `describeEachDialect` runs a suite once per available dialect.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { buildApp, type AppOptions } from '../app.js';
import type { RateLimits } from '../config.js';
import { verifyPreparedStatements } from '../db/prepared.js';
import { migrateToLatest, openDb, type Db, type DialectName } from '../db/index.js';
import { TestClock, systemClock, type Clock } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import type { App } from '../platform/http/types.js';
import { createPlatform } from '../platform/index.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

// Under the tests, every prepared statement is checked against a fresh build (db/prepared.ts).
verifyPreparedStatements(true);

export function dialects(): DialectName[] {
  return TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface Harness {
  dialect: DialectName;
  db: Db;
  p: Platform;
  app: App;
  clock: TestClock;
  /** The PostgreSQL schema of this harness (for a second app instance on the same data). */
  pgSchema?: string;
  close(): Promise<void>;
}

const GENEROUS: RateLimits = {
  login: { max: 1000, timeWindow: '1 minute' },
  publicForm: { max: 1000, timeWindow: '1 minute' },
};

export async function createSchema(): Promise<string> {
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return schema;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

export async function makeHarness(
  dialect: DialectName,
  opts: {
    rateLimits?: Partial<RateLimits>;
    pgSchema?: string;
    migrate?: boolean;
    /** Serve the built web app (browser journeys). */
    webRoot?: string;
    publicUrl?: string;
    /** Browser journeys run on real time; integration tests move a TestClock. */
    realTime?: boolean;
    /** A clock of the test's own instead (a browser journey's real time, shifted). */
    realClock?: Clock;
    trustProxy?: AppOptions['trustProxy'];
  } = {},
): Promise<Harness> {
  const clock = new TestClock();
  let pgSchema: string | undefined;
  let db: Db;
  if (dialect === 'postgres') {
    if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
    pgSchema = opts.pgSchema ?? (await createSchema());
    db = openDb({ databaseUrl: TEST_DATABASE_URL, pgSchema, poolSize: 5 });
  } else {
    db = openDb({ sqliteFile: ':memory:' });
  }
  const ownSchema = !opts.pgSchema;
  let p: Platform | undefined;
  let app: App;
  try {
    if (opts.migrate !== false) await migrateToLatest(db);
    p = await createPlatform(db, {
      clock: opts.realClock ?? (opts.realTime ? systemClock : clock),
      publicUrl: opts.publicUrl ?? 'http://desk.test',
    });
    app = await buildApp({
      platform: p,
      webRoot: opts.webRoot ?? null,
      rateLimits: { ...GENEROUS, ...opts.rateLimits },
      ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
    });
    await app.ready();
  } catch (err) {
    // A failed start leaves no connection and no schema behind.
    await p?.events.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    if (pgSchema && ownSchema) await dropSchema(pgSchema).catch(() => undefined);
    throw err;
  }
  const platform = p;
  return {
    dialect,
    db,
    p: platform,
    app,
    clock,
    ...(pgSchema ? { pgSchema } : {}),
    close: async () => {
      await app.close();
      await platform.events.close();
      await db.close();
      if (pgSchema && ownSchema) await dropSchema(pgSchema);
    },
  };
}

type RaceIt = (name: string, fn: () => Promise<void>, timeout?: number) => void;

/**
 * Runs `suite` once per dialect, each with its own fresh database. The suite also receives
 * `raceIt`: `it` for a test of concurrent transactions, run only where they interleave
 * (PostgreSQL). SQLite has one connection, which runs transactions one after another, so
 * such a test could not fail there; it is skipped there, visibly, and CI runs PostgreSQL.
 */
export function describeEachDialect(
  name: string,
  suite: (h: () => Harness, extra: { dialect: DialectName; raceIt: RaceIt }) => void,
): void {
  for (const dialect of dialects()) {
    describe(`${name} [${dialect}]`, () => {
      let h: Harness | undefined;
      beforeAll(async () => {
        h = await makeHarness(dialect);
      });
      afterAll(async () => {
        await h?.close();
      });
      suite(
        () => {
          if (!h) throw new Error('harness not ready');
          return h;
        },
        {
          dialect,
          raceIt:
            dialect === 'postgres'
              ? (it as RaceIt)
              : (title, fn, timeout) => it.skip(`${title} (PostgreSQL only: SQLite runs one transaction at a time)`, fn, timeout),
        },
      );
    });
  }
}
