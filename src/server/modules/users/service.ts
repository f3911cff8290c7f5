// People: accounts with a role and an org node. Only admins create admins; nobody raises their own role.
import { randomInt } from 'node:crypto';
import type { Actor, AuthUser, Deps } from '../../lib/context.js';
import { Problem, conflict } from '../../errors.js';
import { assertCan, assertInScope } from '../../lib/scope.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../../db/database.js';
import { PHONE_VISIBLE_ROLES, ROLES, ROLE_LABELS, maskPhone, type Role } from '../../../core/roles.js';
import { assertStrongPassword, hashPassword } from '../auth/passwords.js';
import { authRepo } from '../auth/repo.js';
import { orgRepo } from '../org/repo.js';
import { userRepo } from './repo.js';
import { readSheet, RowErrors, type ColumnSpec } from '../../lib/imports.js';

interface ListedUser {
  id: number;
  username: string;
  display_name: string;
  phone: string | null;
  role: string;
  org_id: number;
  org_name: string;
  active: number;
  last_login_at: string | null;
  locked_until: string | null;
  version: number;
}

export function presentUser(u: ListedUser, viewer: AuthUser) {
  const seesPhone = PHONE_VISIBLE_ROLES.includes(viewer.role) || viewer.id === u.id;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    phone: seesPhone ? u.phone : maskPhone(u.phone),
    role: u.role,
    orgId: u.org_id,
    orgName: u.org_name,
    active: u.active === 1,
    locked: !!u.locked_until && new Date(u.locked_until) > new Date(),
    lastLoginAt: u.last_login_at,
    version: u.version,
  };
}

/** Readable temporary passwords (no 0/O/1/l) that pass the strength rule. */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz';
  const digits = '23456789';
  const all = letters + digits;
  let s = letters[randomInt(letters.length)] + digits[randomInt(digits.length)];
  for (let i = 0; i < 8; i++) s += all[randomInt(all.length)];
  return s;
}

function assertMayGrant(actor: Actor, role: Role) {
  if (role === 'admin' && actor.user.role !== 'admin') throw new Problem('FORBIDDEN');
}

async function loadScopedUser(deps: Deps, actor: Actor, id: number) {
  const u = await userRepo.byIdWithOrg(deps.db, id);
  assertInScope(actor.user, u?.org_path, `user ${id}`);
  return u!;
}

export async function getUser(deps: Deps, actor: Actor, id: number) {
  assertCan(actor.user, 'user.read');
  return presentUser(await loadScopedUser(deps, actor, id), actor.user);
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  phone?: string | null;
  role: Role;
  orgId: number;
  password?: string;
}

export async function createUser(deps: Deps, actor: Actor, input: CreateUserInput) {
  assertCan(actor.user, 'user.write');
  assertMayGrant(actor, input.role);
  const org = await orgRepo.byId(deps.db, input.orgId);
  assertInScope(actor.user, org?.path, `org ${input.orgId}`);
  if (input.password) assertStrongPassword(input.password);
  const temp = input.password ? null : temporaryPassword();
  const hash = await hashPassword(input.password ?? temp!);
  const username = input.username.trim();
  const id = await deps.db.transaction().execute(async (trx) => {
    if (await userRepo.byUsername(trx, username)) throw new Problem('DUPLICATE', { what: `username ${username}`, field: 'username' });
    const id = await userRepo.insert(trx, { username, displayName: input.displayName.trim(), phone: input.phone ?? null, role: input.role, orgId: input.orgId, passwordHash: hash, mustChangePassword: !!temp, now: nowIso() });
    await audit(trx, actor, { action: 'user.create', targetType: 'user', targetId: id, orgPath: org!.path, detail: { username, role: input.role, orgId: input.orgId } });
    return id;
  });
  const created = presentUser((await userRepo.byIdWithOrg(deps.db, id))!, actor.user);
  return temp ? { ...created, temporaryPassword: temp } : created;
}

export interface UpdateUserInput {
  version: number;
  displayName?: string;
  phone?: string | null;
  role?: Role;
  orgId?: number;
  active?: boolean;
}

export async function updateUser(deps: Deps, actor: Actor, id: number, input: UpdateUserInput) {
  assertCan(actor.user, 'user.write');
  await deps.db.transaction().execute(async (trx) => {
    const u = await userRepo.byIdWithOrg(trx, id);
    assertInScope(actor.user, u?.org_path, `user ${id}`);
    if (u!.version !== input.version) throw conflict();
    if (u!.role === 'admin' && actor.user.role !== 'admin') throw new Problem('FORBIDDEN');
    if (id === actor.user.id && ((input.role && input.role !== u!.role) || input.active === false)) throw new Problem('FORBIDDEN');
    if (input.role) assertMayGrant(actor, input.role);
    const patch: Record<string, unknown> = { updated_at: nowIso() };
    if (input.displayName !== undefined) patch.display_name = input.displayName.trim();
    if (input.phone !== undefined) patch.phone = input.phone;
    if (input.role !== undefined) patch.role = input.role;
    if (input.active !== undefined) patch.active = input.active ? 1 : 0;
    if (input.orgId !== undefined) {
      const org = await orgRepo.byId(trx, input.orgId);
      assertInScope(actor.user, org?.path, `org ${input.orgId}`);
      patch.org_id = input.orgId;
    }
    if (!(await userRepo.update(trx, id, input.version, patch))) throw conflict();
    // A changed role, org or a disabled account must not keep old sessions with old rights.
    if (input.role !== undefined || input.orgId !== undefined || input.active === false) await authRepo.deleteUserSessions(trx, id);
    await audit(trx, actor, { action: 'user.update', targetType: 'user', targetId: id, orgPath: u!.org_path, detail: { ...input, phone: input.phone === undefined ? undefined : '(changed)' } });
  });
  return presentUser((await userRepo.byIdWithOrg(deps.db, id))!, actor.user);
}

