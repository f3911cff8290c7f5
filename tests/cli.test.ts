// The `wenming` command as an operator uses it, against the test database of this run (SQLite or PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createTestDb, type TestDb } from './helpers/db.js';
import { seedFixture, type Fixture } from './helpers/fixture.js';

let t: TestDb;
let fx: Fixture;
beforeAll(async () => {
  t = await createTestDb();
  fx = await seedFixture(t.deps);
});
afterAll(async () => t?.close());

function wenming(...args: string[]) {
  const res = spawnSync(process.execPath, ['bin/wenming.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: t.url, WENMING_DEMO: 'false', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

describe('wenming CLI', { timeout: 120_000 }, () => {
  it('prints help for the command and for each subcommand', () => {
    const main = wenming('--help');
    expect(main.code).toBe(0);
    expect(main.out).toContain('apikey create');
    const sub = wenming('user', 'create', '--help');
    expect(sub.out).toContain('--username');
    expect(wenming('frobnicate').code).toBe(2);
  });

  it('migrates and seeds', () => {
    expect(wenming('migrate').out).toContain('migrations applied');
    expect(wenming('seed', '--demo').out).toContain('demo not loaded'); // the fixture street is there already
  });

  it('creates a user with a temporary password that signs in, and resets it', async () => {
    const created = wenming('user', 'create', '--username', 'cli_user', '--name', '命令行', '--role', 'grid_worker', '--org', fx.gridA1.code!);
    expect(created.code).toBe(0);
    const temp = /temporary password: (\S+)/.exec(created.out)?.[1];
    expect(temp).toBeTruthy();
    const user = await t.deps.db.selectFrom('users').selectAll().where('username', '=', 'cli_user').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'grid_worker', org_id: fx.gridA1.id, must_change_password: 1 });
    expect(wenming('user', 'create', '--username', 'cli_user', '--name', 'x', '--role', 'unit', '--org', fx.dept.id.toString()).err).toContain('already exists');
    expect(wenming('user', 'create', '--username', 'x2', '--name', 'x', '--role', 'king', '--org', '1').err).toContain('unknown role');
    const reset = wenming('user', 'reset-password', 'cli_user');
    expect(reset.out).toMatch(/temporary password for cli_user: \S+/);
  });

  it('issues and revokes an API key, storing only its hash', async () => {
    const created = wenming('apikey', 'create', '12345热线', '--source', 'hotline', '--rate', '120');
    expect(created.code).toBe(0);
    const key = /: (wm_\S+)/.exec(created.out)?.[1];
    const id = /api key (\d+)/.exec(created.out)?.[1];
    expect(key).toMatch(/^wm_/);
    const row = await t.deps.db.selectFrom('api_keys').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'hotline', rate_limit_per_minute: 120, revoked_at: null });
    expect(JSON.stringify(row)).not.toContain(key!);
    expect(wenming('apikey', 'revoke', id!).out).toContain('revoked');
    const after = await t.deps.db.selectFrom('api_keys').select('revoked_at').where('id', '=', Number(id)).executeTakeFirstOrThrow();
    expect(after.revoked_at).toEqual(expect.any(String));
  });

  it('stops with one message naming a bad variable', () => {
    const res = spawnSync(process.execPath, ['bin/wenming.mjs', 'migrate'], { env: { ...process.env, PORT: 'x', DATABASE_URL: t.url }, encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('PORT');
  });
});
