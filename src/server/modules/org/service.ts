// Use cases of the org tree (区 → 街道 → 社区 → 网格 → 微网格, plus departments and units of a street).
import type { Actor, AuthUser, Deps, Executor } from '../../lib/context.js';
import type { OrgRow } from '../../db/schema.js';
import { Problem, conflict } from '../../errors.js';
import { assertCan, assertInScope } from '../../lib/scope.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../../db/database.js';
import { ALLOWED_PARENTS, CODE_LENGTH, checkOrgCode, type OrgKind } from '../../../core/org.js';
import { PHONE_VISIBLE_ROLES, maskPhone } from '../../../core/roles.js';
import { checkTerritoryGeometry } from './geometry.js';
import { orgRepo } from './repo.js';
import { userRepo } from '../users/repo.js';
import { readSheet, RowErrors, type ColumnSpec } from '../../lib/imports.js';
import { ORG_KIND_LABELS, ORG_KINDS } from '../../../core/org.js';

export function presentOrg(row: OrgRow, viewer: AuthUser, withGeometry = false) {
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    name: row.name,
    shortName: row.short_name,
    code: row.code,
    path: row.path,
    depth: row.depth,
    contactName: row.contact_name,
    contactPhone: PHONE_VISIBLE_ROLES.includes(viewer.role) ? row.contact_phone : maskPhone(row.contact_phone),
    address: row.address,
    sort: row.sort,
    active: row.active === 1,
    version: row.version,
    ...(withGeometry ? { geometry: row.geometry ? JSON.parse(row.geometry) : null } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getOrgTree(deps: Deps, actor: Actor) {
  const rows = await orgRepo.tree(deps.db, actor.user.orgPath);
  return {
    nodes: rows.map((r) => ({
      id: r.id,
      // The viewer's own root shows as a root even when it has a parent outside their scope.
      parentId: r.path === actor.user.orgPath ? null : r.parent_id,
      kind: r.kind,
      name: r.name,
      code: r.code,
      sort: r.sort,
      active: r.active === 1,
      childCount: Number(r.child_count ?? 0),
    })),
  };
}

export async function getOrg(deps: Deps, actor: Actor, id: number) {
  const row = await orgRepo.byId(deps.db, id);
  assertInScope(actor.user, row?.path, `org ${id}`);
  return presentOrg(row!, actor.user, true);
}

async function loadParent(db: Executor, actor: Actor, parentId: number) {
  const parent = await orgRepo.byId(db, parentId);
  assertInScope(actor.user, parent?.path, `org ${parentId}`);
  return parent!;
}

function checkPlacement(kind: OrgKind, parent: OrgRow) {
  if (!ALLOWED_PARENTS[kind].includes(parent.kind as OrgKind)) {
    throw new Problem('VALIDATION_FAILED', { field: 'parentId', reason: `a ${kind} cannot be placed under a ${parent.kind}` });
  }
}

function checkCode(kind: OrgKind, code: string | null | undefined, parent: OrgRow | null) {
  const reason = checkOrgCode(kind, code, parent && CODE_LENGTH[parent.kind as OrgKind] ? parent.code : null);
  if (reason) throw new Problem('INVALID_CODE', { field: 'code', reason });
}

async function assertCodeFree(db: Executor, code: string | null | undefined, exceptId?: number) {
  if (!code) return;
  const other = await orgRepo.byCode(db, code);
  if (other && other.id !== exceptId) throw new Problem('DUPLICATE', { what: `code ${code}`, field: 'code' });
}

export interface CreateOrgInput {
  parentId: number;
  kind: OrgKind;
  name: string;
  shortName?: string | null;
  code?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  address?: string | null;
  sort?: number;
  geometry?: unknown;
}

export async function createOrg(deps: Deps, actor: Actor, input: CreateOrgInput) {
  assertCan(actor.user, 'org.write');
  const row = await deps.db.transaction().execute(async (trx) => {
    const parent = await loadParent(trx, actor, input.parentId);
    checkPlacement(input.kind, parent);
    const code = CODE_LENGTH[input.kind] ? input.code ?? null : null;
    checkCode(input.kind, code, parent);
    await assertCodeFree(trx, code);
    const geo = input.geometry ? checkTerritoryGeometry(input.geometry) : null;
    const created = await orgRepo.insert(trx, {
      parentId: parent.id,
      parentPath: parent.path,
      kind: input.kind,
      name: input.name.trim(),
      shortName: input.shortName ?? null,
      code,
      geometry: geo ? JSON.stringify(input.geometry) : null,
      bbox: geo?.bbox ?? null,
      contactName: input.contactName ?? null,
      contactPhone: input.contactPhone ?? null,
      address: input.address ?? null,
      sort: input.sort ?? 0,
      now: nowIso(),
    });
    await audit(trx, actor, { action: 'org.create', targetType: 'org', targetId: created.id, orgPath: created.path, detail: { kind: input.kind, name: input.name, code } });
    return created;
  });
  deps.notify('orgs.changed');
  return presentOrg(row, actor.user, true);
}

export interface UpdateOrgInput extends Partial<Omit<CreateOrgInput, 'kind'>> {
  version: number;
}

export async function updateOrg(deps: Deps, actor: Actor, id: number, input: UpdateOrgInput) {
  assertCan(actor.user, 'org.write');
  const row = await deps.db.transaction().execute(async (trx) => {
    const current = await orgRepo.byId(trx, id);
    assertInScope(actor.user, current?.path, `org ${id}`);
    const org = current!;
    if (org.path === actor.user.orgPath && input.parentId !== undefined && input.parentId !== org.parent_id) {
      throw new Problem('FORBIDDEN'); // nobody moves the root of their own scope
    }
    if (org.version !== input.version) throw conflict();
    const kind = org.kind as OrgKind;
    let parent: OrgRow | null = org.parent_id ? (await orgRepo.byId(trx, org.parent_id)) ?? null : null;
    const moving = input.parentId !== undefined && input.parentId !== org.parent_id;
    if (moving) {
      parent = await loadParent(trx, actor, input.parentId!);
      if (parent.path.startsWith(org.path)) {
        throw new Problem('VALIDATION_FAILED', { field: 'parentId', reason: 'a node cannot move under itself' });
      }
      checkPlacement(kind, parent);
    }
    const code = input.code !== undefined ? input.code : org.code;
    if (input.code !== undefined || moving) {
      checkCode(kind, code, parent);
      await assertCodeFree(trx, code, org.id);
    }
    const patch: Record<string, unknown> = { updated_at: nowIso() };
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.shortName !== undefined) patch.short_name = input.shortName;
    if (input.code !== undefined) patch.code = input.code;
    if (input.contactName !== undefined) patch.contact_name = input.contactName;
    if (input.contactPhone !== undefined) patch.contact_phone = input.contactPhone;
    if (input.address !== undefined) patch.address = input.address;
    if (input.sort !== undefined) patch.sort = input.sort;
    if (input.geometry !== undefined) {
      const geo = input.geometry ? checkTerritoryGeometry(input.geometry) : null;
      patch.geometry = geo ? JSON.stringify(input.geometry) : null;
      [patch.min_lng, patch.min_lat, patch.max_lng, patch.max_lat] = geo ? geo.bbox : [null, null, null, null];
    }
    if (moving) patch.parent_id = parent!.id;
    if (!(await orgRepo.update(trx, id, input.version, patch))) throw conflict();
    if (moving) {
      const newPath = `${parent!.path}${org.id}/`;
      await orgRepo.movePaths(trx, org.path, newPath, parent!.depth + 1 - org.depth);
    }
    await audit(trx, actor, { action: moving ? 'org.move' : 'org.update', targetType: 'org', targetId: id, orgPath: org.path, detail: { ...input, geometry: input.geometry ? '(changed)' : undefined } });
    return (await orgRepo.byId(trx, id))!;
  });
  deps.notify('orgs.changed');
  return presentOrg(row, actor.user, true);
}

export async function deactivateOrg(deps: Deps, actor: Actor, id: number, version: number) {
  assertCan(actor.user, 'org.write');
  await deps.db.transaction().execute(async (trx) => {
    const org = await orgRepo.byId(trx, id);
    assertInScope(actor.user, org?.path, `org ${id}`);
    if (org!.path === actor.user.orgPath) throw new Problem('FORBIDDEN');
    if (org!.version !== version) throw conflict();
    if ((await orgRepo.countChildren(trx, id)) > 0) throw new Problem('IN_USE', { what: 'active child nodes' });
    if ((await userRepo.countInOrg(trx, id)) > 0) throw new Problem('IN_USE', { what: 'active people' });
    if (!(await orgRepo.update(trx, id, version, { active: 0, updated_at: nowIso() }))) throw conflict();
    await audit(trx, actor, { action: 'org.deactivate', targetType: 'org', targetId: id, orgPath: org!.path });
  });
  deps.notify('orgs.changed');
}

export const ORG_IMPORT_COLUMNS: ColumnSpec[] = [
  { key: 'parent', headers: ['上级编码或名称', '上级', 'parent'], required: true },
  { key: 'kind', headers: ['类型', 'kind'], required: true },
  { key: 'name', headers: ['名称', 'name'], required: true },
  { key: 'code', headers: ['编码', 'code'] },
  { key: 'contactName', headers: ['联系人', 'contact'] },
  { key: 'contactPhone', headers: ['联系电话', 'phone'] },
  { key: 'address', headers: ['地址', 'address'] },
];

function parseKind(text: string): OrgKind | null {
  const t = text.trim();
  if ((ORG_KINDS as readonly string[]).includes(t)) return t as OrgKind;
  const hit = ORG_KINDS.find((k) => ORG_KIND_LABELS[k].zh === t || ORG_KIND_LABELS[k].en.toLowerCase() === t.toLowerCase());
  return hit ?? null;
}

/**
 * Imports org nodes from a sheet. Parents may be existing nodes (by code or name, within scope) or rows earlier in
 * the same sheet. Every row is checked first; one bad row imports nothing.
 */
export async function importOrgs(deps: Deps, actor: Actor, buffer: Buffer) {
  assertCan(actor.user, 'org.write');
  const rows = await readSheet(buffer, ORG_IMPORT_COLUMNS);
  const errors = new RowErrors();
  const visible = await orgRepo.tree(deps.db, actor.user.orgPath);
  const full = new Map<number, OrgRow>();
  for (const r of await orgRepo.byIds(deps.db, visible.map((v) => v.id))) full.set(r.id, r);
  type Pending = { row: number; kind: OrgKind; name: string; code: string | null; parentRef: string; contactName: string | null; contactPhone: string | null; address: string | null };
  const pending: Pending[] = [];
  const codesInSheet = new Set<string>();
  const byRef = (ref: string) => [...full.values()].find((o) => o.code === ref) ?? [...full.values()].find((o) => o.name === ref);
  const sheetRef = (ref: string) => pending.find((p) => p.code === ref || p.name === ref);
  for (const r of rows) {
    const kindText = errors.requireValue(r, 'kind', '类型');
    const name = errors.requireValue(r, 'name', '名称');
    const parentRef = errors.requireValue(r, 'parent', '上级编码或名称');
    const kind = kindText ? parseKind(kindText) : null;
    if (kindText && !kind) errors.add(r.row, '类型', `未知类型 / unknown kind "${kindText}"`);
    if (name && name.length > 100) errors.add(r.row, '名称', '超过 100 字 / longer than 100 characters');
    const code = r.values.code || null;
    const phone = r.values.contactPhone || null;
    if (phone && !/^[0-9+\-() ]{3,20}$/.test(phone)) errors.add(r.row, '联系电话', '格式不正确 / invalid phone');
    if (!kind || !name || !parentRef) continue;
    const existingParent = byRef(parentRef);
    const sheetParent = existingParent ? undefined : sheetRef(parentRef);
    if (!existingParent && !sheetParent) {
      errors.add(r.row, '上级编码或名称', `找不到上级 / parent not found: ${parentRef}`);
      continue;
    }
    const parentKind = (existingParent?.kind ?? sheetParent!.kind) as OrgKind;
    const parentCode = existingParent?.code ?? sheetParent?.code ?? null;
    if (!ALLOWED_PARENTS[kind].includes(parentKind)) errors.add(r.row, '类型', `${ORG_KIND_LABELS[kind].zh}不能位于${ORG_KIND_LABELS[parentKind].zh}之下 / a ${kind} cannot sit under a ${parentKind}`);
    const reason = checkOrgCode(kind, CODE_LENGTH[kind] ? code : null, CODE_LENGTH[parentKind] ? parentCode : null);
    if (reason) errors.add(r.row, '编码', reason);
    if (code && CODE_LENGTH[kind]) {
      if (codesInSheet.has(code) || (await orgRepo.byCode(deps.db, code))) errors.add(r.row, '编码', `编码已存在 / code already exists: ${code}`);
      codesInSheet.add(code);
    }
    pending.push({ row: r.row, kind, name, code: CODE_LENGTH[kind] ? code : null, parentRef, contactName: r.values.contactName || null, contactPhone: phone, address: r.values.address || null });
  }
  if (!rows.length) errors.add(2, '名称', '表格没有数据行 / the sheet has no data rows');
  errors.throwIfAny();

  await deps.db.transaction().execute(async (trx) => {
    const created = new Map<Pending, OrgRow>();
    const now = nowIso();
    for (const p of pending) {
      const existing = byRef(p.parentRef);
      const parent = existing ?? created.get(sheetRef(p.parentRef)!)!;
      const row = await orgRepo.insert(trx, { parentId: parent.id, parentPath: parent.path, kind: p.kind, name: p.name, code: p.code, contactName: p.contactName, contactPhone: p.contactPhone, address: p.address, now });
      created.set(p, row);
    }
    await audit(trx, actor, { action: 'org.import', targetType: 'org', orgPath: actor.user.orgPath, detail: { rows: pending.length } });
  });
  deps.notify('orgs.changed');
  return { imported: pending.length };
}
