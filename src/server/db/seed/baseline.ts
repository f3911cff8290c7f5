// Data every installation needs, demo or not: the point types and problem categories of domain.md (editable
// afterwards, so existing rows are never overwritten).
import type { Executor } from '../../lib/context.js';
import { seedPointTypes } from '../../modules/places/service.js';
import { seedCategories } from '../../modules/categories/service.js';
import { seedStandard } from '../../modules/standards/service.js';

export async function seedBaseline(db: Executor): Promise<void> {
  await seedPointTypes(db);
  await seedCategories(db);
  await seedStandard(db);
}
