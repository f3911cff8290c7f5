import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { TEST_PASSWORD } from '../../../../tests/helpers/fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ WENMING_LOCKOUT_THRESHOLD: '3', WENMING_LOGIN_RATE_LIMIT: '1000' });
});
afterAll(async () => t?.close());

describe('login', () => {
  it('signs in with a session cookie and a CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'office', password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/wm_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'office', role: 'office', orgName: '测试街道' });
    expect(body.csrfToken).toEqual(expect.any(String));
    expect(body.user.password_hash).toBeUndefined();
  });

  it('rejects a wrong password with a stable code, in the caller language', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'leader', password: 'nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS', message: '用户名或密码错误' });
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'en-US' }, payload: { username: 'ghost', password: 'nope' } });
    expect(en.statusCode).toBe(401);
    expect(en.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS', message: 'Wrong username or password' });
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'volunteer', password: 'wrong' } });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'volunteer', password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(423);
    expect(res.json().code).toBe('AUTH_LOCKED');
  });

  it.each([
    [{}, 'username'],
    [{ username: 'x' }, 'password'],
    [{ username: 'x'.repeat(65), password: 'p' }, 'username'],
    [{ username: 5, password: 'p' }, 'username'],
  ])('validates the body %j', async (payload, field) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
  });
});

describe('session', () => {
  it('requires a session for /me and returns the user with it', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).json().code).toBe('AUTH_REQUIRED');
    const c = await t.as('commA');
    const me = await c.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: 'commA', orgName: '东风社区' }, csrfToken: c.csrf });
  });

  it('refuses cookie-authenticated writes without the CSRF token', async () => {
    const c = await t.as('dispatcher');
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: c.cookie }, payload: { locale: 'en-US' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_INVALID');
    const ok = await c.patch('/api/v1/me', { locale: 'en-US' });
    expect(ok.statusCode).toBe(200);
    // The saved preference now picks the language of errors.
    const err = await c.post('/api/v1/me/password', { currentPassword: 'bad', newPassword: 'abcdefg1' });
    expect(err.json()).toMatchObject({ code: 'AUTH_WRONG_PASSWORD', message: 'The current password is wrong' });
  });

  it('changes a password, keeps this session and ends the others', async () => {
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'inspector', password: TEST_PASSWORD } });
    const otherCookie = String(first.headers['set-cookie']).split(';')[0];
    const c = await t.as('inspector');
    const weak = await c.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.json().code).toBe('WEAK_PASSWORD');
    const ok = await c.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'new-pass-22' });
    expect(ok.statusCode).toBe(200);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: otherCookie } })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'inspector', password: 'new-pass-22' } });
    expect(again.statusCode).toBe(200);
  });

  it('logs out', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'patrol', password: TEST_PASSWORD } });
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const csrf = res.json().csrfToken;
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('serves health and the OpenAPI document', async () => {
    const h = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(h.json()).toMatchObject({ status: 'ok', db: t.db.deps.dialect });
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.json().paths['/api/v1/auth/login']).toBeDefined();
  });
});

describe('rate limit', () => {
  it('limits login attempts per minute', async () => {
    const strict = await (await import('../../../../tests/helpers/app.js')).createTestApp({ WENMING_LOGIN_RATE_LIMIT: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push((await strict.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ghost', password: 'x' } })).statusCode);
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[4]).toBe(429);
    } finally {
      await strict.close();
    }
  });
});

describe('text input', () => {
  it('refuses NUL characters, which PostgreSQL cannot store, with a 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a\u0000b', password: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'username' });
  });
});
