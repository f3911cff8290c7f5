// Use cases of the 责任清单: rules the campaign office keeps (category × place → responsible unit), and the answer
// to "who gets category X here, and by which rule?" that dispatch and the case intake ask.
import type { Kysely } from 'kysely';
import type { Actor, Deps, Executor } from '../../lib/context.js';
import type { Database } from '../../db/schema.js';
import { Problem, conflict, notFound, type Lang } from '../../errors.js';
import { assertCan, inScope } from '../../lib/scope.js';
import { audit } from '../../lib/audit.js';
import { nowIso, referenceDataGeneration } from '../../db/database.js';
import {
  RESPONSIBLE_UNIT_KINDS,
  SCOPE_TARGET_KINDS,
  resolveRouting,
  routingRuleKey,
  type CategoryMatch,
  type RoutingLevel,
  type RoutingLocation,
  type RoutingRule,
  type RoutingScopeType,
  type RoutingStep,
} from '../../../core/routing.js';
import { parseDefaultUnitType } from '../../../core/categories.js';
import { findCategoryByCode, type CategoryForCase } from '../categories/service.js';
import { categoryRepo, isUniqueViolation } from '../categories/repo.js';
import { assign, gridIndexFor } from '../places/grid-cache.js';
import { routingRepo, type PointContextRow, type RuleCandidateQuery, type RuleCandidateRow, type RuleJoinedRow, type RuleListFilter } from './repo.js';

// ---- locating and resolving -------------------------------------------------------------------------------------

/** Where a location lies in the org tree. */
export interface PlaceLocation {
  gridId: number;
  microGridId: number | null;
  communityId: number;
  streetId: number;
  /** Path of the grid, for scope checks. */
  gridPath: string;
}

/**
 * The grid (and micro-grid, community, street) holding a WGS-84 location, or null outside every grid. Uses the
 * places area's cached grid index, which reads through `deps.db`: call it before opening a transaction (on
 * SQLite a read outside the open transaction waits for it forever).
 */
export async function locatePlace(deps: Pick<Deps, 'db'>, lng: number, lat: number): Promise<PlaceLocation | null> {
  const at = assign(await gridIndexFor(deps.db, { maxAgeMs: 1000 }), lng, lat);
  if (!at) return null;
  return { gridId: at.grid.id, microGridId: at.microGrid?.id ?? null, communityId: at.grid.community.id, streetId: at.grid.street.id, gridPath: at.grid.path };
}

export interface ResolveInput {
  /** A 小类 (or 大类) code. */
  categoryCode: string;
  /** The matched point, if any: its grid, type and 包保单位 take part; its grid wins over `location`. */
  pointId?: number | null;
  /** The located place (locatePlace) when there is no point. */
  location?: PlaceLocation | null;
}

interface Ref {
  id: number;
  name: string;
}

export interface Resolution {
  category: { id: number; code: string; kind: string; nameZh: string; nameEn: string; active: boolean };
  location: {
    point: { id: number; name: string; typeCode: string } | null;
    guard: Ref | null;
    grid: Ref | null;
    microGrid: Ref | null;
    community: Ref | null;
    street: Ref | null;
  };
  /** The responsible unit, or null when the place is outside every grid and no point was given. */
  unit: (Ref & { kind: string }) | null;
  level: RoutingLevel | null;
  ruleId: number | null;
  categoryMatch: CategoryMatch | null;
  /** The levels considered, in precedence order, ending with the one that decided. */
  steps: (RoutingStep & { unitName: string | null })[];
}

/**
 * Who handles a problem of `categoryCode` at a point or a located place, by the 责任清单 and the precedence of
 * core/routing.ts. Runs on any executor, so the case intake can call it inside its transaction (locate first).
 * An unknown category or point is a VALIDATION_FAILED on `categoryCode` / `pointId`.
 */
export async function resolveResponsibleUnit(db: Executor, input: ResolveInput): Promise<Resolution> {
  return resolveFrom(sqlSource(db), db, input);
}

