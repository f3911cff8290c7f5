// Opens the database named by DATABASE_URL: an embedded SQLite file (WAL) by default, PostgreSQL to scale out.
// Both go through one Kysely query layer; dialect differences stay behind repository helpers.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface OpenedDb {
  db: Db;
  dialect: DialectName;
  close(): Promise<void>;
}

// int8 (counts, sums) arrives as a string from pg; our numbers fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openDatabase(url: string, opts: { poolSize?: number } = {}): Promise<OpenedDb> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, opts.poolSize ?? 10);
  throw new Error(`Unsupported DATABASE_URL: ${url}`);
}

function openSqlite(file: string): OpenedDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -32000');
  raw.pragma('temp_store = MEMORY');
  // Kysely prepares every statement anew; caching them by SQL text removes most of that overhead.
  const cache = new Map<string, SQLite.Statement>();
  const prepare = raw.prepare.bind(raw);
  const cached = new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (sql: string) => {
          let stmt = cache.get(sql);
          if (!stmt) {
            stmt = prepare(sql);
            if (cache.size > 500) cache.clear();
            cache.set(sql, stmt);
          }
          return stmt;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  return {
    db,
    dialect: 'sqlite',
    async close() {
      await db.destroy();
    },
  };
}

export class DatabaseSetupError extends Error {
  override name = 'DatabaseSetupError';
}

async function openPostgres(url: string, poolSize: number): Promise<OpenedDb> {
  await ensurePostgresDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client cut off by the server (restart, DROP … WITH (FORCE)) must not crash the process.
  pool.on('error', (err) => console.error(`PostgreSQL pool: ${err.message}`));
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ lc_ctype: string; enc: string }>(
      `SELECT current_setting('lc_ctype') AS lc_ctype, pg_encoding_to_char(encoding) AS enc FROM pg_database WHERE datname = current_database()`,
    );
    const { lc_ctype, enc } = rows[0];
    if (enc !== 'UTF8' || !/utf-?8/i.test(lc_ctype)) {
      throw new DatabaseSetupError(
        `PostgreSQL database must use UTF-8 with a UTF-8 LC_CTYPE (found encoding ${enc}, LC_CTYPE ${lc_ctype}); ` +
          `Chinese full-text search (pg_trgm) extracts no CJK trigrams otherwise. Create it with ` +
          `CREATE DATABASE … ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0.`,
      );
    }
  } catch (err) {
    client.release();
    await pool.end();
    throw err;
  }
  client.release();
  const dialect: Dialect = new PostgresDialect({ pool });
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    dialect: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}

/** Creates the database named in the URL when it does not exist yet (safe when several servers race). */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new DatabaseSetupError(`Unsupported database name ${JSON.stringify(name)}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (err) {
    throw new DatabaseSetupError(`Cannot reach PostgreSQL at ${target.host}: ${(err as Error).message}`);
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    try {
      await client.query(
        `CREATE DATABASE "${name}" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0`,
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      // Another server created it first (42P04), or at the same moment (23505 on pg_database's unique index).
      if (code === '42P04' || code === '23505') return;
      if (code === '22023' || code === '42809') {
        await client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
        return;
      }
      throw err;
    }
  } finally {
    await client.end();
  }
}

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export const nowIso = () => new Date().toISOString();
