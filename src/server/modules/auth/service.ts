// Sign-in, sessions and passwords. Sessions live in the database, so any server can serve any user.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, AuthUser, Deps } from '../../lib/context.js';
import { Problem } from '../../errors.js';
import { audit } from '../../lib/audit.js';
import { externalWriteStamp, nowIso, writeGeneration } from '../../db/database.js';
import { authRepo } from './repo.js';
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.js';
import type { Role } from '../../../core/roles.js';

export const SESSION_COOKIE = 'wm_session';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: AuthUser;
}

export async function login(
  deps: Deps,
  input: { username: string; password: string },
  meta: { ip: string | null; userAgent: string | null },
): Promise<LoginResult> {
  const { db, config } = deps;
  const user = await authRepo.findUserByUsername(db, input.username.trim());
  const now = new Date();
  if (user?.locked_until && new Date(user.locked_until) > now) {
    const minutes = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 60000);
    throw new Problem('AUTH_LOCKED', { minutes });
  }
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !ok) {
    if (user) {
      const failures = user.failed_logins + 1;
      const lockUntil =
        failures >= config.lockoutThreshold ? new Date(now.getTime() + config.lockoutMinutes * 60000).toISOString() : null;
      await db.transaction().execute(async (trx) => {
        await authRepo.recordFailure(trx, user.id, lockUntil);
        await audit(trx, null, {
          action: lockUntil ? 'auth.locked' : 'auth.login_failed',
          targetType: 'user',
          targetId: user.id,
          detail: { failures },
          actorName: user.username,
          ip: meta.ip,
        });
      });
    }
    throw new Problem('AUTH_INVALID_CREDENTIALS');
  }
  if (!user.active) throw new Problem('AUTH_DISABLED');

  const raw = token();
  const csrf = token();
  const nowS = now.toISOString();
  const expiresAt = new Date(now.getTime() + config.sessionTtlHours * 3600_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await authRepo.insertSession(trx, { id: sha256(raw), userId: user.id, csrf, now: nowS, expires: expiresAt, ip: meta.ip, ua: meta.userAgent });
    await authRepo.recordSuccess(trx, user.id, nowS);
    await audit(trx, null, { action: 'auth.login', targetType: 'user', targetId: user.id, actorName: user.username, ip: meta.ip });
  });
  const session = await resolveSession(deps, raw);
  if (!session) throw new Problem('INTERNAL');
  return { token: raw, csrfToken: csrf, expiresAt, user: session.user };
}

export interface ResolvedSession {
  id: string;
  csrfToken: string;
  user: AuthUser;
}

// Sessions looked up in the last few seconds are reused while nothing that could change the answer was written:
// any write to sessions, users or orgs in this process (logout, password or role change, deactivation, renames)
// drops them all at once, and so does a commit by another process (SQLite's data_version). Where other servers
// write too (PostgreSQL) every request reads the session.
const SESSION_REUSE_MS = 5000;
const AUTH_TABLES = ['sessions', 'users', 'orgs'] as const;
const recentSessions = new WeakMap<object, Map<string, { at: number; generation: number; external: number; expiresAt: number; lastSeenAt: number; value: ResolvedSession }>>();

/** Looks up a session cookie; slides its expiry at most once a minute to avoid a write per request. */
export async function resolveSession(deps: Deps, raw: string): Promise<ResolvedSession | null> {
  const external = externalWriteStamp(deps.db);
  const generation = writeGeneration(AUTH_TABLES);
  let recent = recentSessions.get(deps.db);
  if (external !== null && !recent) recentSessions.set(deps.db, (recent = new Map()));
  const hit = recent?.get(raw);
  const nowMs = Date.now();
  if (hit && hit.generation === generation && hit.external === external && nowMs - hit.at < SESSION_REUSE_MS && nowMs < hit.expiresAt && nowMs - hit.lastSeenAt <= 60_000) {
    return hit.value;
  }
  const id = sha256(raw);
  const row = await authRepo.findSession(deps.db, id);
  if (!row) return null;
  const now = Date.now();
  if (new Date(row.expires_at).getTime() < now || !row.active) {
    await authRepo.deleteSession(deps.db, id);
    return null;
  }
  let touched = false;
  if (now - new Date(row.last_seen_at).getTime() > 60_000) {
    const expires = new Date(now + deps.config.sessionTtlHours * 3600_000).toISOString();
    await authRepo.touchSession(deps.db, id, new Date(now).toISOString(), expires);
    touched = true;
  }
  const value = {
    id,
    csrfToken: row.csrf_token,
    user: {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role as Role,
      orgId: row.org_id,
      orgName: row.org_name,
      orgKind: row.org_kind,
      orgPath: row.org_path,
      locale: row.locale,
      mustChangePassword: row.must_change_password === 1,
    },
  };
  // Kept only if nothing was written since before the read (the generation taken then still holds).
  if (recent && external !== null && !touched) {
    if (recent.size > 10_000) recent.clear();
    recent.set(raw, { at: now, generation, external, expiresAt: new Date(row.expires_at).getTime(), lastSeenAt: new Date(row.last_seen_at).getTime(), value });
  }
  return value;
}

export async function logout(deps: Deps, actor: Actor, sessionId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await authRepo.deleteSession(trx, sessionId);
    await audit(trx, actor, { action: 'auth.logout', targetType: 'user', targetId: actor.user.id });
  });
}

export async function changeOwnPassword(
  deps: Deps,
  actor: Actor,
  sessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await authRepo.findUserById(deps.db, actor.user.id);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) throw new Problem('AUTH_WRONG_PASSWORD');
  assertStrongPassword(input.newPassword);
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await authRepo.setPassword(trx, user.id, hash, false, nowIso());
    // Other devices signed in with the old password are signed out.
    await authRepo.deleteUserSessions(trx, user.id, sessionId);
    await audit(trx, actor, { action: 'auth.password_changed', targetType: 'user', targetId: user.id });
  });
}
