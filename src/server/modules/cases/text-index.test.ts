// Full-text search stays complete while SQLite's FTS5 index is filled after the commit (text-index.ts): cases past
// the cursor are found by LIKE, the catch-up moves them into the index, and edits keep the index equal to the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { catchUpTextIndex } from './text-index.js';
import { TEXT_CURSOR } from '../../db/migrations/010_text_index_catch_up.js';
import { MIGRATIONS, migrateToLatest } from '../../db/migrate.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
});
afterAll(async () => t?.close());

const sqlite = () => t.db.deps.dialect === 'sqlite';
const IN_A1 = { lat: 36.805, lng: 118.005 };
let seq = 0;

async function report(description: string, address?: string) {
  const c = await t.as('gridA1');
  seq++;
  const res = await c.post('/api/v1/cases', { source: 'patrol', categoryCode: '1405', description, address, lat: IN_A1.lat + seq * 0.0002, lng: IN_A1.lng });
  expect(res.statusCode).toBe(201);
  return res.json().id as number;
}

async function search(q: string): Promise<number[]> {
  const res = await (await t.as('office')).get(`/api/v1/cases?pageSize=100&q=${encodeURIComponent(q)}`);
  expect(res.statusCode).toBe(200);
  return res.json().items.map((c: { id: number }) => c.id);
}

/** Case ids the FTS5 index itself returns for a phrase (not the table). */
async function indexed(phrase: string): Promise<number[]> {
  const { rows } = await sql<{ rowid: number }>`SELECT rowid FROM cases_fts WHERE cases_fts MATCH ${`"${phrase}"`}`.execute(t.db.deps.db);
  return rows.map((r) => r.rowid);
}

const cursor = async () => Number((await sql<{ last_id: number }>`SELECT last_id FROM outbox_cursors WHERE name = ${TEXT_CURSOR}`.execute(t.db.deps.db)).rows[0].last_id);
const integrityCheck = () => sql`INSERT INTO cases_fts (cases_fts, rank) VALUES ('integrity-check', 1)`.execute(t.db.deps.db);

describe('full-text search with the index filled after the commit', () => {
  it('finds a case the moment it is acknowledged, before and after the catch-up indexes it', async () => {
    const id = await report('红星路口共享单车倒伏一片', '红星路 12 号');
    expect(await search('共享单车倒伏')).toEqual([id]);
    expect(await search('红星路 12')).toEqual([id]);
    if (sqlite()) {
      expect(await indexed('共享单车倒伏')).toEqual([]);
      expect(await cursor()).toBeLessThan(id);
    }
    const done = await catchUpTextIndex(t.db.deps);
    expect(await search('共享单车倒伏')).toEqual([id]);
    if (sqlite()) {
      expect(done).toBeGreaterThanOrEqual(1);
      expect(await indexed('共享单车倒伏')).toEqual([id]);
      expect(await cursor()).toBeGreaterThanOrEqual(id);
      await integrityCheck();
    } else expect(done).toBe(0);
  });

  it('indexes in batches of the given size and stops at the batch limit', async () => {
    if (!sqlite()) return expect(await catchUpTextIndex(t.db.deps, { batchSize: 2 })).toBe(0);
    await catchUpTextIndex(t.db.deps);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await report(`批量索引测试第${i}条垃圾满溢`));
    expect(await catchUpTextIndex(t.db.deps, { batchSize: 2, maxBatches: 2 })).toBe(4);
    expect(await cursor()).toBe(ids[3]);
    expect((await search('批量索引测试')).sort((a, b) => a - b)).toEqual(ids);
    expect(await catchUpTextIndex(t.db.deps, { batchSize: 2 })).toBe(1);
    expect((await indexed('批量索引测试')).sort((a, b) => a - b)).toEqual(ids);
    await integrityCheck();
  });

  it('keeps the index equal to the table when an indexed or a not yet indexed case is edited or deleted', async () => {
    const before = await report('旧描述甲：墙面小广告');
    await catchUpTextIndex(t.db.deps);
    const pending = await report('旧描述乙：墙面小广告');
    const gone = await report('将被删除的案件描述');
    await t.db.deps.db.updateTable('cases').set({ description: '新描述甲：楼道堆物' }).where('id', '=', before).execute();
    await t.db.deps.db.updateTable('cases').set({ description: '新描述乙：楼道堆物' }).where('id', '=', pending).execute();
    await t.db.deps.db.deleteFrom('case_events').where('case_id', '=', gone).execute();
    await t.db.deps.db.deleteFrom('cases').where('id', '=', gone).execute();
    expect(await search('旧描述')).toEqual([]);
    expect((await search('楼道堆物')).sort((a, b) => a - b)).toEqual([before, pending]);
    await catchUpTextIndex(t.db.deps);
    expect(await search('旧描述')).toEqual([]);
    expect((await search('楼道堆物')).sort((a, b) => a - b)).toEqual([before, pending]);
    expect(await search('将被删除')).toEqual([]);
    if (sqlite()) {
      expect((await indexed('楼道堆物')).sort((a, b) => a - b)).toEqual([before, pending]);
      await integrityCheck();
    }
  });

  it('migrates down to indexing by trigger with nothing lost, and up again', async () => {
    const pending = await report('迁移测试：井盖缺失');
    const migrator = new Migrator({ db: t.db.deps.db, provider: { getMigrations: async () => MIGRATIONS } });
    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    expect(down.results?.[0]).toMatchObject({ migrationName: '010_text_index_catch_up', status: 'Success' });
    const later = await report('迁移测试：路灯不亮');
    if (sqlite()) {
      // The trigger is back and what the job had not reached was indexed on the way down.
      expect((await indexed('迁移测试')).sort((a, b) => a - b)).toEqual([pending, later]);
      await integrityCheck();
    }
    expect(await migrateToLatest(t.db.deps.db)).toEqual(['010_text_index_catch_up']);
    const after = await report('迁移测试：树枝折断');
    expect((await search('迁移测试')).sort((a, b) => a - b)).toEqual([pending, later, after]);
    if (sqlite()) {
      expect(await cursor()).toBe(later);
      expect(await indexed('树枝折断')).toEqual([]);
      await catchUpTextIndex(t.db.deps);
      await integrityCheck();
    }
  });
});

