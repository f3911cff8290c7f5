import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/001_foundation.js';
import * as m002 from './migrations/002_categories_routing.js';
import * as m003 from './migrations/003_photos.js';
import * as m004 from './migrations/004_cases.js';
import * as m005 from './migrations/005_notifications.js';
import * as m006 from './migrations/006_standards.js';
import * as m007 from './migrations/007_inspections.js';
import * as m008 from './migrations/008_evidence.js';
import * as m009 from './migrations/009_neighbour_search.js';
import * as m010 from './migrations/010_text_index_catch_up.js';

// Migrations are listed in code (not read from disk) so the compiled build and tsx run the same set.
// Later areas append theirs here, in order.
export const MIGRATIONS: Record<string, Migration> = {
  '001_foundation': m001,
  '002_categories_routing': m002,
  '003_photos': m003,
  '004_cases': m004,
  '005_notifications': m005,
  '006_standards': m006,
  '007_inspections': m007,
  '008_evidence': m008,
  '009_neighbour_search': m009,
  '010_text_index_catch_up': m010,
};

class InCodeProvider implements MigrationProvider {
  async getMigrations() {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
