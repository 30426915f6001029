// Statements that Kysely builds and compiles once, then runs with new values each time.
//
// Kysely builds an immutable tree and compiles it to SQL on every call: 5–30 µs a statement,
// as much as running a short indexed query. A request that runs a dozen statements (creating a
// case) spends more in Kysely than in SQLite. For such hot, fixed-shape statements, `prepared`
// builds the query once per database with parameter markers, remembers where each marker
// landed among the compiled parameters, and from then on only swaps in the values (Kysely's
// "execute compiled queries" recipe). Used only in `queries.ts` files (lint-enforced).
//
//   const teamById = prepared((db, param: Params<{ orgId: number; id: number }>) =>
//     db.selectFrom('teams').selectAll().where('org_id', '=', param('orgId')).where('id', '=', param('id')));
//   await teamById.first(tx, { orgId, id });
//
// `param('name')` is a SQL expression standing for a bound value, not the value itself: it goes
// where Kysely takes an expression (a comparison, `set`, `values`, `limit`, a function
// argument) and it cannot be tested, added to or branched on in TypeScript, because it is not
// a number or a string. What would shape the SQL (an `in` list, `$if`, an optional filter)
// has no place in a prepared statement: build such queries as usual. Two guards: compiling
// checks that every marker became a bound parameter; and when verification is on (the test
// harness turns it on), every run also builds the query afresh with the real values and
// checks that it compiles to the same SQL and parameters.
import {
  NoResultError,
  ValueNode,
  createQueryId,
  sql,
  type Compilable,
  type CompiledQuery,
  type DialectAdapter,
  type Expression,
  type Kysely,
  type OperationNode,
  type QueryNode,
  type QueryResult,
} from 'kysely';
import type { Database } from './types.js';

let verify = false;
/** Check every prepared run against a fresh build (the test harness turns this on). */
export function verifyPreparedStatements(on: boolean): void {
  verify = on;
}

const MARKER = Symbol('prepared parameter');
interface Marker {
  readonly [MARKER]: string;
}
const isMarker = (v: unknown): v is Marker => typeof v === 'object' && v !== null && MARKER in v;

/** A bound value of type T, by name: an expression, not a T. */
class Param<T> implements Expression<T> {
  constructor(private readonly node: OperationNode) {}
  get expressionType(): T | undefined {
    return undefined;
  }
  toOperationNode(): OperationNode {
    return this.node;
  }
}

/** The parameter-marker function a prepared statement's builder receives. */
export type Params<P> = <K extends keyof P & string>(name: K) => Expression<P[K]>;

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
  build: (db: Kysely<Database>, param: Params<P>) => Compilable<R>,
): Prepared<P, R> {
  // One compilation per dialect adapter: a Kysely instance and its transactions share one.
  const cache = new WeakMap<DialectAdapter, Compiled<R>>();

  function compile(db: Kysely<Database>): Compiled<R> {
    const used = new Set<string>();
    const param = ((name: string) => {
      used.add(name);
      return new Param(ValueNode.create({ [MARKER]: name } satisfies Marker));
    }) as Params<P>;
    const query = build(db, param).compile();
    const slots = query.parameters.map((v) => (isMarker(v) ? v[MARKER] : null));
    const bound = new Set(slots);
    const lost = [...used].filter((name) => !bound.has(name));
    if (lost.length) {
      throw new Error(`prepared: ${lost.join(', ')} did not become a bound parameter in: ${query.sql}`);
    }
    return { query, slots };
  }

  /** The query built with the values themselves in place of the markers (verification). */
  const fresh = (db: Kysely<Database>, values: P) =>
    build(db, ((name: keyof P & string) => sql.val(values[name])) as Params<P>).compile();

  async function execute(db: Kysely<Database>, values: P): Promise<QueryResult<R>> {
    const executor = db.getExecutor();
    if (executor.plugins.length) {
      // Plugins may rewrite each query: never reuse one here (and keep its queryId for them).
      return db.executeQuery(fresh(db, values));
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
    if (verify) {
      const again = fresh(db, values);
      if (again.sql !== query.sql || !sameValues(again.parameters, parameters)) {
        throw new Error(
          `prepared: the values shape this statement; build it as usual.\nprepared: ${query.sql}\nfresh:    ${again.sql}`,
        );
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
      if (row === undefined) throw new NoResultError(fresh(db, values).query as QueryNode);
      return row;
    },
  };
}

const sameValues = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
