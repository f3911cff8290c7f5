// A fresh database per test file: a temp SQLite file, or (WENMING_TEST_DB=postgres) a new PostgreSQL database
// on the CI server, dropped afterwards. Both run the real migrations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type OpenedDb } from '../../src/server/db/database.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import type { Deps } from '../../src/server/lib/context.js';
import { createLocalBus } from '../../src/server/realtime/bus.js';

export const TEST_DIALECT = (process.env.WENMING_TEST_DB === 'postgres' ? 'postgres' : 'sqlite') as 'sqlite' | 'postgres';
export const PG_BASE = process.env.WENMING_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestDb {
  opened: OpenedDb;
  deps: Deps;
  config: Config;
  url: string;
  close(): Promise<void>;
}

export async function createTestDb(envOverrides: Record<string, string> = {}): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-test-'));
  let url: string;
  let dbName: string | null = null;
  if (TEST_DIALECT === 'postgres') {
    dbName = `wm_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    url = `${PG_BASE}/${dbName}`;
  } else {
    url = `sqlite:${join(dir, 'test.db')}`;
  }
  const config = loadConfig({ DATABASE_URL: url, WENMING_DATA_DIR: dir, WENMING_DEMO: 'false', LOG_LEVEL: 'silent', ...envOverrides });
  const opened = await openDatabase(url, { poolSize: 4 });
  await migrateToLatest(opened.db);
  const deps: Deps = { db: opened.db, dialect: opened.dialect, config, notify: createLocalBus().publish };
  return {
    opened,
    deps,
    config,
    url,
    async close() {
      await opened.close();
      if (dbName) {
        const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        await c.end();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
