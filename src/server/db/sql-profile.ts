// A developer's SQL profile of the embedded database: with WENMING_SQL_PROFILE=<file>, every SQLite statement's
// runs, time and rows are summed per SQL text and the 25 costliest are appended to <file> when the process exits
// (SIGUSR2 starts the count afresh, e.g. after a warm-up). Off by default: it costs a clock read per statement.
// Used by `bench/profile-intake.ts`; see docs/bench.md.
import { appendFileSync } from 'node:fs';
import type SQLite from 'better-sqlite3';

interface Tally {
  runs: number;
  ns: bigint;
  rows: number;
}

const target = process.env.WENMING_SQL_PROFILE || null;
const tallies = new Map<string, Tally>();

if (target) {
  process.on('SIGUSR2', () => tallies.clear());
  process.on('exit', () => {
    const width = Number(process.env.WENMING_SQL_PROFILE_WIDTH ?? 160);
    const lines = [...tallies]
      .sort((a, b) => Number(b[1].ns - a[1].ns))
      .slice(0, 25)
      .map(([text, t]) => {
        const ms = (Number(t.ns) / 1e6).toFixed(0).padStart(7);
        const each = (Number(t.ns) / 1e3 / t.runs).toFixed(1).padStart(8);
        return `${ms} ms ${String(t.runs).padStart(8)}× ${each} µs ${String(t.rows).padStart(8)} rows  ${text.replace(/\s+/g, ' ').slice(0, width)}`;
      });
    appendFileSync(target, `${lines.join('\n')}\n`);
  });
}

/** The statement itself, or (when profiling) a stand-in that times its runs. */
export function profiledStatement(stmt: SQLite.Statement, sql: string): SQLite.Statement {
  if (!target) return stmt;
  const timed = (run: (...args: unknown[]) => unknown) => (...args: unknown[]) => {
    const t0 = process.hrtime.bigint();
    let result: unknown;
    try {
      return (result = run(...args));
    } finally {
      const t = tallies.get(sql) ?? { runs: 0, ns: 0n, rows: 0 };
      t.runs++;
      t.ns += process.hrtime.bigint() - t0;
      if (Array.isArray(result)) t.rows += result.length;
      else if (result !== undefined && (stmt as { reader?: boolean }).reader) t.rows++;
      tallies.set(sql, t);
    }
  };
  return new Proxy(stmt, {
    get(s, prop) {
      const v = Reflect.get(s, prop, s);
      if (prop === 'run' || prop === 'all' || prop === 'get') return timed((v as (...a: unknown[]) => unknown).bind(s));
      return typeof v === 'function' ? v.bind(s) : v;
    },
  });
}
