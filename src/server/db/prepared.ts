// Statements that Kysely builds and compiles once, then runs with new values each time.
//
// Kysely builds an immutable tree and compiles it to SQL on every call: 5–30 µs a statement,
// as much as running a short indexed query. A request that runs a dozen statements (creating a
// case) spends more in Kysely than in SQLite. For such hot, fixed-shape statements, `prepared`
// builds the query once per database with stand-ins for its values, remembers where each
// stand-in landed among the compiled parameters, and from then on only swaps in the values
// (Kysely's "execute compiled queries" recipe).
//
// A stand-in (`$.name`) may go wherever a bound value goes: a comparison, `set`, `values`,
// `limit`. Never where the SQL's shape depends on the value (an `in` list, `$if`, `sql.lit`):
// compiling checks that every stand-in read became a bound parameter, and throws otherwise.
import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { DialectAdapter } from 'kysely';
import type { Database } from './types.js';

const STAND_IN = Symbol('prepared value');
interface StandIn {
  readonly [STAND_IN]: string;
}
const isStandIn = (v: unknown): v is StandIn => typeof v === 'object' && v !== null && STAND_IN in v;

interface Compiled<R> {
  query: CompiledQuery<R>;
  /** For each compiled parameter, the name of the value that goes there, or null for a constant. */
  slots: Array<string | null>;
}

export interface Prepared<P, R> {
  /** All rows (or, for a write without `returning`, the affected-row count in the result). */
  execute(db: Kysely<Database>, values: P): Promise<QueryResult<R>>;
  all(db: Kysely<Database>, values: P): Promise<R[]>;
  first(db: Kysely<Database>, values: P): Promise<R | undefined>;
  firstOrThrow(db: Kysely<Database>, values: P): Promise<R>;
}

export function prepared<P extends Record<string, unknown>, R>(
  build: (db: Kysely<Database>, $: P) => Compilable<R>,
): Prepared<P, R> {
  // One compilation per dialect adapter: a Kysely instance and its transactions share one.
  const cache = new WeakMap<DialectAdapter, Compiled<R>>();

  function compile(db: Kysely<Database>): Compiled<R> {
    const read = new Set<string>();
    const $ = new Proxy({} as P, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        read.add(name);
        return { [STAND_IN]: name } satisfies StandIn;
      },
    });
    const query = build(db, $).compile();
    const slots = query.parameters.map((v) => (isStandIn(v) ? v[STAND_IN] : null));
    const bound = new Set(slots);
    const lost = [...read].filter((name) => !bound.has(name));
    if (lost.length) {
      throw new Error(`prepared: ${lost.join(', ')} did not become a bound parameter in: ${query.sql}`);
    }
    return { query, slots };
  }

  async function execute(db: Kysely<Database>, values: P): Promise<QueryResult<R>> {
    const executor = db.getExecutor();
    let compiled: Compiled<R>;
    if (executor.plugins.length) {
      compiled = compile(db); // plugins may rewrite each query: never reuse one here
    } else {
      compiled = cache.get(executor.adapter) ?? compile(db);
      if (!cache.has(executor.adapter)) cache.set(executor.adapter, compiled);
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((v, i) => {
      const name = slots[i];
      return name === null || name === undefined ? v : values[name];
    });
    return db.executeQuery<R>({ ...query, parameters, queryId: createQueryId() });
  }

  return {
    execute,
    all: async (db, values) => (await execute(db, values)).rows,
    first: async (db, values) => (await execute(db, values)).rows[0],
    async firstOrThrow(db, values) {
      const row = (await execute(db, values)).rows[0];
      if (row === undefined) throw new Error('prepared: no row');
      return row;
    },
  };
}
