// Opens the database named by DATABASE_URL: an embedded SQLite file (WAL) by default, PostgreSQL to scale out.
// Both go through one Kysely query layer; dialect differences stay behind repository helpers.
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  type AliasNode,
  type Dialect,
  type KyselyPlugin,
  type ListNode,
  type OperationNode,
  type RootOperationNode,
  type TableNode,
} from 'kysely';
import type { Database } from './schema.js';
import { profiledStatement } from './sql-profile.js';

const requireHere = createRequire(import.meta.url);

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

// Hot paths cache what rarely changes: reference data (the org tree, points, categories, 责任清单 rules) for the
// case intake, signed-in sessions for every request. Every write to those tables through this process's query
// layer bumps a counter the caches compare, so a change made here shows at once; other processes' changes show
// through the caches' own checks (stamps, SQLite's data_version).
const WATCHED_TABLES = ['orgs', 'points', 'categories', 'routing_rules', 'users', 'sessions'] as const;
type WatchedTable = (typeof WATCHED_TABLES)[number];
const WATCHED = new Set<string>(WATCHED_TABLES);
const RAW_WRITE = new RegExp(`\\b(?:insert\\s+(?:or\\s+\\w+\\s+)?into|update(?:\\s+or\\s+\\w+)?|delete\\s+from)\\s+"?(${WATCHED_TABLES.join('|')})\\b`, 'gi');
const writes = new Map<string, number>(WATCHED_TABLES.map((t) => [t, 0]));

/** Changes whenever this process writes to one of these tables (a sum of per-table write counters). */
export function writeGeneration(tables: readonly WatchedTable[]): number {
  let n = 0;
  for (const t of tables) n += writes.get(t)!;
  return n;
}

const REFERENCE_TABLES = ['orgs', 'points', 'categories', 'routing_rules'] as const;
/** Changes whenever this process writes to orgs, points, categories or routing rules. */
export const referenceDataGeneration = () => writeGeneration(REFERENCE_TABLES);

function noteTable(node: OperationNode | undefined): void {
  if (!node) return;
  if (node.kind === 'AliasNode') noteTable((node as AliasNode).node);
  else if (node.kind === 'ListNode') (node as ListNode).items.forEach(noteTable);
  else if (node.kind === 'TableNode') {
    const name = (node as TableNode).table.identifier.name;
    if (WATCHED.has(name)) writes.set(name, writes.get(name)! + 1);
  }
}

function noteWrites(node: RootOperationNode): void {
  switch (node.kind) {
    case 'InsertQueryNode':
      return noteTable(node.into);
    case 'UpdateQueryNode':
      return noteTable(node.table);
    case 'DeleteQueryNode':
      return node.from.froms.forEach(noteTable);
    case 'RawNode':
      for (const m of node.sqlFragments.join('?').matchAll(RAW_WRITE)) {
        const name = m[1].toLowerCase();
        writes.set(name, writes.get(name)! + 1);
      }
      return;
    default:
      return;
  }
}

/** For queries compiled once and run many times (prepared.ts): the watcher saw them only when compiled. */
export function noteCompiledWrite(node: RootOperationNode): void {
  if (node.kind !== 'SelectQueryNode') noteWrites(node);
}

const writeWatcher: KyselyPlugin = {
  transformQuery({ node }) {
    noteWrites(node);
    return node;
  },
  async transformResult({ result }) {
    return result;
  },
};

// SQLite's PRAGMA data_version: changes when another connection (another process) commits to the file.
const dataVersions = new WeakMap<object, () => number>();

/**
 * A number that changes when another process may have written the database since: SQLite's data_version. Null
 * where that cannot be known cheaply (PostgreSQL, where every server writes): callers must not cache across it.
 */
export function externalWriteStamp(db: Kysely<Database>): number | null {
  const read = dataVersions.get(db);
  return read ? read() : null;
}

export async function openDatabase(url: string, opts: { poolSize?: number } = {}): Promise<OpenedDb> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, opts.poolSize ?? 10);
  throw new Error(`Unsupported DATABASE_URL: ${url}`);
}