export async function resetPassword(deps: Deps, actor: Actor, id: number) {
  assertCan(actor.user, 'user.write');
  const u = await loadScopedUser(deps, actor, id);
  if (u.role === 'admin' && actor.user.role !== 'admin') throw new Problem('FORBIDDEN');
  const temp = temporaryPassword();
  const hash = await hashPassword(temp);
  await deps.db.transaction().execute(async (trx) => {
    await authRepo.setPassword(trx, id, hash, true, nowIso());
    await authRepo.deleteUserSessions(trx, id);
    await audit(trx, actor, { action: 'user.reset_password', targetType: 'user', targetId: id, orgPath: u.org_path });
  });
  return { temporaryPassword: temp };
}

export const USER_IMPORT_COLUMNS: ColumnSpec[] = [
  { key: 'username', headers: ['用户名', 'username'], required: true },
  { key: 'displayName', headers: ['姓名', 'name'], required: true },
  { key: 'phone', headers: ['手机', '手机号', 'phone'] },
  { key: 'role', headers: ['角色', 'role'], required: true },
  { key: 'org', headers: ['所属组织编码或名称', '所属组织', 'org'], required: true },
];

function parseRole(text: string): Role | null {
  const t = text.trim();
  if ((ROLES as readonly string[]).includes(t)) return t as Role;
  return ROLES.find((r) => ROLE_LABELS[r].zh === t || ROLE_LABELS[r].en.toLowerCase() === t.toLowerCase()) ?? null;
}

/** Imports people; each gets a temporary password returned once in the result. One bad row imports nothing. */
export async function importUsers(deps: Deps, actor: Actor, buffer: Buffer) {
  assertCan(actor.user, 'user.write');
  const rows = await readSheet(buffer, USER_IMPORT_COLUMNS);
  const errors = new RowErrors();
  const orgs = await orgRepo.tree(deps.db, actor.user.orgPath);
  const taken = new Set(await userRepo.existingUsernames(deps.db, rows.map((r) => r.values.username).filter(Boolean)));
  const seen = new Set<string>();
  const valid: { username: string; displayName: string; phone: string | null; role: Role; orgId: number }[] = [];
  for (const r of rows) {
    const username = errors.requireValue(r, 'username', '用户名');
    const displayName = errors.requireValue(r, 'displayName', '姓名');
    const roleText = errors.requireValue(r, 'role', '角色');
    const orgRef = errors.requireValue(r, 'org', '所属组织编码或名称');
    if (username && !/^[A-Za-z0-9_.-]{2,64}$/.test(username)) errors.add(r.row, '用户名', '只能包含字母、数字和 _.- / letters, digits and _.- only');
    if (username && (taken.has(username) || seen.has(username))) errors.add(r.row, '用户名', `用户名已存在 / username taken: ${username}`);
    if (username) seen.add(username);
    const phone = r.values.phone || null;
    if (phone && !/^1\d{10}$|^[0-9+\-() ]{3,20}$/.test(phone)) errors.add(r.row, '手机', '格式不正确 / invalid phone');
    const role = roleText ? parseRole(roleText) : null;
    if (roleText && !role) errors.add(r.row, '角色', `未知角色 / unknown role "${roleText}"`);
    if (role === 'admin' && actor.user.role !== 'admin') errors.add(r.row, '角色', '无权创建管理员 / only admins create admins');
    const org = orgRef ? orgs.find((o) => o.code === orgRef) ?? orgs.find((o) => o.name === orgRef) : undefined;
    if (orgRef && !org) errors.add(r.row, '所属组织编码或名称', `找不到组织 / org not found: ${orgRef}`);
    if (username && displayName && role && org) valid.push({ username, displayName, phone, role, orgId: org.id });
  }
  if (!rows.length) errors.add(2, '用户名', '表格没有数据行 / the sheet has no data rows');
  errors.throwIfAny();
  const prepared = await Promise.all(valid.map(async (v) => ({ ...v, temp: temporaryPassword() })).map(async (p) => {
    const v = await p;
    return { ...v, hash: await hashPassword(v.temp) };
  }));
  await deps.db.transaction().execute(async (trx) => {
    const now = nowIso();
    for (const v of prepared) {
      await userRepo.insert(trx, { username: v.username, displayName: v.displayName, phone: v.phone, role: v.role, orgId: v.orgId, passwordHash: v.hash, mustChangePassword: true, now });
    }
    await audit(trx, actor, { action: 'user.import', targetType: 'user', orgPath: actor.user.orgPath, detail: { rows: prepared.length } });
  });
  return { imported: prepared.length, accounts: prepared.map((p) => ({ username: p.username, temporaryPassword: p.temp })) };
}
