// The query layer's machinery under the intake: group commit, compiled-once queries, the write watcher behind the
// per-process caches, and SQLite checkpoints off the event loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { createTestDb, TEST_DIALECT, type TestDb } from '../../../tests/helpers/db.js';
import { externalWriteStamp, openDatabase, referenceDataGeneration, walState, writeGeneration } from './database.js';
import { groupCommit } from './group-commit.js';
import { prepared } from './prepared.js';
import { migrateToLatest } from './migrate.js';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

const settingsRow = (key: string, value: string) => ({ key, value, updated_at: new Date().toISOString(), updated_by: null });

describe('group commit', () => {
  it('answers each write after the commit, and a failing write fails alone', async () => {
    const db = t.deps.db;
    const results = await Promise.allSettled(
      ['gc-a', 'gc-b', 'gc-fail', 'gc-c'].map((key) =>
        groupCommit(db, async (trx) => {
          await trx.insertInto('settings').values(settingsRow(key, '1')).execute();
          if (key === 'gc-fail') throw new Error('refused');
          return key;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('refused');
    const keys = (await db.selectFrom('settings').select('key').where('key', 'like', 'gc-%').orderBy('key').execute()).map((r) => r.key);
    expect(keys).toEqual(['gc-a', 'gc-b', 'gc-c']);
  });

  it('lets a write see the earlier writes of its batch (SQLite), every write being stored', async () => {
    const db = t.deps.db;
    const seen = await Promise.all(
      [1, 2, 3].map((n) =>
        groupCommit(db, async (trx) => {
          const before = await trx.selectFrom('settings').select('key').where('key', 'like', 'seq-%').execute();
          await trx.insertInto('settings').values(settingsRow(`seq-${n}`, String(n))).execute();
          return before.length;
        }),
      ),
    );
    // PostgreSQL runs each in a transaction of its own, side by side: what each saw depends on timing there.
    if (TEST_DIALECT === 'sqlite') expect(seen).toEqual([0, 1, 2]);
    expect(await db.selectFrom('settings').select('key').where('key', 'like', 'seq-%').execute()).toHaveLength(3);
  });
});

describe('prepared queries', () => {
  const byKey = prepared((db, key: string) => db.selectFrom('settings').select(['key', 'value']).where('key', '=', key));

  it('run with new values each time, as the builder would', async () => {
    const db = t.deps.db;
    await db.insertInto('settings').values([settingsRow('prep-1', 'one'), settingsRow('prep-2', 'two')]).execute();
    expect((await byKey(db, 'prep-1')).rows).toEqual([{ key: 'prep-1', value: 'one' }]);
    expect((await byKey(db, 'prep-2')).rows).toEqual([{ key: 'prep-2', value: 'two' }]);
    expect((await byKey(db, 'nothing')).rows).toEqual([]);
  });

  it('refuses a builder that does not use every argument as a value', async () => {
    const odd = prepared((db, _unused: string) => db.selectFrom('settings').select('key'));
    await expect(odd(t.deps.db, 'x')).rejects.toThrow(/uses 0 of its 1 arguments/);
  });
});

describe('write watcher', () => {
  it('counts writes to reference data and sessions, and nothing else', async () => {
    const db = t.deps.db;
    const ref = referenceDataGeneration();
    const auth = writeGeneration(['sessions', 'users']);
    await db.selectFrom('orgs').selectAll().execute();
    await db.insertInto('settings').values(settingsRow('watch-1', '1')).execute();
    expect(referenceDataGeneration()).toBe(ref);
    await db.updateTable('orgs').set({ name: 'x' }).where('id', '=', -1).execute();
    expect(referenceDataGeneration()).toBe(ref + 1);
    await sql`UPDATE points SET name = name WHERE id = -1`.execute(db);
    expect(referenceDataGeneration()).toBe(ref + 2);
    await db.deleteFrom('sessions').where('id', '=', 'none').execute();
    expect(writeGeneration(['sessions', 'users'])).toBe(auth + 1);
  });
});

describe('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-sqlite-'));
  const file = join(dir, 'cp.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sees commits by other connections in data_version', async () => {
    const opened = await openDatabase(`sqlite:${file}`);
    try {
      await migrateToLatest(opened.db);
      const before = externalWriteStamp(opened.db);
      await opened.db.insertInto('settings').values(settingsRow('own', '1')).execute();
      expect(externalWriteStamp(opened.db)).toBe(before);
      const other = new SQLite(file);
      other.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('other', '1', 'now')").run();
      other.close();
      expect(externalWriteStamp(opened.db)).not.toBe(before);
    } finally {
      await opened.close();
    }
  });

  it('reads the WAL in use and its backlog from the wal-index, also once a restarted WAL is written over', () => {
    const f = join(dir, 'backlog.db');
    const db = new SQLite(f);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('journal_size_limit = -1');
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const fd = openSync(`${f}-shm`, 'r');
    try {
      for (let i = 0; i < 200; i++) insert.run('y'.repeat(3000));
      const frameSize = (db.pragma('page_size', { simple: true }) as number) + 24;
      const walFrames = (statSync(`${f}-wal`).size - 32) / frameSize;
      const before = walState(fd)!;
      expect(before).toEqual({ frames: walFrames, bytes: walFrames * frameSize, backlogBytes: walFrames * frameSize });
      const [done] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      expect(done.log).toBe(done.checkpointed);
      expect(walState(fd)).toEqual({ ...before, backlogBytes: 0 });
      // The next write restarts the WAL from its start: the file keeps its size, what is in use is that write alone.
      const size = statSync(`${f}-wal`).size;
      insert.run('z');
      expect(statSync(`${f}-wal`).size).toBe(size);
      const after = walState(fd)!;
      expect(after.frames).toBeGreaterThan(0);
      expect(after.frames).toBeLessThan(5);
      expect(after.backlogBytes).toBe(after.frames * frameSize);
    } finally {
      closeSync(fd);
      db.close();
    }
  });

  it('cuts a WAL left large by a burst down once writes are light, never in a COMMIT', { timeout: 60_000 }, async () => {
    const f = join(dir, 'burst.db');
    const opened = await openDatabase(`sqlite:${f}`);
    const wal = `${f}-wal`;
    try {
      await migrateToLatest(opened.db);
      // One transaction of ~160 MB: no checkpoint can restart the WAL in the middle of it.
      const blob = 'b'.repeat(8000);
      await opened.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 20_000; i++) await trx.insertInto('settings').values(settingsRow(`burst-${i}`, blob)).execute();
      });
      expect(statSync(wal).size).toBeGreaterThan(128 * 1024 * 1024);
      // A COMMIT never truncates the WAL (journal_size_limit -1): at a restart the next write goes over it.
      const limit = await sql<{ journal_size_limit: number }>`PRAGMA journal_size_limit`.execute(opened.db);
      expect(limit.rows[0].journal_size_limit).toBe(-1);
      await opened.db.insertInto('settings').values(settingsRow('after', 'x')).execute();
      // Then quiet: the checkpoint thread truncates it.
      const deadline = Date.now() + 15_000;
      while (statSync(wal).size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(statSync(wal).size).toBe(0);
      const count = await opened.db.selectFrom('settings').select((eb) => eb.fn.countAll<number>().as('n')).where('key', 'like', 'burst-%').executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(20_000);
    } finally {
      await opened.close();
    }
  });

  it('checkpoints a growing WAL off the event loop and leaves no WAL after closing', { timeout: 60_000 }, async () => {
    const opened = await openDatabase(`sqlite:${file}`);
    const wal = `${file}-wal`;
    const blob = 'x'.repeat(4000);
    let peak = 0;
    try {
      // About 24 MB through the WAL in small commits, as sustained intake writes it.
      for (let round = 0; round < 60; round++) {
        await opened.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 100; i++) await trx.insertInto('settings').values(settingsRow(`cp-${round}-${i}`, blob)).execute();
        });
        peak = Math.max(peak, statSync(wal).size);
        await new Promise((r) => setTimeout(r, 20));
      }
      // Copied into the database file by the checkpoint worker and restarted: the WAL stays far below what went through it.
      expect(peak).toBeLessThan(20 * 1024 * 1024);
      expect(statSync(file).size).toBeGreaterThan(20 * 1024 * 1024);
      const count = await opened.db.selectFrom('settings').select((eb) => eb.fn.countAll<number>().as('n')).where('key', 'like', 'cp-%').executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(6000);
    } finally {
      await opened.close();
    }
    expect(existsSync(wal)).toBe(false);
  });
});
