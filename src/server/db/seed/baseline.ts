// Data every installation needs, demo or not: the point types and problem categories of domain.md (editable
// afterwards, so existing rows are never overwritten).
import type { Executor } from '../../lib/context.js';
import { POINT_TYPE_SEED } from '../../../core/places.js';
import { seedCategories } from '../../modules/categories/service.js';

export async function seedBaseline(db: Executor): Promise<void> {
  const existing = new Set((await db.selectFrom('point_types').select('code').execute()).map((r) => r.code));
  const missing = POINT_TYPE_SEED.map((t, i) => ({ t, i })).filter(({ t }) => !existing.has(t.code));
  if (missing.length) {
    await db
      .insertInto('point_types')
      .values(missing.map(({ t, i }) => ({ code: t.code, name_zh: t.zh, name_en: t.en, geometry_kind: t.geometry, fields: JSON.stringify(t.fields), sort: i, active: 1 })))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
  await seedCategories(db);
}
