// Hot queries built once. Building and compiling a Kysely query costs more than running a small statement on
// SQLite; a query whose shape never changes (the same columns, no lists of varying length) is built and compiled
// once per dialect with markers in place of its values, and later runs only swap the values in.
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Executor } from '../lib/context.js';
import { isPostgres, noteCompiledWrite } from './database.js';

/** Stand-ins for the arguments while the query is built: unique objects Kysely passes through as parameters. */
const MARKERS = Array.from({ length: 128 }, (_, i) => Object.freeze({ preparedArgument: i }));
const MARKER_INDEX = new Map<unknown, number>(MARKERS.map((m, i) => [m, i]));

interface Template {
  compiled: CompiledQuery;
  /** For each parameter: the argument it takes, or the constant the builder put there. */
  slots: ({ arg: number } | { value: unknown })[];
}

/**
 * Wraps a query builder `build(db, ...args)` whose every argument is used as one value of the query (a column
 * value, a comparison operand, a limit) and whose shape does not depend on the arguments. Returns a runner with
 * the same arguments that compiles once per dialect.
 */
export function prepared<A extends unknown[], R>(build: (db: Executor, ...args: A) => Compilable<R>) {
  const templates: { sqlite?: Template; postgres?: Template } = {};
  return async (db: Executor, ...args: A): Promise<QueryResult<R>> => {
    const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
    let t = templates[dialect];
    if (!t) {
      const compiled = build(db, ...(MARKERS.slice(0, args.length) as unknown as A)).compile();
      const slots = compiled.parameters.map((p) => (MARKER_INDEX.has(p) ? { arg: MARKER_INDEX.get(p)! } : { value: p }));
      const used = new Set(slots.flatMap((s) => ('arg' in s ? [s.arg] : [])));
      if (used.size !== args.length) throw new Error(`prepared query uses ${used.size} of its ${args.length} arguments as values: ${compiled.sql}`);
      t = templates[dialect] = { compiled, slots };
    }
    noteCompiledWrite(t.compiled.query);
    const parameters = t.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return db.executeQuery<R>({ ...t.compiled, parameters } as CompiledQuery<R>);
  };
}