function openSqlite(file: string): OpenedDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const { raw, db } = sqliteConnection(file);
  const checkpointer = file === ':memory:' ? null : startCheckpointer(raw, file);
  const dataVersion = raw.prepare('PRAGMA data_version').pluck();
  dataVersions.set(db, () => dataVersion.get() as number);
  return {
    db,
    dialect: 'sqlite',
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * The SQLite connection behind Kysely: WAL, synchronous=NORMAL (a COMMIT is durable against a crash of the
 * process), foreign keys, statements prepared once per SQL text.
 */
function sqliteConnection(file: string) {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -32000');
  raw.pragma('temp_store = MEMORY');
  if (file !== ':memory:') {
    // Checkpoints run on their own thread (startCheckpointer), never inside a COMMIT.
    raw.pragma('wal_autocheckpoint = 0');
    // Nor is the WAL ever truncated in a COMMIT (startCheckpointer says why).
    raw.pragma('journal_size_limit = -1');
  }
  // Kysely prepares every statement anew; caching them by SQL text removes most of that overhead.
  const cache = new Map<string, SQLite.Statement>();
  const prepare = raw.prepare.bind(raw);
  const cachedPrepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = profiledStatement(prepare(sql), sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const cached = new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return cachedPrepare;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }), plugins: [writeWatcher] });
  return { raw, db };
}

