// The query layer's machinery under the intake: group commit, compiled-once queries, the write watcher behind the
// per-process caches, and SQLite checkpoints off the event loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { createTestDb, TEST_DIALECT, type TestDb } from '../../../tests/helpers/db.js';
import { externalWriteStamp, openDatabase, referenceDataGeneration, writeGeneration } from './database.js';
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