/** What a resolution reads: from SQL, or from the memo below. */
interface RoutingSource {
  pointContext(id: number): Promise<PointContextRow | undefined>;
  candidates(q: RuleCandidateQuery): Promise<RuleCandidateRow[]>;
  org(id: number): Promise<{ id: number; path: string } | undefined>;
  findUnitByName(streetPath: string, kind: string, name: string): Promise<{ id: number } | undefined>;
  orgs(ids: number[]): Promise<{ id: number; kind: string; name: string; active: number }[]>;
}

const sqlSource = (db: Executor): RoutingSource => ({
  pointContext: (id) => routingRepo.pointContext(db, id),
  candidates: (q) => routingRepo.candidates(db, q),
  org: (id) => routingRepo.org(db, id),
  findUnitByName: (streetPath, kind, name) => routingRepo.findUnitByName(db, streetPath, kind, name),
  orgs: (ids) => routingRepo.orgs(db, ids),
});

async function resolveFrom(src: RoutingSource, db: Executor, input: ResolveInput): Promise<Resolution> {
  const category = await findCategoryByCode(db, input.categoryCode);
  if (!category) throw new Problem('VALIDATION_FAILED', { field: 'categoryCode', reason: `unknown category ${input.categoryCode}` });
  let point: PointContextRow | null = null;
  if (input.pointId !== undefined && input.pointId !== null) {
    point = (await src.pointContext(input.pointId)) ?? null;
    if (!point) throw new Problem('VALIDATION_FAILED', { field: 'pointId', reason: 'no such point' });
  }
  const place = input.location ?? null;
  const loc: RoutingLocation = point
    ? {
        pointId: point.id,
        pointTypeCode: point.type_code,
        guardOrgId: point.guard_org_id,
        gridId: point.grid_id,
        microGridId: point.micro_grid_id,
        communityId: point.community_id,
        streetId: point.street_id,
      }
    : { gridId: place?.gridId ?? null, microGridId: place?.microGridId ?? null, communityId: place?.communityId ?? null, streetId: place?.streetId ?? null };
  loc.gridOwnerId = loc.communityId; // 属地兜底: the community that owns the grid
  const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

  const rules = await src.candidates({
    categoryIds: [category.id, category.parentId].filter(present),
    pointId: loc.pointId ?? null,
    pointTypeCode: loc.pointTypeCode ?? null,
    streetId: loc.streetId ?? null,
    orgIds: [loc.gridId, loc.microGridId, loc.communityId, loc.streetId].filter(present),
  });

  let defaultUnitOrgId: number | null = null;
  const parsedDefault = parseDefaultUnitType(category.defaultUnitType);
  if (parsedDefault?.type === 'org' && present(loc.streetId)) {
    const street = await src.org(loc.streetId);
    if (street) defaultUnitOrgId = (await src.findUnitByName(street.path, parsedDefault.orgKind, parsedDefault.name))?.id ?? null;
  }

  const orgIds = new Set<number>(
    [loc.guardOrgId, loc.gridId, loc.microGridId, loc.communityId, loc.streetId, defaultUnitOrgId, ...rules.map((r) => r.unit_org_id)].filter(present),
  );
  const orgs = new Map((await src.orgs([...orgIds])).map((o) => [o.id, o]));
  const decision = resolveRouting(
    { kind: category.kind, code: category.code, parentCode: category.parentCode, defaultUnitType: category.defaultUnitType },
    loc,
    rules.map<RoutingRule>((r) => ({
      id: r.id,
      categoryCode: r.category_code,
      scopeType: r.scope_type as RoutingScopeType,
      pointId: r.point_id,
      pointTypeCode: r.point_type_code,
      orgId: r.scope_org_id,
      unitOrgId: r.unit_org_id,
    })),
    { defaultUnitOrgId, inactiveUnitIds: [...orgs.values()].filter((o) => o.active !== 1).map((o) => o.id) },
  );
  const ref = (id: number | null | undefined): Ref | null => {
    const o = present(id) ? orgs.get(id) : undefined;
    return o ? { id: o.id, name: o.name } : null;
  };
  const unitRow = present(decision.unitOrgId) ? orgs.get(decision.unitOrgId) : undefined;
  return {
    category: { id: category.id, code: category.code, kind: category.kind, nameZh: category.nameZh, nameEn: category.nameEn, active: category.active },
    location: {
      point: point ? { id: point.id, name: point.name, typeCode: point.type_code } : null,
      guard: ref(loc.guardOrgId),
      grid: ref(loc.gridId),
      microGrid: ref(loc.microGridId),
      community: ref(loc.communityId),
      street: ref(loc.streetId),
    },
    unit: unitRow ? { id: unitRow.id, name: unitRow.name, kind: unitRow.kind } : null,
    level: decision.level,
    ruleId: decision.ruleId,
    categoryMatch: decision.categoryMatch,
    steps: decision.steps.map((s) => ({ ...s, unitName: present(s.unitOrgId) ? (orgs.get(s.unitOrgId)?.name ?? null) : null })),
  };
}

