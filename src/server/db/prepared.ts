// Statements that Kysely builds and compiles once, then runs with new values each time.
//
// Kysely builds an immutable tree and compiles it to SQL on every call: 5–30 µs a statement,
// as much as running a short indexed query. A request that runs a dozen statements (creating a
// case) spends more in Kysely than in SQLite. For such hot, fixed-shape statements, `prepared`
// builds the query once per database with stand-ins for its values, remembers where each
// stand-in landed among the compiled parameters, and from then on only swaps in the values
// (Kysely's "execute compiled queries" recipe).
//
// A stand-in (`$.name`) may go only where a bound value goes: a comparison, `set`, `values`,
// `limit`. Never where the value would shape the SQL: an `in` list, `$if`, `is`, `sql.lit`,
// object-form filters, arithmetic on the stand-in, or a value that may be undefined (Kysely
// leaves undefined columns out; here it would be bound). Anything else computed in `build` is
// fixed at the first call. Three guards: compiling checks that every stand-in read became a
// bound parameter; every run refuses an undefined value; and under the tests (VITEST set),
// every run also builds the query afresh with the real values and checks that it compiles to
// the same SQL and parameters.
import {
  NoResultError,
  createQueryId,
  type Compilable,
  type CompiledQuery,
  type DialectAdapter,
  type Kysely,
  type QueryNode,
  type QueryResult,
} from 'kysely';
import type { Database } from './types.js';

/** Under the tests, each run is checked against the query built afresh (see above). */
const VERIFY = process.env.VITEST !== undefined;

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
    if (executor.plugins.length) {
      // Plugins may rewrite each query: never reuse one here (and keep its queryId for them).
      return db.executeQuery(build(db, values).compile());
    }
    let compiled = cache.get(executor.adapter);
    if (!compiled) {
      compiled = compile(db);
      cache.set(executor.adapter, compiled);
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((v, i) => {
      const name = slots[i];
      if (name === null || name === undefined) return v;
      const value = values[name];
      if (value === undefined) throw new Error(`prepared: no value for ${name} in: ${query.sql}`);
      return value;
    });
    if (VERIFY) {
      const fresh = build(db, values).compile();
      if (fresh.sql !== query.sql || !sameValues(fresh.parameters, parameters)) {
        throw new Error(`prepared: the values shape this statement; build it as usual.\nprepared: ${query.sql}\nfresh:    ${fresh.sql}`);
      }
    }
    return db.executeQuery<R>({ ...query, parameters, queryId: createQueryId() });
  }

  return {
    execute,
    all: async (db, values) => (await execute(db, values)).rows,
    first: async (db, values) => (await execute(db, values)).rows[0],
    async firstOrThrow(db, values) {
      const result = await execute(db, values);
      const row = result.rows[0];
      if (row === undefined) throw new NoResultError(build(db, values).compile().query as QueryNode);
      return row;
    },
  };
}

const sameValues = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
