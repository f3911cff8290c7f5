// SQL of the 测评体系: versions, their nodes and items. A standard is installation-wide (one yardstick for every
// street), so reads take no org scope. JSON columns (methods, point_types, rule) stay opaque text here; the
// service parses them.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { StandardItemRow, StandardItemTable, StandardNodeRow, StandardNodeTable, StandardVersionRow, StandardVersionTable } from '../../db/schema.js';

const bump = { version: sql<number>`version + 1` };

export const standardRepo = {
  listVersions(db: Executor, standardCode?: string): Promise<(StandardVersionRow & { item_count: number })[]> {
    let q = db
      .selectFrom('standard_versions as v')
      .selectAll('v')
      .select((eb) => eb.selectFrom('standard_items as i').whereRef('i.version_id', '=', 'v.id').select((e) => e.fn.countAll<number>().as('n')).as('item_count'));
    if (standardCode) q = q.where('v.standard_code', '=', standardCode);
    return q
      .orderBy('v.standard_code')
      .orderBy('v.version_no', 'desc')
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, item_count: Number(r.item_count ?? 0) })));
  },

  versionById(db: Executor, id: number): Promise<StandardVersionRow | undefined> {
    return db.selectFrom('standard_versions').selectAll().where('id', '=', id).executeTakeFirst();
  },

  current(db: Executor, standardCode: string): Promise<StandardVersionRow | undefined> {
    return db.selectFrom('standard_versions').selectAll().where('standard_code', '=', standardCode).where('status', '=', 'published').executeTakeFirst();
  },

  async nextVersionNo(db: Executor, standardCode: string): Promise<number> {
    const r = await db
      .selectFrom('standard_versions')
      .select((eb) => eb.fn.max('version_no').as('n'))
      .where('standard_code', '=', standardCode)
      .executeTakeFirst();
    return Number(r?.n ?? 0) + 1;
  },

  async insertVersion(db: Executor, values: Insertable<StandardVersionTable>): Promise<number> {
    const { id } = await db.insertInto('standard_versions').values(values).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** Optimistic update of the version row: false when its version moved on. */
  async updateVersion(db: Executor, id: number, version: number, patch: Partial<Omit<StandardVersionRow, 'id' | 'version'>>): Promise<boolean> {
    const res = await db.updateTable('standard_versions').set({ ...patch, ...bump }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /** Any edit inside a draft moves the draft's version on, so a publish based on an older view is refused. */
  async touchVersion(db: Executor, id: number, now: string): Promise<void> {
    await db.updateTable('standard_versions').set({ updated_at: now, ...bump }).where('id', '=', id).execute();
  },

  async retireCurrent(db: Executor, standardCode: string, now: string): Promise<void> {
    await db.updateTable('standard_versions').set({ status: 'retired', updated_at: now, ...bump }).where('standard_code', '=', standardCode).where('status', '=', 'published').execute();
  },

  async deleteVersion(db: Executor, id: number): Promise<void> {
    await db.deleteFrom('standard_items').where('version_id', '=', id).execute();
    // Children first: the parent reference would refuse otherwise on engines that check it per row.
    for (const level of [3, 2, 1]) await db.deleteFrom('standard_nodes').where('version_id', '=', id).where('level', '=', level).execute();
    await db.deleteFrom('standard_versions').where('id', '=', id).execute();
  },

  nodes(db: Executor, versionId: number): Promise<StandardNodeRow[]> {
    return db.selectFrom('standard_nodes').selectAll().where('version_id', '=', versionId).orderBy('level').orderBy('sort').orderBy('id').execute();
  },

  nodeById(db: Executor, id: number): Promise<StandardNodeRow | undefined> {
    return db.selectFrom('standard_nodes').selectAll().where('id', '=', id).executeTakeFirst();
  },

  nodeByCode(db: Executor, versionId: number, code: string): Promise<StandardNodeRow | undefined> {
    return db.selectFrom('standard_nodes').selectAll().where('version_id', '=', versionId).where('code', '=', code).executeTakeFirst();
  },

  async insertNode(db: Executor, values: Insertable<StandardNodeTable>): Promise<number> {
    const { id } = await db.insertInto('standard_nodes').values(values).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  async updateNode(db: Executor, id: number, version: number, patch: Partial<Pick<StandardNodeRow, 'name' | 'sort'>>): Promise<boolean> {
    const res = await db.updateTable('standard_nodes').set({ ...patch, ...bump }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async deleteNode(db: Executor, id: number, version: number): Promise<boolean> {
    const res = await db.deleteFrom('standard_nodes').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  },

  async countUnder(db: Executor, nodeId: number): Promise<number> {
    const [nodes, items] = await Promise.all([
      db.selectFrom('standard_nodes').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', '=', nodeId).executeTakeFirstOrThrow(),
      db.selectFrom('standard_items').select((eb) => eb.fn.countAll<number>().as('n')).where('node_id', '=', nodeId).executeTakeFirstOrThrow(),
    ]);
    return Number(nodes.n) + Number(items.n);
  },

  /** Codes of the children of a node (or of the roots), to number the next one. */
  async childCodes(db: Executor, versionId: number, parentId: number | null): Promise<string[]> {
    let q = db.selectFrom('standard_nodes').select('code').where('version_id', '=', versionId);
    q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
    return (await q.execute()).map((r) => r.code);
  },

  items(db: Executor, versionId: number): Promise<StandardItemRow[]> {
    return db.selectFrom('standard_items').selectAll().where('version_id', '=', versionId).execute();
  },

  itemById(db: Executor, id: number): Promise<StandardItemRow | undefined> {
    return db.selectFrom('standard_items').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async itemCodes(db: Executor, nodeId: number): Promise<string[]> {
    return (await db.selectFrom('standard_items').select('code').where('node_id', '=', nodeId).execute()).map((r) => r.code);
  },

  async insertItem(db: Executor, values: Insertable<StandardItemTable>): Promise<number> {
    const { id } = await db.insertInto('standard_items').values(values).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  async insertItems(db: Executor, rows: Insertable<StandardItemTable>[]): Promise<void> {
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('standard_items').values(rows.slice(i, i + 200)).execute();
  },

  async updateItem(db: Executor, id: number, version: number, patch: Partial<Omit<StandardItemRow, 'id' | 'version' | 'version_id' | 'node_id'>>): Promise<boolean> {
    const res = await db.updateTable('standard_items').set({ ...patch, ...bump }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async deleteItem(db: Executor, id: number, version: number): Promise<boolean> {
    const res = await db.deleteFrom('standard_items').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  },

  async pointTypes(db: Executor): Promise<{ code: string; name_zh: string; name_en: string }[]> {
    return db.selectFrom('point_types').select(['code', 'name_zh', 'name_en']).orderBy('sort').execute();
  },
};