// ---- resolutions reused by the case intake -----------------------------------------------------------------------

export interface OrgLite {
  id: number;
  kind: string;
  name: string;
  path: string;
  active: number;
}

/**
 * What intake asks on every report, kept per process: every org (path, name, activity) and the resolutions already
 * made, by category and place, with every point's context and every active rule for the misses. Valid while
 * nothing changed: writes to rules, orgs, points or categories in this process drop it at once
 * (referenceDataGeneration); changes by other servers show in a stamp checked at most every `maxAgeMs`, like the
 * grid index. A category whose routing-relevant fields changed resolves afresh.
 */
export interface RoutingMemo {
  stamp: string;
  checkedAt: number;
  generation: number;
  orgs: Map<number, OrgLite>;
  points: Map<number, PointContextRow>;
  rules: (RuleCandidateRow & { category_id: number | null })[];
  unitsByName: Map<string, { id: number } | undefined>;
  resolutions: Map<string, { category: string; value: Resolution }>;
}

const memos = new WeakMap<object, RoutingMemo>();
let ruleWrites = 0;
/** Rule writes of this service, and any write to orgs, points, categories or rules through this process's db. */
const memoGeneration = () => ruleWrites + referenceDataGeneration();

/** Drops cached resolutions: called around every rule write in this process. */
export function forgetRoutingMemo(): void {
  ruleWrites++;
}

/** False once something the memo holds was written in this process since it was built. */
export function memoIsCurrent(memo: RoutingMemo): boolean {
  return memo.generation === memoGeneration();
}

/** The current memo of this database (reads through `db`: call it before opening a transaction). */
export async function routingMemo(db: Kysely<Database>, maxAgeMs = 1000): Promise<RoutingMemo> {
  const cached = memos.get(db);
  const now = Date.now();
  const generation = memoGeneration();
  if (cached && cached.generation === generation && now - cached.checkedAt < maxAgeMs) return cached;
  const stamp = await routingRepo.stamp(db);
  if (cached && cached.generation === generation && cached.stamp === stamp) {
    cached.checkedAt = now;
    return cached;
  }
  const [orgs, points, rules] = await Promise.all([routingRepo.allOrgs(db), routingRepo.allPointContexts(db), routingRepo.activeRules(db)]);
  const fresh: RoutingMemo = {
    stamp,
    checkedAt: now,
    generation,
    orgs: new Map(orgs.map((o) => [o.id, o])),
    points: new Map(points.map((p) => [p.id, p])),
    rules,
    unitsByName: new Map(),
    resolutions: new Map(),
  };
  memos.set(db, fresh);
  return fresh;
}

/**
 * resolveResponsibleUnit, answered from the memo when the same category (as it is now) was resolved at the same
 * point and place since the memo was built. Misses resolve from the memo's orgs, points and rules (reading through
 * `db`, the open transaction, only what it lacks) and are remembered.
 */