// Checkpoints (copying committed pages from the WAL into the database file, then fsync) run in a worker thread
// on a connection of its own instead of inside whichever COMMIT crosses SQLite's 1,000-page mark: the event loop
// no longer stalls for them. Commits still go to the WAL exactly as before, so durability does not change.
//
// The WAL restarts (the next write goes to its start again) once a checkpoint has copied all of it; SQLite's
// journal_size_limit would then truncate the file in that write, on the event loop. Truncating frees disk blocks,
// and on a file system mounted with `discard` (common on cloud disks, and this machine) that waits for the device:
// 350–700 ms measured, at every restart. So the main connection never truncates (journal_size_limit = -1): a
// restarted WAL is written over.
//
// Under sustained writes the thread's passes never quite finish (each ends with an fsync, and the next group
// commit has appended meanwhile), so the WAL would never restart and grew ~100 MB/s at full intake. Past
// RESTART_AT in use, with less than RESTART_BACKLOG left to copy, the main connection itself runs one pass between
// transactions: no write can come in meanwhile, so it completes and the next write restarts the WAL. It costs a
// few milliseconds once per RESTART_AT written. A WAL file left large anyway (one huge transaction, a long
// reader) is cut down by the thread once writes are light (under IDLE_FRAMES in IDLE_MS), with TRUNCATE.
const CHECKPOINT_AT = 4 * 1024 * 1024;
const RESTART_AT = 64 * 1024 * 1024;
const RESTART_BACKLOG = 4 * 1024 * 1024;
const SHRINK_ABOVE = 2 * RESTART_AT;
const IDLE_MS = 2000;
const IDLE_FRAMES = 256;
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  if (m === 'shrink') {
    // Waits for a writer in progress, copies what is left and truncates the file: only ever sent when idle.
    parentPort.postMessage(db.pragma('wal_checkpoint(TRUNCATE)')[0]);
    return;
  }
  let r = { busy: 0, log: 0, checkpointed: 0 };
  // Writers keep appending meanwhile: a second pass copies what came in during the first, so that the WAL is
  // usually complete (and restarts) even under sustained writes.
  for (let pass = 0; pass < 3; pass++) {
    r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (r.busy || r.log === r.checkpointed) break;
  }
  parentPort.postMessage(r);
});
`;

export interface WalState {
  /** Frames in the WAL since its last restart (mxFrame). */
  frames: number;
  /** Bytes of WAL in use since its last restart. */
  bytes: number;
  /** Bytes of it not yet copied into the database file (mxFrame − nBackfill). */
  backlogBytes: number;
}

/**
 * The WAL's state from the wal-index header in the -shm file (layout in sqlite.org/walformat.html, native byte
 * order): once a restarted WAL is written over, the file's size tells neither how much is in use nor how much is
 * waiting. Null when the header cannot be read.
 */
export function walState(shmFd: number): WalState | null {
  const header = Buffer.alloc(136);
  if (readSync(shmFd, header, 0, 136, 0) < 136) return null;
  const le = endianness() === 'LE';
  const u32 = (at: number) => (le ? header.readUInt32LE(at) : header.readUInt32BE(at));
  const rawPageSize = le ? header.readUInt16LE(14) : header.readUInt16BE(14);
  const frameSize = (rawPageSize === 1 ? 65536 : rawPageSize) + 24;
  const mxFrame = u32(16);
  const nBackfill = u32(96);
  if (!rawPageSize || nBackfill > mxFrame) return null;
  return { frames: mxFrame, bytes: mxFrame * frameSize, backlogBytes: (mxFrame - nBackfill) * frameSize };
}

function startCheckpointer(raw: SQLite.Database, file: string) {
  let shmFd: number | null = null;
  let worker: Worker | null = null;
  let running = false;
  let failed = false;
  let stopping = false;
  let lastPassAt = -1;
  // Frames in use at the start of the current IDLE_MS window, to tell light writing from heavy.
  let windowStart = performance.now();
  let windowFrames = 0;
  let light = false;
  const fallBack = (err: unknown) => {
    if (failed) return;
    failed = true;
    console.error(`SQLite checkpoint worker stopped (${(err as Error)?.message ?? err}); checkpointing on the main connection`);
    try {
      raw.pragma('wal_autocheckpoint = 1000');
      raw.pragma(`journal_size_limit = ${CHECKPOINT_AT}`);
    } catch {
      // closed meanwhile
    }
  };
  const walFileBytes = () => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  };
  const send = (message: 'checkpoint' | 'shrink') => {
    if (!worker) {
      worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { file, driver: requireHere.resolve('better-sqlite3') } });
      worker.unref();
      worker.on('message', (r: { log: number; checkpointed: number }) => {
        running = false;
        lastPassAt = r.log === r.checkpointed ? -1 : r.log;
        // At once rather than at the next tick: the less has come in since, the shorter the restarting pass.
        tick();
      });
      worker.on('error', fallBack);
      worker.on('exit', (code) => {
        if (!stopping) fallBack(new Error(`exited with ${code}`));
      });
    }
    running = true;
    worker.postMessage(message);
  };
  const tick = () => {
    // A pass's answer can arrive after stop(): its descriptor is closed by then.
    if (failed || stopping) return;
    let wal: WalState | null;
    try {
      shmFd ??= openSync(`${file}-shm`, 'r');
      wal = walState(shmFd);
    } catch {
      return;
    }
    if (!wal) return;
    const now = performance.now();
    if (now - windowStart >= IDLE_MS) {
      // Frames written in the window just ended (a restart in it started the count again from zero).
      light = (wal.frames >= windowFrames ? wal.frames - windowFrames : wal.frames) < IDLE_FRAMES;
      windowStart = now;
      windowFrames = wal.frames;
    }
    if (running) return;
    if (wal.bytes > RESTART_AT && wal.backlogBytes > 0 && wal.backlogBytes < RESTART_BACKLOG && !raw.inTransaction) {
      raw.pragma('wal_checkpoint(PASSIVE)');
    } else if (wal.bytes > CHECKPOINT_AT && wal.backlogBytes > 0 && wal.frames !== lastPassAt) {
      // Passes follow one another; one that could not copy everything (a reader still needs old pages) is not
      // repeated until more comes in.
      send('checkpoint');
    } else if (light && walFileBytes() > SHRINK_ABOVE) {
      send('shrink');
    }
  };
  const timer = setInterval(tick, 50);
  timer.unref();
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      if (shmFd !== null) closeSync(shmFd);
      shmFd = null;
      if (!worker) return;
      // Its connection closes first, so that the last one to close (ours) checkpoints and removes the WAL.
      const exited = new Promise<void>((resolve) => worker!.once('exit', () => resolve()));
      worker.postMessage('close');
      const timeout = setTimeout(() => void worker?.terminate(), 5000);
      await exited;
      clearTimeout(timeout);
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
  const db = new Kysely<Database>({ dialect, plugins: [writeWatcher] });
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
