// Opening the app without network. The session check at start-up (GET /me) needs the server; when it cannot be
// reached (no network, the server or its proxy down — not a 401), the app carries on as the person who last signed
// in on this browser, so the phone's inspection pages open from IndexedDB. Only who they are is kept (id, names,
// role, org, language): no token, no password. Signing out forgets it; a 401 from the server still leads to the
// login page. A sign-out while offline cannot reach the server, so it is remembered and done at the next start-up.
import { ApiError, CLIENT_CODES } from '../api/client.js';
import type { Locale, SessionUser } from '../api/types.js';
import { ORG_KINDS, type OrgKind } from '../../core/org.js';
import { ROLES, type Role } from '../../core/roles.js';

export const STORED_USER_KEY = 'wm.offlineUser';
export const SIGN_OUT_PENDING_KEY = 'wm.signOutPending';
/** A remembered user older than this (since the server last confirmed them) no longer opens the app offline. */
export const STORED_USER_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
/** With a remembered user, a start-up session check slower than this counts as "no network". */
export const OFFLINE_STARTUP_TIMEOUT_MS = 10_000;
/** While offline, the session is checked again this often (and at once when the browser says it is back online). */
export const RECONNECT_MS = 30_000;

/** A signed-in user as remembered on this device, and when the server last confirmed the session (ISO time). */
export type StoredUser = Omit<SessionUser, 'mustChangePassword'> & { confirmedAt: string };

/** What is kept of a signed-in user; nothing for someone who must change their password first. */
export function toStoredUser(user: SessionUser, now: Date = new Date()): StoredUser | null {
  if (user.mustChangePassword) return null;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    orgId: user.orgId,
    orgName: user.orgName,
    orgKind: user.orgKind,
    locale: user.locale,
    confirmedAt: now.toISOString(),
  };
}

export function fromStoredUser(stored: StoredUser): SessionUser {
  const { confirmedAt: _confirmedAt, ...user } = stored;
  return { ...user, mustChangePassword: false };
}

const idLike = (v: unknown): v is number | string => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length > 0);
const textOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** The remembered user, or null when there is none, it is malformed, or too old. */
export function parseStoredUser(raw: string | null, now: Date = new Date()): StoredUser | null {
  if (!raw) return null;
  let v: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object') return null;
    v = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!idLike(v.id) || typeof v.username !== 'string' || typeof v.displayName !== 'string' || !(ROLES as readonly unknown[]).includes(v.role)) return null;
  if (!(v.orgId === null || idLike(v.orgId)) || !textOrNull(v.orgName) || !textOrNull(v.locale)) return null;
  if (!(v.orgKind === null || (ORG_KINDS as readonly unknown[]).includes(v.orgKind))) return null;
  const confirmed = typeof v.confirmedAt === 'string' ? Date.parse(v.confirmedAt) : NaN;
  if (!Number.isFinite(confirmed) || now.getTime() - confirmed > STORED_USER_MAX_AGE_MS) return null;
  return {
    id: v.id,
    username: v.username,
    displayName: v.displayName,
    role: v.role as Role,
    orgId: v.orgId as number | string | null,
    orgName: v.orgName,
    orgKind: v.orgKind as OrgKind | null,
    locale: v.locale as Locale | null,
    confirmedAt: v.confirmedAt as string,
  };
}

/** True when the server could not be asked or could not answer (as opposed to answering "not signed in"). */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 0 || error.status >= 500;
  // fetch's own failures (TypeError) and timeouts; an abort on purpose is not the network.
  return !(error instanceof Error && error.name === 'AbortError');
}

export type StartupDecision = { mode: 'offline'; user: SessionUser } | { mode: 'anonymous' };

/** After the start-up session check failed: carry on offline as the remembered user, or show the login page. */
export function startupFallback(error: unknown, stored: StoredUser | null): StartupDecision {
  if (stored && isUnreachable(error)) return { mode: 'offline', user: fromStoredUser(stored) };
  return { mode: 'anonymous' };
}

/** Rejects with a network error when `promise` takes longer than `ms` (the call itself carries on, unheeded). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ApiError({ status: 0, code: CLIENT_CODES.network })), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

// ---- browser storage (localStorage; every call survives a browser that refuses it) -------------------------------

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadStoredUser(): StoredUser | null {
  try {
    return parseStoredUser(storage()?.getItem(STORED_USER_KEY) ?? null);
  } catch {
    return null;
  }
}

export function rememberUser(user: SessionUser): void {
  try {
    const stored = toStoredUser(user);
    if (stored) storage()?.setItem(STORED_USER_KEY, JSON.stringify(stored));
    else storage()?.removeItem(STORED_USER_KEY);
  } catch {}
}

export function forgetUser(): void {
  try {
    storage()?.removeItem(STORED_USER_KEY);
  } catch {}
}

export function signOutPending(): boolean {
  try {
    return storage()?.getItem(SIGN_OUT_PENDING_KEY) === '1';
  } catch {
    return false;
  }
}

export function setSignOutPending(pending: boolean): void {
  try {
    if (pending) storage()?.setItem(SIGN_OUT_PENDING_KEY, '1');
    else storage()?.removeItem(SIGN_OUT_PENDING_KEY);
  } catch {}
}