export async function resolveWithMemo(memo: RoutingMemo | null, db: Executor, input: ResolveInput, category: CategoryForCase): Promise<Resolution> {
  if (!memo || !memoIsCurrent(memo)) return resolveResponsibleUnit(db, input);
  const l = input.location;
  const key = `${input.categoryCode}|${input.pointId ?? ''}|${l ? `${l.gridId}|${l.microGridId ?? ''}|${l.communityId}|${l.streetId}` : ''}`;
  // What of the category takes part in a resolution: a category edited since resolves afresh.
  const sig = `${category.id}|${category.kind}|${category.parentId ?? ''}|${category.parentCode ?? ''}|${category.defaultUnitType ?? ''}|${category.active}|${category.nameZh}|${category.nameEn}`;
  const hit = memo.resolutions.get(key);
  if (hit && hit.category === sig) return hit.value;
  const value = await resolveFrom(memoSource(memo, db), db, input);
  if (memo.resolutions.size >= 20_000) memo.resolutions.clear();
  memo.resolutions.set(key, { category: sig, value });
  return value;
}

/** The SQL of `routingRepo.candidates`, `pointContext`, `org` and `orgs` answered from the memo. */
function memoSource(memo: RoutingMemo, db: Executor): RoutingSource {
  return {
    // Anything not in the memo (added by another server since) is read as before.
    pointContext: async (id) => memo.points.get(id) ?? routingRepo.pointContext(db, id),
    async candidates(c) {
      return memo.rules
        .filter((r) => (r.category_id === null || c.categoryIds.includes(r.category_id)) && (
          (c.pointId !== null && r.scope_type === 'point' && r.point_id === c.pointId) ||
          (c.pointTypeCode !== null && c.streetId !== null && r.scope_type === 'point_type' && r.point_type_code === c.pointTypeCode && r.scope_org_id === c.streetId) ||
          (['grid', 'community', 'street'].includes(r.scope_type) && r.scope_org_id !== null && c.orgIds.includes(r.scope_org_id))
        ))
        .map(({ category_id: _, ...r }) => r);
    },
    org: async (id) => memo.orgs.get(id) ?? routingRepo.org(db, id),
    async findUnitByName(streetPath, kind, name) {
      const key = `${streetPath}|${kind}|${name}`;
      if (!memo.unitsByName.has(key)) memo.unitsByName.set(key, await routingRepo.findUnitByName(db, streetPath, kind, name));
      return memo.unitsByName.get(key);
    },
    async orgs(ids) {
      const missing = ids.filter((id) => !memo.orgs.has(id));
      return [...ids.flatMap((id) => memo.orgs.get(id) ?? []), ...(missing.length ? await routingRepo.orgs(db, missing) : [])];
    },
  };
}

export interface ResolveQuery {
  categoryCode: string;
  pointId?: number;
  lat?: number;
  lng?: number;
}

/** The "谁来处置？" question of a signed-in user, about a point or a location inside their area. */
export async function resolveForActor(deps: Deps, actor: Actor, q: ResolveQuery): Promise<Resolution> {
  assertCan(actor.user, 'routing.read');
  if (q.pointId !== undefined) {
    const point = await routingRepo.pointContext(deps.db, q.pointId);
    if (!point || !inScope(actor.user, point.org_path)) throw new Problem('VALIDATION_FAILED', { field: 'pointId', reason: 'no such point in your area' });
    return resolveResponsibleUnit(deps.db, { categoryCode: q.categoryCode, pointId: point.id });
  }
  if (q.lat === undefined && q.lng === undefined) throw new Problem('VALIDATION_FAILED', { field: 'pointId', reason: 'give a pointId, or lat and lng' });
  if (q.lat === undefined) throw new Problem('VALIDATION_FAILED', { field: 'lat', reason: 'is required with lng' });
  if (q.lng === undefined) throw new Problem('VALIDATION_FAILED', { field: 'lng', reason: 'is required with lat' });
  const place = await locatePlace(deps, q.lng, q.lat);
  if (!place || !inScope(actor.user, place.gridPath)) throw new Problem('OUTSIDE_GRIDS', { field: 'lat' });
  return resolveResponsibleUnit(deps.db, { categoryCode: q.categoryCode, location: place });
}

