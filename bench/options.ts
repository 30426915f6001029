// What every benchmark section is given.
export type Dialect = 'sqlite' | 'postgres';

export interface BenchOptions {
  dialect: Dialect;
  /** The generated SQLite data (`npm run gen`), `servewell.db` inside. */
  dataDir: string;
  /** The generated PostgreSQL data (BENCH_DATABASE_URL). */
  databaseUrl: string | undefined;
  /** A smaller generated data set (100k cases), for sections that report growth. */
  smallDataDir: string | undefined;
  smallDatabaseUrl: string | undefined;
  /** Sequential requests per measure, after `warmup` unmeasured ones. */
  iterations: number;
  warmup: number;
}
