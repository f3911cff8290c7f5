// Platform pieces later areas rely on: the job queue shared by several workers, migrations and the database checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createTestDb, PG_BASE, TEST_DIALECT, type TestDb } from './helpers/db.js';
import { Worker, enqueueJob, registerJob } from '../src/server/jobs/worker.js';
import { openDatabase, DatabaseSetupError } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

describe('jobs', () => {
  it('runs each queued job exactly once when two workers poll together', async () => {
    const seen: number[] = [];
    registerJob('test.collect', async (_deps, payload: { n: number }) => {
      seen.push(payload.n);
    });
    for (let n = 0; n < 40; n++) await enqueueJob(t.deps, 'test.collect', { n });
    const a = new Worker(t.deps);
    const b = new Worker(t.deps);
    for (let i = 0; i < 5; i++) await Promise.all([a.tick(), b.tick()]);
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('retries a failing job with backoff and gives up after its attempts', async () => {
    let calls = 0;
    registerJob('test.flaky', async () => {
      calls++;
      throw new Error('gateway down');
    });
    const id = await enqueueJob(t.deps, 'test.flaky', {});
    const w = new Worker(t.deps);
    await w.tick();
    let row = await t.deps.db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row.last_error).toContain('gateway down');
    expect(new Date(row.run_at).getTime()).toBeGreaterThan(Date.now());
    await t.deps.db.updateTable('jobs').set({ attempts: 5, run_at: new Date(0).toISOString() }).where('id', '=', id!).execute();
    await w.tick();
    row = await t.deps.db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(calls).toBe(2);
  });

  it('keeps the finished rows of frequent periodic jobs for an hour, of the others for a week', async () => {
    registerJob('test.frequent', async () => {}, 1);
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const finished = async (kind: string, msAgo: number) => {
      const id = (await enqueueJob(t.deps, kind, {}))!;
      await t.deps.db.updateTable('jobs').set({ status: 'done', updated_at: ago(msAgo) }).where('id', '=', id).execute();
      return id;
    };
    const frequentOld = await finished('test.frequent', 2 * 3600_000);
    const frequentRecent = await finished('test.frequent', 10 * 60_000);
    const otherOld = await finished('test.collect', 2 * 3600_000);
    const otherAncient = await finished('test.collect', 8 * 86400_000);
    await enqueueJob(t.deps, 'sessions.cleanup', {});
    await new Worker(t.deps).tick();
    const left = (await t.deps.db.selectFrom('jobs').select('id').where('id', 'in', [frequentOld, frequentRecent, otherOld, otherAncient]).execute()).map((r) => r.id);
    expect(left.sort((a, b) => a - b)).toEqual([frequentRecent, otherOld]);
  });

  it('schedules a periodic job meant for one database only on that database', async () => {
    const other = t.deps.dialect === 'sqlite' ? 'postgres' : 'sqlite';
    registerJob('test.here', async () => {}, 1, { dialect: t.deps.dialect });
    registerJob('test.elsewhere', async () => {}, 1, { dialect: other });
    await new Worker(t.deps).tick();
    const kinds = (await t.deps.db.selectFrom('jobs').select('kind').where('kind', 'in', ['test.here', 'test.elsewhere']).execute()).map((r) => r.kind);
    expect(kinds).toContain('test.here');
    expect(kinds).not.toContain('test.elsewhere');
  });

  it('enqueues a job with a dedupe key once, however often it is asked', async () => {
    const first = await enqueueJob(t.deps, 'test.collect', { n: 1 }, { dedupeKey: 'once:1' });
    const again = await enqueueJob(t.deps, 'test.collect', { n: 1 }, { dedupeKey: 'once:1' });
    expect(first).toEqual(expect.any(Number));
    expect(again).toBeNull();
  });
});

describe('migrations', () => {
  it('are idempotent: a second run applies nothing', async () => {
    expect(await migrateToLatest(t.deps.db)).toEqual([]);
  });
});

describe('database setup', () => {
  it('creates a missing database and lets several servers migrate it at once', async () => {
    const name = `wm_t_multi_${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'wenming-multi-'));
    const url = TEST_DIALECT === 'postgres' ? `${PG_BASE}/${name}` : `sqlite:${join(dir, 'nested', 'new.db')}`;
    const [a, b] = await Promise.all([openDatabase(url, { poolSize: 2 }), openDatabase(url, { poolSize: 2 })]);
    try {
      // PostgreSQL: servers race and the advisory lock serialises them. SQLite serves one server per file: a second
      // process (the CLI) migrating afterwards finds nothing to do.
      const ra = TEST_DIALECT === 'postgres' ? await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]) : [await migrateToLatest(a.db), await migrateToLatest(b.db)];
      const all = ra.flat();
      expect(all.length).toBeGreaterThan(0);
      expect(new Set(all).size).toBe(all.length); // no migration ran twice
    } finally {
      await a.close();
      await b.close();
      if (TEST_DIALECT === 'postgres') {
        const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('searches Chinese text with the index of its engine (PostgreSQL refuses a non-UTF-8 LC_CTYPE at boot)', async () => {
    if (TEST_DIALECT === 'postgres') {
      const name = `wm_t_c_${randomBytes(3).toString('hex')}`;
      const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
      await c.connect();
      await c.query(`CREATE DATABASE "${name}" ENCODING 'SQL_ASCII' LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0`);
      try {
        await expect(openDatabase(`${PG_BASE}/${name}`)).rejects.toThrow(DatabaseSetupError);
        await expect(openDatabase(`${PG_BASE}/${name}`)).rejects.toThrow(/LC_CTYPE/);
      } finally {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      }
      // With a UTF-8 LC_CTYPE pg_trgm extracts trigrams from Chinese text (with C it extracts none).
      const { rows } = await sql<{ n: number }>`SELECT array_length(show_trgm('华光路烧烤摊'), 1) AS n`.execute(t.deps.db);
      expect(Number(rows[0].n)).toBeGreaterThanOrEqual(4);
    } else {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM pragma_compile_options WHERE compile_options LIKE 'ENABLE_FTS5'`.execute(t.deps.db);
      expect(Number(rows[0].n)).toBe(1);
    }
  });
});