// ---- rules -----------------------------------------------------------------------------------------------------

export function presentRule(r: RuleJoinedRow, lang: Lang = 'zh-CN') {
  const en = lang === 'en-US';
  return {
    id: r.id,
    categoryId: r.category_id,
    categoryCode: r.category_code,
    categoryName: r.category_id === null ? null : (en && r.category_name_en ? r.category_name_en : r.category_name_zh),
    categoryKind: r.category_kind,
    scopeType: r.scope_type as RoutingScopeType,
    pointId: r.point_id,
    pointName: r.point_name,
    pointTypeCode: r.point_type_code,
    pointTypeName: r.point_type_code === null ? null : (en ? r.point_type_name_en : r.point_type_name_zh),
    targetOrgId: r.scope_org_id,
    targetOrgName: r.target_name,
    targetOrgKind: r.target_kind,
    unitOrgId: r.unit_org_id,
    unitOrgName: r.unit_name,
    unitOrgKind: r.unit_kind,
    unitActive: r.unit_active === 1,
    notes: r.notes,
    active: r.active === 1,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type RuleView = ReturnType<typeof presentRule>;

const targetPathOf = (r: RuleJoinedRow) => r.target_path ?? r.point_path;

/** A rule the caller may see: its target or its unit lies in the caller's subtree. */
function visible(actor: Actor, r: RuleJoinedRow | undefined): r is RuleJoinedRow {
  return !!r && (inScope(actor.user, targetPathOf(r)) || inScope(actor.user, r.unit_path));
}

export interface ListRulesQuery {
  categoryId?: number;
  anyCategory?: boolean;
  scopeType?: RoutingScopeType;
  unitOrgId?: number;
  targetOrgId?: number;
  pointId?: number;
  active?: boolean;
  q?: string;
  page: number;
  pageSize: number;
}

export async function listRules(deps: Deps, actor: Actor, query: ListRulesQuery) {
  assertCan(actor.user, 'routing.read');
  const filter: RuleListFilter = {
    scopePath: actor.user.orgPath,
    categoryId: query.categoryId,
    anyCategory: query.anyCategory,
    scopeType: query.scopeType,
    unitOrgId: query.unitOrgId,
    pointId: query.pointId,
    active: query.active,
    q: query.q,
  };
  if (query.targetOrgId !== undefined) {
    const target = await routingRepo.org(deps.db, query.targetOrgId);
    // An org outside the caller's area filters to nothing rather than telling that it exists.
    filter.targetPath = target && inScope(actor.user, target.path) ? target.path : '/none/';
  }
  const { items, total } = await routingRepo.list(deps.db, filter, query.page, query.pageSize);
  return { items: items.map((r) => presentRule(r, actor.lang)), total, page: query.page, pageSize: query.pageSize };
}

export async function getRule(deps: Deps, actor: Actor, id: number) {
  assertCan(actor.user, 'routing.read');
  const row = await routingRepo.byId(deps.db, id);
  if (!visible(actor, row)) throw notFound(`rule ${id}`);
  return presentRule(row, actor.lang);
}

export interface RuleInput {
  /** null: any category. */
  categoryId: number | null;
  scopeType: RoutingScopeType;
  pointId?: number | null;
  pointTypeCode?: string | null;
  /** Grid or micro-grid, community, or street (for point-type and street-wide rules). */
  targetOrgId?: number | null;
  unitOrgId: number;
  notes?: string | null;
}

interface CheckedRule {
  category_id: number | null;
  scope_type: RoutingScopeType;
  point_id: number | null;
  point_type_code: string | null;
  scope_org_id: number | null;
  unit_org_id: number;
  rule_key: string;
  /** Where the rule sits in the tree, for the audit row. */
  path: string;
}

const invalid = (field: string, reason: string) => new Problem('VALIDATION_FAILED', { field, reason });

/** Checks a rule against the database and the caller's area; every problem names its field. */
async function checkRule(db: Executor, actor: Actor, input: RuleInput): Promise<CheckedRule> {
  if (input.categoryId !== null) {
    const category = await categoryRepo.byId(db, input.categoryId);
    if (!category) throw invalid('categoryId', 'no such category');
    if (category.active !== 1) throw invalid('categoryId', 'the category is inactive');
  }
  let pointId: number | null = null;
  let pointTypeCode: string | null = null;
  let targetOrgId: number | null = null;
  let path: string;
  if (input.scopeType === 'point') {
    if (input.pointId === undefined || input.pointId === null) throw invalid('pointId', 'is required for a point rule');
    const point = await routingRepo.pointContext(db, input.pointId);
    if (!point || !inScope(actor.user, point.org_path)) throw invalid('pointId', 'no such point in your area');
    if (point.active !== 1) throw invalid('pointId', 'the point is inactive');
    pointId = point.id;
    path = point.org_path;
  } else {
    if (input.scopeType === 'point_type') {
      if (!input.pointTypeCode) throw invalid('pointTypeCode', 'is required for a point-type rule');
      const type = await routingRepo.pointType(db, input.pointTypeCode);
      if (!type) throw invalid('pointTypeCode', 'no such point type');
      pointTypeCode = type.code;
    }
    let targetId = input.targetOrgId ?? null;
    // Point-type and street-wide rules default to the caller's own street.
    if (targetId === null && (input.scopeType === 'point_type' || input.scopeType === 'street') && actor.user.orgKind === 'street') targetId = actor.user.orgId;
    if (targetId === null) throw invalid('targetOrgId', `is required for a ${input.scopeType} rule`);
    const target = await routingRepo.org(db, targetId);
    if (!target || !inScope(actor.user, target.path)) throw invalid('targetOrgId', 'no such org in your area');
    if (!SCOPE_TARGET_KINDS[input.scopeType].includes(target.kind)) {
      throw invalid('targetOrgId', `a ${input.scopeType} rule targets a ${SCOPE_TARGET_KINDS[input.scopeType].join(' or ')}, not a ${target.kind}`);
    }
    if (target.active !== 1) throw invalid('targetOrgId', 'the org is inactive');
    targetOrgId = target.id;
    path = target.path;
  }
  const unit = await routingRepo.org(db, input.unitOrgId);
  if (!unit || !inScope(actor.user, unit.path)) throw invalid('unitOrgId', 'no such unit in your area');
  if (!(RESPONSIBLE_UNIT_KINDS as readonly string[]).includes(unit.kind)) {
    throw invalid('unitOrgId', `a responsible unit is a ${RESPONSIBLE_UNIT_KINDS.join(', ')}, not a ${unit.kind}`);
  }
  if (unit.active !== 1) throw invalid('unitOrgId', 'the unit is inactive');
  const rule_key = routingRuleKey({ categoryId: input.categoryId, scopeType: input.scopeType, pointId, pointTypeCode, orgId: targetOrgId });
  return { category_id: input.categoryId, scope_type: input.scopeType, point_id: pointId, point_type_code: pointTypeCode, scope_org_id: targetOrgId, unit_org_id: unit.id, rule_key, path };
}

const targetField = (scopeType: RoutingScopeType) => (scopeType === 'point' ? 'pointId' : scopeType === 'point_type' ? 'pointTypeCode' : 'targetOrgId');
const duplicate = (scopeType: RoutingScopeType) =>
  new Problem('DUPLICATE', { what: 'an active rule for this category and place', field: targetField(scopeType) });

async function assertKeyFree(db: Executor, checked: CheckedRule, exceptId?: number) {
  if (await routingRepo.activeWithKey(db, checked.rule_key, exceptId)) throw duplicate(checked.scope_type);
}

const uniqueToDuplicate = (scopeType: RoutingScopeType) => (err: unknown) => {
  if (isUniqueViolation(err)) throw duplicate(scopeType);
  throw err;
};

export async function createRule(deps: Deps, actor: Actor, input: RuleInput) {
  assertCan(actor.user, 'routing.write');
  forgetRoutingMemo();
  const row = await deps.db
    .transaction()
    .execute(async (trx) => {
      const checked = await checkRule(trx, actor, input);
      await assertKeyFree(trx, checked);
      const now = nowIso();
      const { path, ...values } = checked;
      const id = await routingRepo.insert(trx, { ...values, notes: input.notes?.trim() || null, active: 1, created_by: actor.user.id, created_at: now, updated_at: now, version: 1 });
      await audit(trx, actor, { action: 'routing.create', targetType: 'routing_rule', targetId: id, orgPath: path, detail: input });
      return (await routingRepo.byId(trx, id))!;
    })
    .catch(uniqueToDuplicate(input.scopeType))
    .finally(forgetRoutingMemo);
  deps.notify('routing.changed');
  return presentRule(row, actor.lang);
}

export interface UpdateRuleInput extends Partial<RuleInput> {
  version: number;
  active?: boolean;
}

export async function updateRule(deps: Deps, actor: Actor, id: number, input: UpdateRuleInput) {
  assertCan(actor.user, 'routing.write');
  let scopeType: RoutingScopeType = input.scopeType ?? 'grid';
  forgetRoutingMemo();
  const row = await deps.db
    .transaction()
    .execute(async (trx) => {
      const current = await routingRepo.byId(trx, id);
      // Writers must hold the rule's place, not merely its unit.
      if (!current || !inScope(actor.user, targetPathOf(current))) throw notFound(`rule ${id}`);
      if (current.version !== input.version) throw conflict();
      scopeType = input.scopeType ?? (current.scope_type as RoutingScopeType);
      const merged: RuleInput = {
        categoryId: input.categoryId !== undefined ? input.categoryId : current.category_id,
        scopeType: input.scopeType ?? (current.scope_type as RoutingScopeType),
        pointId: input.pointId !== undefined ? input.pointId : current.point_id,
        pointTypeCode: input.pointTypeCode !== undefined ? input.pointTypeCode : current.point_type_code,
        targetOrgId: input.targetOrgId !== undefined ? input.targetOrgId : current.scope_org_id,
        unitOrgId: input.unitOrgId ?? current.unit_org_id,
      };
      const active = input.active ?? current.active === 1;
      // A rule being switched off keeps what it was; only a live rule must still make sense.
      const changesRule = [input.categoryId, input.scopeType, input.pointId, input.pointTypeCode, input.targetOrgId, input.unitOrgId].some((v) => v !== undefined);
      const patch: Record<string, unknown> = { updated_at: nowIso() };
      let path = targetPathOf(current)!;
      if (changesRule || (active && current.active !== 1)) {
        const checked = await checkRule(trx, actor, merged);
        if (active) await assertKeyFree(trx, checked, id);
        const { path: newPath, ...values } = checked;
        Object.assign(patch, values);
        path = newPath;
      }
      if (input.notes !== undefined) patch.notes = input.notes?.trim() || null;
      if (input.active !== undefined) patch.active = input.active ? 1 : 0;
      if (!(await routingRepo.update(trx, id, input.version, patch))) throw conflict();
      const action = input.active === false && current.active === 1 ? 'routing.deactivate' : 'routing.update';
      await audit(trx, actor, { action, targetType: 'routing_rule', targetId: id, orgPath: path, detail: input });
      return (await routingRepo.byId(trx, id))!;
    })
    .catch((err: unknown) => uniqueToDuplicate(scopeType)(err))
    .finally(forgetRoutingMemo);
  deps.notify('routing.changed');
  return presentRule(row, actor.lang);
}

export async function deactivateRule(deps: Deps, actor: Actor, id: number, version: number) {
  return updateRule(deps, actor, id, { version, active: false });
}
