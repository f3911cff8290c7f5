import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import type { SessionUser } from '../api/types.js';
import { STORED_USER_MAX_AGE_MS, fromStoredUser, isUnreachable, parseStoredUser, startupFallback, toStoredUser, withTimeout } from './offlineUser.js';

const user: SessionUser = {
  id: 12,
  username: 'inspector',
  displayName: '督查员小王',
  role: 'inspector',
  orgId: 3,
  orgName: '测试街道',
  orgKind: 'street',
  locale: 'zh-CN',
  mustChangePassword: false,
};
const NOW = new Date('2025-05-01T08:00:00Z');

describe('the remembered user', () => {
  it('keeps who they are and nothing else, and reads it back', () => {
    const stored = toStoredUser(user, NOW)!;
    expect(Object.keys(stored).sort()).toEqual(['confirmedAt', 'displayName', 'id', 'locale', 'orgId', 'orgKind', 'orgName', 'role', 'username']);
    const back = parseStoredUser(JSON.stringify(stored), NOW)!;
    expect(fromStoredUser(back)).toEqual(user);
  });

  it('is not kept for someone who must change their password first', () => {
    expect(toStoredUser({ ...user, mustChangePassword: true }, NOW)).toBeNull();
  });

  it('is ignored when missing, malformed, of an unknown role, or too old', () => {
    const ok = toStoredUser(user, NOW)!;
    const raw = (patch: Record<string, unknown>) => JSON.stringify({ ...ok, ...patch });
    expect(parseStoredUser(null, NOW)).toBeNull();
    expect(parseStoredUser('{not json', NOW)).toBeNull();
    expect(parseStoredUser('"text"', NOW)).toBeNull();
    expect(parseStoredUser(raw({ id: null }), NOW)).toBeNull();
    expect(parseStoredUser(raw({ role: 'superuser' }), NOW)).toBeNull();
    expect(parseStoredUser(raw({ orgKind: 'planet' }), NOW)).toBeNull();
    expect(parseStoredUser(raw({ confirmedAt: 'yesterday' }), NOW)).toBeNull();
    const old = new Date(NOW.getTime() - STORED_USER_MAX_AGE_MS - 1000).toISOString();
    expect(parseStoredUser(raw({ confirmedAt: old }), NOW)).toBeNull();
    expect(parseStoredUser(raw({ orgId: null, orgName: null, orgKind: null, locale: null }), NOW)).toMatchObject({ orgId: null });
  });
});

describe('startupFallback (the session check at start-up failed)', () => {
  const stored = toStoredUser(user, NOW)!;

  it('carries on offline as the remembered user when the server cannot be reached', () => {
    for (const error of [new ApiError({ status: 0, code: 'NETWORK_ERROR' }), new ApiError({ status: 502, code: 'INTERNAL' }), new TypeError('Failed to fetch')]) {
      expect(startupFallback(error, stored)).toEqual({ mode: 'offline', user });
    }
  });

  it('goes to the login page on a 401 (or any answer that is not "unreachable")', () => {
    expect(startupFallback(new ApiError({ status: 401, code: 'AUTH_REQUIRED' }), stored)).toEqual({ mode: 'anonymous' });
    expect(startupFallback(new ApiError({ status: 403, code: 'FORBIDDEN' }), stored)).toEqual({ mode: 'anonymous' });
    expect(startupFallback(new ApiError({ status: 429, code: 'RATE_LIMITED' }), stored)).toEqual({ mode: 'anonymous' });
  });

  it('goes to the login page without a remembered user (never signed in here, or signed out)', () => {
    expect(startupFallback(new ApiError({ status: 0, code: 'NETWORK_ERROR' }), null)).toEqual({ mode: 'anonymous' });
  });

  it('does not count an abort on purpose as the network', () => {
    expect(isUnreachable(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(false);
  });
});

describe('withTimeout', () => {
  it('passes results and errors through, and turns a hang into a network error', async () => {
    await expect(withTimeout(Promise.resolve(5), 1000)).resolves.toBe(5);
    await expect(withTimeout(Promise.reject(new ApiError({ status: 401, code: 'AUTH_REQUIRED' })), 1000)).rejects.toMatchObject({ status: 401 });
    const hung = new Promise<never>(() => undefined);
    const error = await withTimeout(hung, 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isUnreachable(error)).toBe(true);
  });
});
