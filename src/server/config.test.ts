import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs the demo on SQLite with no variables set', () => {
    const c = loadConfig({}, '/srv/wenming');
    expect(c).toMatchObject({ port: 3000, dialect: 'sqlite', demo: true, databaseUrl: 'sqlite:/srv/wenming/data/wenming.db', runApi: true, runWorker: true });
  });

  it('recognises PostgreSQL and the process roles', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/wenming', WENMING_ROLE: 'worker' });
    expect(c).toMatchObject({ dialect: 'postgres', runApi: false, runWorker: true });
  });

  it('names every bad variable in one message', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', WENMING_DEMO: 'maybe', DATABASE_URL: 'mysql://x', WENMING_TILE_URL: 'ftp://tiles', WENMING_ROLE: 'boss' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'WENMING_DEMO', 'DATABASE_URL', 'WENMING_TILE_URL', 'WENMING_ROLE']) expect(problems).toContain(name);
  });
});
