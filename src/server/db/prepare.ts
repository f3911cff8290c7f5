// Opens, migrates and seeds the baseline: what every process (server, worker, CLI) does before its own work.
import type { Config } from '../config.js';
import type { Deps } from '../lib/context.js';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { seedBaseline } from './seed/baseline.js';

export async function prepareDatabase(config: Config, notify: Deps['notify'] = () => {}) {
  const opened = await openDatabase(config.databaseUrl);
  await migrateToLatest(opened.db);
  await seedBaseline(opened.db);
  const deps: Deps = { db: opened.db, dialect: opened.dialect, config, notify };
  return { opened, deps };
}
