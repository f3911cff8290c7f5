// Sessions are reused for a few seconds (resolveSession): every change that must end or alter a session still
// takes effect on the very next request, including changes written by another process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { TEST_DIALECT } from '../../../../tests/helpers/db.js';
import { TEST_PASSWORD } from '../../../../tests/helpers/fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ WENMING_LOGIN_RATE_LIMIT: '1000' });
});
afterAll(async () => t?.close());

async function signIn(username: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.json().csrfToken as string };
}
const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });

describe('a reused session', () => {
  it('ends with a role change on the next request', async () => {
    const s = await signIn('commA');
    expect((await me(s.cookie)).json().user.role).toBe('unit');
    expect((await me(s.cookie)).json().user.role).toBe('unit');
    const admin = await t.as('admin');
    const user = (await admin.get(`/api/v1/users/${t.fx.users.commA}`)).json();
    expect((await admin.patch(`/api/v1/users/${user.id}`, { version: user.version, role: 'volunteer' })).statusCode).toBe(200);
    expect((await me(s.cookie)).statusCode).toBe(401);
    expect((await me((await signIn('commA')).cookie)).json().user.role).toBe('volunteer');
  });

  it('sees its org renamed on the next request', async () => {
    const s = await signIn('unit');
    expect((await me(s.cookie)).json().user.orgName).toBe('城管科');
    const office = await t.as('admin');
    const org = (await office.get(`/api/v1/orgs/${t.fx.dept.id}`)).json();
    expect((await office.patch(`/api/v1/orgs/${org.id}`, { version: org.version, name: '城市管理科' })).statusCode).toBe(200);
    expect((await me(s.cookie)).json().user.orgName).toBe('城市管理科');
  });

  it('ends with a deactivation on the next request', async () => {
    const s = await signIn('commB');
    expect((await me(s.cookie)).statusCode).toBe(200);
    const admin = await t.as('admin');
    const user = (await admin.get(`/api/v1/users/${t.fx.users.commB}`)).json();
    expect((await admin.patch(`/api/v1/users/${user.id}`, { version: user.version, active: false })).statusCode).toBe(200);
    expect((await me(s.cookie)).statusCode).toBe(401);
  });

  it('ends with a logout on the next request, right after being reused', async () => {
    const s = await signIn('volunteer');
    expect((await me(s.cookie)).statusCode).toBe(200);
    expect((await me(s.cookie)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.statusCode).toBe(200);
    expect((await me(s.cookie)).statusCode).toBe(401);
  });

  it('ends when another process deletes the session', async () => {
    const s = await signIn('leader');
    expect((await me(s.cookie)).statusCode).toBe(200);
    expect((await me(s.cookie)).statusCode).toBe(200);
    // A connection of its own, as another server or the CLI would have.
    if (TEST_DIALECT === 'sqlite') {
      const other = new SQLite(t.db.url.slice('sqlite:'.length));
      try {
        other.prepare('DELETE FROM sessions WHERE user_id = ?').run(t.fx.users.leader);
      } finally {
        other.close();
      }
    } else {
      const other = new pg.Client({ connectionString: t.db.url });
      await other.connect();
      try {
        await other.query('DELETE FROM sessions WHERE user_id = $1', [t.fx.users.leader]);
      } finally {
        await other.end();
      }
    }
    expect((await me(s.cookie)).statusCode).toBe(401);
  });
});
