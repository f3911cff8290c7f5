// Use cases of inspections (测评/督查): plans (create, edit, sample, hand pick, assign, activate/close/reopen,
// delete, 回头看), the offline kit for the phone, the sync of results (idempotent, one transaction per result with
// its cases), results, scores (得分率) and the problem list the 通报 is written from.
//
// Scope: a plan belongs to one street and carries its org path. Readers with inspection.read see the plans under
// their org node, and every plan they are an inspector of; planners (inspection.plan) edit plans under their org
// node; inspectors submit results only to active plans they are assigned to.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor, Deps, Executor } from '../../lib/context.js';
import type { Database, InspectionPlanRow } from '../../db/schema.js';
import { Problem, conflict, notFound, type Lang } from '../../errors.js';
import { assertCan, inScope } from '../../lib/scope.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../../db/database.js';
import { can, type Role } from '../../../core/roles.js';
import { OPEN_STATES, SOURCE_ROLES, type CaseSource } from '../../../core/cases/index.js';
import { beijingDate, beijingYear } from '../../../core/calendar/index.js';
import type { Geometry } from '../../../core/geo/types.js';
import {
  aggregate,
  checkObservation,
  compare,
  compareRates,
  competitionRanks,
  compareCodes,
  describeRule,
  rateOf,
  scoreItem,
  total as totalRate,
  weakest,
  type ItemResult,
  type Observation,
  type ScoringRule,
} from '../../../core/standards/index.js';
import {
  DEFAULT_INSPECTION_CATEGORY,
  FAR_CHECKIN_M,
  PLAN_EDITS,
  PLAN_KIND_LABELS,
  PLAN_STATUS_LABELS,
  SampleError,
  activationProblems,
  addDays,
  checkinDistance,
  itemOutcome,
  isIsoDate,
  nextPlanStatus,
  planActionsFor,
  planNumber,
  planNumberSeq,
  samplePoints,
  splitRoute,
  walkingOrder,
  type CommunityScoreView,
  type ItemScoreView,
  type Kit,
  type KitChecklistItem,
  type MyPlans,
  type PlanAction,
  type PlanKind,
  type PlanList,
  type PlanScores,
  type PlanStatus,
  type PlanPointView,
  type PlanSummary,
  type PlanView,
  type PointScoreView,
  type PreviousPlanScores,
  type RateView,
  type ResultInput,
  type ResultItemInput,
  type ResultView,
  type SampleInput,
  type SamplingRecord,
  type ScoreDelta,
  type ScoreGroupView,
  type SyncOutcome,
  type SyncResponse,
} from '../../../core/inspections/index.js';
import { standardRepo } from '../standards/repo.js';
import { DEFAULT_STANDARD_CODE } from '../standards/service.js';
import { isUniqueViolation } from '../categories/repo.js';
import { settingsRepo } from '../admin/repo.js';
import { intakeCase, prepareIntake, type IntakeContext } from '../cases/intake.js';
import { linkPhotos, photosOf, LINKABLE_WINDOW_MS } from '../photos/service.js';
import { inspectionRepo, type PlanListRow, type PlanPointRow, type ProblemRow, type ScoreRow } from './repo.js';

/** Roles that may be assigned as inspectors of a plan (inspection.perform). */
export const INSPECTOR_ROLES: readonly Role[] = ['inspector', 'citizen_patrol', 'office', 'admin'];
/** settings key: the 小类 a failed item files under when its standard item names none (default 0699). */
export const DEFAULT_CATEGORY_SETTING = 'inspections.defaultCategory';
export const MAX_SYNC_RESULTS = 50;
export const REVISIT_DAYS = 7;

const label = (l: { zh: string; en: string }, lang: Lang) => (lang === 'en-US' ? l.en : l.zh);

// ---- presenters -----------------------------------------------------------------------------------------------------
// The view shapes (PlanSummary, PlanView, Kit, ResultView, PlanScores…) live in src/core/inspections/views.ts, shared
// with the web; these re-exports keep the names other server modules import from here.
export type { ResultInput, ScoreDelta };

export function presentPlanSummary(row: PlanListRow, lang: Lang): PlanSummary {
  const kind = row.kind as PlanKind;
  const status = row.status as PlanStatus;
  return {
    id: row.id,
    planNo: row.plan_no,
    kind,
    kindName: PLAN_KIND_LABELS[kind] ? label(PLAN_KIND_LABELS[kind], lang) : kind,
    title: row.title,
    status,
    statusName: PLAN_STATUS_LABELS[status] ? label(PLAN_STATUS_LABELS[status], lang) : status,
    streetId: row.street_id,
    standardVersionId: row.standard_version_id,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    note: row.note,
    basedOnPlanId: row.based_on_plan_id,
    pointCount: row.point_count,
    doneCount: row.done_count,
    inspectorCount: row.inspector_count,
    progress: { total: row.point_count, done: row.done_count },
    activatedAt: row.activated_at,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function presentPlanPoint(r: PlanPointRow, lang: Lang): PlanPointView {
  const rate = r.result_id !== null ? rateOf({ earned: r.result_earned ?? 0, possible: r.result_possible ?? 0 }) : null;
  return {
    id: r.point_id,
    pointId: r.point_id,
    name: r.name,
    typeCode: r.type_code,
    typeName: (lang === 'en-US' ? r.type_name_en : r.type_name_zh) ?? r.type_code,
    communityId: r.community_id,
    communityName: r.community_name ?? '',
    gridId: r.grid_id,
    lat: r.lat,
    lng: r.lng,
    address: r.address,
    seq: r.seq,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    done: r.result_id !== null,
    resultId: r.result_id,
    earned: r.result_earned,
    possible: r.result_possible,
    rate,
    checkinFar: r.result_far === 1,
  };
}

// ---- access ---------------------------------------------------------------------------------------------------------

interface PlanAccess {
  row: InspectionPlanRow;
  isInspector: boolean;
  canPlan: boolean;
}

/** The plan if the actor may see it (404 otherwise, like a missing one). */
async function accessPlan(db: Executor, actor: Actor, id: number): Promise<PlanAccess> {
  const row = await inspectionRepo.planById(db, id);
  if (!row) throw notFound(`inspection plan ${id}`);
  const scoped = inScope(actor.user, row.org_path);
  const isInspector = await inspectionRepo.isInspector(db, id, actor.user.id);
  if (!scoped && !isInspector) throw notFound(`inspection plan ${id}`);
  return { row, isInspector, canPlan: scoped && can(actor.user.role, 'inspection.plan') };
}

async function planForPlanner(db: Executor, actor: Actor, id: number): Promise<InspectionPlanRow> {
  assertCan(actor.user, 'inspection.plan');
  const a = await accessPlan(db, actor, id);
  if (!a.canPlan) throw notFound(`inspection plan ${id}`);
  return a.row;
}

function assertEditable(row: InspectionPlanRow, what: keyof (typeof PLAN_EDITS)[PlanStatus]) {
  if (!PLAN_EDITS[row.status as PlanStatus]?.[what]) {
    throw new Problem('ILLEGAL_TRANSITION', {}, { reason: `a ${row.status} plan cannot change its ${what}` });
  }
}

/** The street a planner plans for: their own, the one above them, or (above a street) the one they name. */
async function streetFor(db: Executor, actor: Actor, streetId?: number): Promise<{ id: number; path: string }> {
  const parts = actor.user.orgPath.split('/').filter(Boolean).map(Number);
  const ancestors = await db.selectFrom('orgs').select(['id', 'path', 'kind']).where('id', 'in', parts).where('kind', '=', 'street').execute();
  if (ancestors.length) {
    const own = ancestors[0]!;
    if (streetId !== undefined && streetId !== own.id) throw new Problem('VALIDATION_FAILED', { field: 'streetId', reason: 'not a street in your scope' });
    return { id: own.id, path: own.path };
  }
  const below = await db.selectFrom('orgs').select(['id', 'path']).where('kind', '=', 'street').where('path', 'like', `${actor.user.orgPath}%`).where('active', '=', 1).orderBy('id').execute();
  if (streetId !== undefined) {
    const hit = below.find((s) => s.id === streetId);
    if (!hit) throw new Problem('VALIDATION_FAILED', { field: 'streetId', reason: 'not a street in your scope' });
    return hit;
  }
  if (below.length === 1) return below[0]!;
  throw new Problem('VALIDATION_FAILED', { field: 'streetId', reason: below.length ? 'name the street the plan is for' : 'no street in your scope' });
}

/** Inspectors must be active users with an inspecting role, in the plan's street (or above it). */
async function checkInspectors(db: Executor, streetPath: string, ids: number[]): Promise<number[]> {
  const unique = [...new Set(ids)];
  const users = await inspectionRepo.users(db, unique);
  const byId = new Map(users.map((u) => [u.id, u]));
  for (const id of unique) {
    const u = byId.get(id);
    const related = u && (u.org_path.startsWith(streetPath) || streetPath.startsWith(u.org_path));
    if (!u || !u.active || !related || !INSPECTOR_ROLES.includes(u.role as Role)) {
      throw new Problem('VALIDATION_FAILED', { field: 'inspectorIds', reason: `user ${id} cannot inspect in this street` });
    }
  }
  return unique;
}

function checkDates(startsOn: string, endsOn: string) {
  if (!isIsoDate(startsOn)) throw new Problem('VALIDATION_FAILED', { field: 'startsOn', reason: 'must be a date YYYY-MM-DD' });
  if (!isIsoDate(endsOn)) throw new Problem('VALIDATION_FAILED', { field: 'endsOn', reason: 'must be a date YYYY-MM-DD' });
  if (endsOn < startsOn) throw new Problem('VALIDATION_FAILED', { field: 'endsOn', reason: 'is before startsOn' });
}

// ---- the checklists of a standard version (immutable once published: cached per database) ---------------------------

export interface ChecklistEntry {
  id: number;
  code: string;
  text: string;
  rule: ScoringRule;
  points: number;
  /** Ⅰ / Ⅱ / Ⅲ names joined by ' / '. */
  nodePath: string;
  categoryCode: string | null;
}

export interface VersionChecklists {
  byType: Map<string, ChecklistEntry[]>;
  byId: Map<number, ChecklistEntry>;
  byCode: Map<string, ChecklistEntry>;
}

const checklistCache = new WeakMap<object, Map<number, Promise<VersionChecklists>>>();

/** The field checklists of a version read now (in a transaction too); `checklistsOf` is the cached read. */
export async function readChecklists(db: Executor, versionId: number): Promise<VersionChecklists> {
  const [nodes, items] = await Promise.all([standardRepo.nodes(db, versionId), standardRepo.items(db, versionId)]);
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const pathOf = (nodeId: number) => {
    const names: string[] = [];
    for (let n = nodeById.get(nodeId); n; n = n.parent_id ? nodeById.get(n.parent_id) : undefined) names.unshift(n.name);
    return names.join(' / ');
  };
  const byType = new Map<string, ChecklistEntry[]>();
  const byId = new Map<number, ChecklistEntry>();
  const byCode = new Map<string, ChecklistEntry>();
  for (const it of items) {
    const rule = JSON.parse(it.rule) as ScoringRule;
    const entry: ChecklistEntry = { id: it.id, code: it.code, text: it.text, rule, points: rule.points, nodePath: pathOf(it.node_id), categoryCode: it.category_code ?? null };
    byId.set(it.id, entry);
    byCode.set(it.code, entry);
    const methods = JSON.parse(it.methods) as string[];
    if (!methods.includes('field')) continue;
    for (const t of JSON.parse(it.point_types) as string[]) {
      const list = byType.get(t);
      if (list) list.push(entry);
      else byType.set(t, [entry]);
    }
  }
  for (const list of byType.values()) list.sort((a, b) => compareCodes(a.code, b.code));
  return { byType, byId, byCode };
}

/** The field checklists of a version by point type. Published versions never change, so they are kept. */
export function checklistsOf(deps: Pick<Deps, 'db'>, versionId: number): Promise<VersionChecklists> {
  let perDb = checklistCache.get(deps.db);
  if (!perDb) checklistCache.set(deps.db, (perDb = new Map()));
  let hit = perDb.get(versionId);
  if (!hit) {
    hit = readChecklists(deps.db, versionId);
    hit.catch(() => perDb!.delete(versionId));
    if (perDb.size > 20) perDb.clear();
    perDb.set(versionId, hit);
  }
  return hit;
}

async function currentVersionId(db: Executor): Promise<number> {
  const row = await standardRepo.current(db, DEFAULT_STANDARD_CODE);
  if (!row) throw notFound(`published standard ${DEFAULT_STANDARD_CODE}`);
  return row.id;
}

// ---- reads ----------------------------------------------------------------------------------------------------------

async function summaryOf(db: Executor, id: number, lang: Lang): Promise<PlanSummary> {
  const row = await inspectionRepo.planWithCounts(db, id);
  if (!row) throw notFound(`inspection plan ${id}`);
  return presentPlanSummary(row, lang);
}

export interface ListPlansQuery {
  kind?: PlanKind;
  status?: PlanStatus;
  page?: number;
  pageSize?: number;
}

export async function listPlans(deps: Deps, actor: Actor, q: ListPlansQuery = {}): Promise<PlanList> {
  assertCan(actor.user, 'inspection.read');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await inspectionRepo.listPlans(deps.db, {
    scopePath: actor.user.orgPath,
    viewerId: actor.user.id,
    kind: q.kind,
    status: q.status,
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
  return { items: rows.map((r) => presentPlanSummary(r, actor.lang)), total, page, pageSize };
}

/** Active plans the caller inspects, with their own share of the points. */
export async function listMyPlans(deps: Deps, actor: Actor): Promise<MyPlans> {
  assertCan(actor.user, 'inspection.perform');
  const { rows } = await inspectionRepo.listPlans(deps.db, { scopePath: actor.user.orgPath, viewerId: actor.user.id, mine: true, status: 'active', offset: 0, limit: 200 });
  const items = [];
  for (const r of rows) {
    const mine = await inspectionRepo.planPoints(deps.db, r.id, actor.user.id);
    items.push({ ...presentPlanSummary(r, actor.lang), myPointCount: mine.length, myDoneCount: mine.filter((p) => p.result_id !== null).length });
  }
  return { items };
}

export async function getPlan(deps: Deps, actor: Actor, id: number): Promise<PlanView> {
  assertCan(actor.user, 'inspection.read');
  const a = await accessPlan(deps.db, actor, id);
  const [summary, inspectors, points] = await Promise.all([summaryOf(deps.db, id, actor.lang), inspectionRepo.inspectors(deps.db, id), inspectionRepo.planPoints(deps.db, id)]);
  const pointViews = points.map((p) => presentPlanPoint(p, actor.lang));
  const status = a.row.status as PlanStatus;
  return {
    ...summary,
    sampling: a.row.sampling ? (JSON.parse(a.row.sampling) as SamplingRecord) : null,
    inspectors: inspectors.map((u) => ({
      id: u.user_id,
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      pointCount: pointViews.filter((p) => p.inspectorId === u.user_id).length,
      doneCount: pointViews.filter((p) => p.inspectorId === u.user_id && p.done).length,
    })),
    points: pointViews,
    actions: a.canPlan ? planActionsFor(status) : [],
    canPlan: a.canPlan,
    isInspector: a.isInspector,
    editable: a.canPlan ? PLAN_EDITS[status] : PLAN_EDITS.closed,
  };
}

/** An inspected item as stored (its rule and observation as JSON), read back with the score's explanation in the reader's language. */
function storedItem(row: { rule: string; observation: string }, actor: Actor) {
  const rule = JSON.parse(row.rule) as ScoringRule;
  const obs = JSON.parse(row.observation) as Observation;
  const { explanation } = scoreItem(rule, obs);
  return { rule, obs, explanation: actor.lang === 'en-US' ? explanation.en : explanation.zh };
}

// ---- writing plans --------------------------------------------------------------------------------------------------

async function planEvent(trx: Executor, actor: Actor | null, planId: number, action: string, data?: unknown) {
  await inspectionRepo.insertEvent(trx, {
    plan_id: planId,
    at: nowIso(),
    actor_id: actor?.user.id ?? null,
    actor_name: actor?.user.displayName ?? null,
    action,
    data: data === undefined ? null : JSON.stringify(data),
  });
}

async function nextPlanNo(trx: Executor, now: Date): Promise<string> {
  const year = beijingYear(now);
  const last = await inspectionRepo.lastPlanNo(trx, year);
  const seq = (last ? planNumberSeq(last, year) : 0) ?? 0;
  return planNumber(year, seq + 1);
}

/** Retries a write that numbers a new plan when another numbered the same one at once. */
async function withPlanNumber<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await run();
    } catch (err) {
      if (attempt < 4 && isUniqueViolation(err)) continue;
      if (isUniqueViolation(err)) throw conflict();
      throw err;
    }
  }
}

/** What differs between new plans; the rest of a new plan's row is the same for all (a draft, version 1). */
interface NewPlan {
  streetId: number;
  orgPath: string;
  kind: PlanKind;
  title: string;
  standardVersionId: number;
  startsOn: string;
  endsOn: string;
  note: string | null;
  basedOnPlanId: number | null;
  inspectorIds: number[];
}

/**
 * Numbers and writes a new draft plan with its inspectors, then lets `more` add to it in the same transaction
 * (its points, its events, its audit row). Retried when another plan took the same number at once.
 */
function insertNewPlan(deps: Deps, actor: Actor, plan: NewPlan, more: (trx: Executor, id: number, planNo: string) => Promise<void>): Promise<number> {
  return withPlanNumber(() =>
    deps.db.transaction().execute(async (trx) => {
      const now = new Date();
      const at = now.toISOString();
      const planNo = await nextPlanNo(trx, now);
      const id = await inspectionRepo.insertPlan(trx, {
        plan_no: planNo,
        street_id: plan.streetId,
        org_path: plan.orgPath,
        kind: plan.kind,
        title: plan.title,
        status: 'draft',
        standard_version_id: plan.standardVersionId,
        starts_on: plan.startsOn,
        ends_on: plan.endsOn,
        note: plan.note,
        sampling: null,
        based_on_plan_id: plan.basedOnPlanId,
        created_by: actor.user.id,
        activated_at: null,
        closed_at: null,
        created_at: at,
        updated_at: at,
        version: 1,
      });
      await inspectionRepo.setInspectors(trx, id, plan.inspectorIds, at);
      await more(trx, id, planNo);
      return id;
    }),
  );
}

/** Orders points into the walking route and cuts it among the inspectors. */
function routeRows(points: { id: number; lat: number; lng: number }[], inspectorIds: number[]) {
  const route = walkingOrder(points);
  const owner = splitRoute(route, inspectorIds);
  return route.map((pointId, i) => ({ point_id: pointId, seq: i + 1, inspector_id: owner.get(pointId) ?? null }));
}

export interface CreatePlanInput {
  title: string;
  kind: PlanKind;
  startsOn: string;
  endsOn: string;
  note?: string | null;
  inspectorIds?: number[];
  basedOnPlanId?: number | null;
  streetId?: number;
}

export async function createPlan(deps: Deps, actor: Actor, input: CreatePlanInput): Promise<PlanView> {
  assertCan(actor.user, 'inspection.plan');
  checkDates(input.startsOn, input.endsOn);
  const title = input.title.trim();
  if (!title) throw new Problem('VALIDATION_FAILED', { field: 'title', reason: 'is required' });
  const street = await streetFor(deps.db, actor, input.streetId);
  // Plans cover a whole street: planners below it (a community office) cannot make one.
  if (!inScope(actor.user, street.path)) throw new Problem('FORBIDDEN');
  const versionId = await currentVersionId(deps.db);
  const inspectorIds = await checkInspectors(deps.db, street.path, input.inspectorIds ?? []);
  if (input.basedOnPlanId) {
    const base = await inspectionRepo.planById(deps.db, input.basedOnPlanId);
    if (!base || base.street_id !== street.id || !inScope(actor.user, base.org_path)) throw new Problem('VALIDATION_FAILED', { field: 'basedOnPlanId', reason: 'no such plan in this street' });
  }
  const basedOnPlanId = input.basedOnPlanId ?? null;
  const plan = { streetId: street.id, orgPath: street.path, kind: input.kind, title, standardVersionId: versionId, startsOn: input.startsOn, endsOn: input.endsOn, note: input.note?.trim() || null, basedOnPlanId, inspectorIds };
  const id = await insertNewPlan(deps, actor, plan, async (trx, id, planNo) => {
    await planEvent(trx, actor, id, 'create', { planNo, kind: input.kind, inspectorIds, basedOnPlanId });
    await audit(trx, actor, { action: 'inspection.plan.create', targetType: 'inspection_plan', targetId: id, orgPath: street.path, detail: { planNo, kind: input.kind, title } });
  });
  deps.notify('inspections.changed', { planId: id });
  return getPlan(deps, actor, id);
}

export interface UpdatePlanInput {
  version: number;
  title?: string;
  startsOn?: string;
  endsOn?: string;
  note?: string | null;
  inspectorIds?: number[];
}

export async function updatePlan(deps: Deps, actor: Actor, id: number, input: UpdatePlanInput): Promise<PlanView> {
  const row = await planForPlanner(deps.db, actor, id);
  assertEditable(row, 'details');
  const changesInspectors = input.inspectorIds !== undefined;
  if (changesInspectors) assertEditable(row, 'inspectors');
  const startsOn = input.startsOn ?? row.starts_on;
  const endsOn = input.endsOn ?? row.ends_on;
  checkDates(startsOn, endsOn);
  if (input.title !== undefined && !input.title.trim()) throw new Problem('VALIDATION_FAILED', { field: 'title', reason: 'is required' });
  const inspectorIds = changesInspectors ? await checkInspectors(deps.db, row.org_path, input.inspectorIds!) : null;
  const routePoints = inspectorIds ? await inspectionRepo.planPoints(deps.db, id) : [];
  await deps.db.transaction().execute(async (trx) => {
    const at = nowIso();
    const patch: Partial<InspectionPlanRow> = { updated_at: at, starts_on: startsOn, ends_on: endsOn };
    if (input.title !== undefined) patch.title = input.title.trim();
    if (input.note !== undefined) patch.note = input.note?.trim() || null;
    if (!(await inspectionRepo.updatePlan(trx, id, input.version, patch))) throw conflict();
    if (inspectorIds) {
      await inspectionRepo.setInspectors(trx, id, inspectorIds, at);
      // The route stays; its legs are cut again among the new inspectors.
      const owner = splitRoute(routePoints.map((p) => p.point_id), inspectorIds);
      const groups = new Map<number | null, number[]>();
      for (const p of routePoints) {
        const who = owner.get(p.point_id) ?? null;
        groups.set(who, [...(groups.get(who) ?? []), p.point_id]);
      }
      await inspectionRepo.assignPoints(trx, id, groups);
    }
    await planEvent(trx, actor, id, 'update', { ...input, version: undefined });
    await audit(trx, actor, { action: 'inspection.plan.update', targetType: 'inspection_plan', targetId: id, orgPath: row.org_path, detail: { ...input } });
  });
  deps.notify('inspections.changed', { planId: id });
  return getPlan(deps, actor, id);
}

export type { SampleInput };

/** Point types that have a field checklist in the version (only those can be inspected). */
async function inspectableTypes(deps: Deps, versionId: number): Promise<Set<string>> {
  const lists = await checklistsOf(deps, versionId);
  return new Set([...lists.byType.entries()].filter(([, l]) => l.length).map(([t]) => t));
}

export async function samplePlan(deps: Deps, actor: Actor, id: number, input: SampleInput): Promise<PlanView> {
  const row = await planForPlanner(deps.db, actor, id);
  assertEditable(row, 'points');
  const inspectable = await inspectableTypes(deps, row.standard_version_id);
  const types = input.pointTypes ? [...new Set(input.pointTypes)] : [...inspectable].sort();
  const bad = types.find((t) => !inspectable.has(t));
  if (bad) throw new Problem('VALIDATION_FAILED', { field: 'pointTypes', reason: `point type ${bad} has no field checklist in this standard` });
  if (input.shares) {
    const unknown = Object.keys(input.shares).find((t) => !types.includes(t));
    if (unknown) throw new Problem('VALIDATION_FAILED', { field: 'shares', reason: `point type ${unknown} is not sampled` });
  }
  let communityIds: number[] | null = null;
  if (input.communityIds) {
    communityIds = [...new Set(input.communityIds)];
    const found = await deps.db.selectFrom('orgs').select('id').where('id', 'in', communityIds.length ? communityIds : [-1]).where('kind', '=', 'community').where('path', 'like', `${row.org_path}%`).execute();
    if (found.length !== communityIds.length || !communityIds.length) throw new Problem('VALIDATION_FAILED', { field: 'communityIds', reason: 'not communities of this street' });
  }
  const candidates = await inspectionRepo.candidatePoints(deps.db, row.street_id, { types, communityIds: communityIds ?? undefined });
  const seed = input.seed?.trim() || randomBytes(4).toString('hex');
  let sample;
  try {
    sample = samplePoints(
      candidates.map((c) => ({ id: c.id, typeCode: c.type_code })),
      { seed, total: input.total, minPerType: input.minPerType, shares: input.shares },
    );
  } catch (err) {
    if (err instanceof SampleError) throw new Problem('VALIDATION_FAILED', { field: err.problem.field, reason: err.problem.reason });
    throw err;
  }
  const picked = new Set(sample.ids);
  const inspectors = await inspectionRepo.inspectors(deps.db, id);
  const rows = routeRows(candidates.filter((c) => picked.has(c.id)), inspectors.map((u) => u.user_id));
  const at = nowIso();
  const record: SamplingRecord = {
    seed,
    total: input.total,
    minPerType: input.minPerType ?? 0,
    shares: input.shares ?? null,
    pointTypes: types,
    communityIds,
    candidates: candidates.length,
    strata: sample.strata,
    shortfall: sample.shortfall,
    at,
  };
  await deps.db.transaction().execute(async (trx) => {
    if (!(await inspectionRepo.updatePlan(trx, id, input.version, { sampling: JSON.stringify(record), updated_at: at }))) throw conflict();
    await inspectionRepo.replacePoints(trx, id, rows);
    await planEvent(trx, actor, id, 'sample', { seed, total: input.total, picked: rows.length, shortfall: sample.shortfall });
    await audit(trx, actor, { action: 'inspection.plan.sample', targetType: 'inspection_plan', targetId: id, orgPath: row.org_path, detail: { seed, total: input.total, picked: rows.length } });
  });
  deps.notify('inspections.changed', { planId: id });
  return getPlan(deps, actor, id);
}

export async function pickPoints(deps: Deps, actor: Actor, id: number, input: { version: number; pointIds: number[] }): Promise<PlanView> {
  const row = await planForPlanner(deps.db, actor, id);
  assertEditable(row, 'points');
  const ids = [...new Set(input.pointIds)];
  const inspectable = await inspectableTypes(deps, row.standard_version_id);
  const points = await inspectionRepo.pointsByIds(deps.db, ids);
  const byId = new Map(points.map((p) => [p.id, p]));
  for (const pid of ids) {
    const p = byId.get(pid);
    if (!p || p.street_id !== row.street_id || !p.active) throw new Problem('VALIDATION_FAILED', { field: 'pointIds', reason: `point ${pid} is not an active point of this street` });
    if (!inspectable.has(p.type_code)) throw new Problem('VALIDATION_FAILED', { field: 'pointIds', reason: `point ${pid} (${p.type_code}) has no field checklist in this standard` });
  }
  const inspectors = await inspectionRepo.inspectors(deps.db, id);
  const rows = routeRows(points, inspectors.map((u) => u.user_id));
  await deps.db.transaction().execute(async (trx) => {
    if (!(await inspectionRepo.updatePlan(trx, id, input.version, { sampling: null, updated_at: nowIso() }))) throw conflict();
    await inspectionRepo.replacePoints(trx, id, rows);
    await planEvent(trx, actor, id, 'points', { count: rows.length });
    await audit(trx, actor, { action: 'inspection.plan.points', targetType: 'inspection_plan', targetId: id, orgPath: row.org_path, detail: { pointIds: ids } });
  });
  deps.notify('inspections.changed', { planId: id });
  return getPlan(deps, actor, id);
}

export async function assignPoint(deps: Deps, actor: Actor, id: number, pointId: number, input: { version: number; inspectorId: number }): Promise<PlanView> {
  const row = await planForPlanner(deps.db, actor, id);
  assertEditable(row, 'reassign');
  if (!(await inspectionRepo.planPoint(deps.db, id, pointId))) throw new Problem('POINT_NOT_ON_PLAN');
  if (!(await inspectionRepo.isInspector(deps.db, id, input.inspectorId))) throw new Problem('VALIDATION_FAILED', { field: 'inspectorId', reason: 'is not an inspector of this plan' });
  await deps.db.transaction().execute(async (trx) => {
    if (!(await inspectionRepo.updatePlan(trx, id, input.version, { updated_at: nowIso() }))) throw conflict();
    await inspectionRepo.assignPoints(trx, id, new Map([[input.inspectorId, [pointId]]]));
    await planEvent(trx, actor, id, 'assign', { pointId, inspectorId: input.inspectorId });
    await audit(trx, actor, { action: 'inspection.plan.assign', targetType: 'inspection_plan', targetId: id, orgPath: row.org_path, detail: { pointId, inspectorId: input.inspectorId } });
  });
  deps.notify('inspections.changed', { planId: id });
  return getPlan(deps, actor, id);
}

export async function transitionPlan(deps: Deps, actor: Actor, id: number, input: { version: number; action: PlanAction }): Promise<PlanView> {
  const row = await planForPlanner(deps.db, actor, id);
  const to = nextPlanStatus(row.status as PlanStatus, input.action);
  if (!to) throw new Problem('ILLEGAL_TRANSITION', {}, { reason: `cannot ${input.action} a ${row.status} plan` });
  if (input.action === 'activate') {
    const points = await inspectionRepo.planPoints(deps.db, id);
    const inspectors = await inspectionRepo.inspectors(deps.db, id);
    const problems = activationProblems({
      points: points.length,
      inspectors: inspectors.length,
      unassigned: points.filter((p) => p.inspector_id === null).length,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
    });
    if (problems.length) throw new Problem('PLAN_NOT_READY', { reason: problems.map((p) => label(p, actor.lang)).join(actor.lang === 'en-US' ? '; ' : '；') });
  }
  await deps.db.transaction().execute(async (trx) => {
    const at = nowIso();
    const patch: Partial<InspectionPlanRow> = { status: to, updated_at: at };
    if (input.action === 'activate') patch.activated_at = at;
    if (input.action === 'close') patch.closed_at = at;
    if (input.action === 'reopen') patch.closed_at = null;
    if (!(await inspectionRepo.updatePlan(trx, id, input.version, patch))) throw conflict();
    await planEvent(trx, actor, id, input.action, { from: row.status, to });
    await audit(trx, actor, { action: `inspection.plan.${input.action}`, targetType: 'inspection_plan', targetId: id, orgPath: row.org_path, detail: { from: row.status, to } });
  });
  deps.notify('inspections.changed', { planId: id });
  return getPlan(deps, actor, id);
}

export async function deletePlan(deps: Deps, actor: Actor, id: number, version: number): Promise<{ deleted: true }> {
  const row = await planForPlanner(deps.db, actor, id);
  if (row.status !== 'draft') throw new Problem('ILLEGAL_TRANSITION', {}, { reason: 'only a draft plan can be deleted' });
  await deps.db.transaction().execute(async (trx) => {
    const current = await inspectionRepo.planById(trx, id);
    if (!current || current.version !== version) throw conflict();
    if (current.status !== 'draft') throw new Problem('ILLEGAL_TRANSITION', {}, { reason: 'only a draft plan can be deleted' });
    const child = await trx.selectFrom('inspection_plans').select('id').where('based_on_plan_id', '=', id).executeTakeFirst();
    if (child) throw new Problem('IN_USE', { what: `plan ${row.plan_no} has a 回头看 plan` });
    await inspectionRepo.deletePlan(trx, id);
    await audit(trx, actor, { action: 'inspection.plan.delete', targetType: 'inspection_plan', targetId: id, orgPath: row.org_path, detail: { planNo: row.plan_no, title: row.title } });
  });
  deps.notify('inspections.changed', { planId: id });
  return { deleted: true };
}

/**
 * 回头看: a new draft plan of kind 'revisit' over the points of this plan whose failed items still have open cases,
 * with the same inspectors and standard version, starting today for a week.
 */
export async function createRevisitPlan(deps: Deps, actor: Actor, id: number): Promise<PlanView> {
  const source = await planForPlanner(deps.db, actor, id);
  if (source.status === 'draft') throw new Problem('ILLEGAL_TRANSITION', {}, { reason: 'a draft plan has no results to revisit' });
  const open = await inspectionRepo.pointsWithOpenCases(deps.db, id, OPEN_STATES);
  const pointIds = [...new Set(open.map((o) => o.point_id))];
  if (!pointIds.length) throw new Problem('NO_OPEN_PROBLEMS');
  const points = (await inspectionRepo.pointsByIds(deps.db, pointIds)).filter((p) => p.active);
  if (!points.length) throw new Problem('NO_OPEN_PROBLEMS');
  const inspectors = (await inspectionRepo.inspectors(deps.db, id)).filter((u) => u.active && INSPECTOR_ROLES.includes(u.role as Role)).map((u) => u.user_id);
  const rows = routeRows(points, inspectors);
  const suffix = actor.lang === 'en-US' ? ' (revisit)' : ' 回头看';
  const title = `${source.title.slice(0, 100 - suffix.length)}${suffix}`;
  const today = beijingDate(new Date());
  const plan = { streetId: source.street_id, orgPath: source.org_path, kind: 'revisit' as const, title, standardVersionId: source.standard_version_id, startsOn: today, endsOn: addDays(today, REVISIT_DAYS), note: null, basedOnPlanId: source.id, inspectorIds: inspectors };
  const newId = await insertNewPlan(deps, actor, plan, async (trx, newId, planNo) => {
    await inspectionRepo.replacePoints(trx, newId, rows);
    await planEvent(trx, actor, newId, 'create', { planNo, kind: 'revisit', basedOnPlanId: source.id, points: rows.length });
    await planEvent(trx, actor, source.id, 'revisit', { planId: newId, planNo, points: rows.length });
    await audit(trx, actor, { action: 'inspection.plan.revisit', targetType: 'inspection_plan', targetId: newId, orgPath: source.org_path, detail: { basedOnPlanId: source.id, points: rows.length } });
  });
  deps.notify('inspections.changed', { planId: newId });
  return getPlan(deps, actor, newId);
}

// ---- the kit (what the phone caches to work offline) ----------------------------------------------------------------

export async function getKit(deps: Deps, actor: Actor, id: number): Promise<Kit> {
  assertCan(actor.user, 'inspection.read');
  const a = await accessPlan(deps.db, actor, id);
  if (!a.canPlan && !a.isInspector) throw new Problem('NOT_ON_PLAN');
  const [summary, rows, lists] = await Promise.all([
    summaryOf(deps.db, id, actor.lang),
    inspectionRepo.planPoints(deps.db, id, a.canPlan ? undefined : actor.user.id),
    checklistsOf(deps, a.row.standard_version_id),
  ]);
  const focus = new Map<number, string[]>();
  if (a.row.kind === 'revisit' && a.row.based_on_plan_id) {
    for (const o of await inspectionRepo.pointsWithOpenCases(deps.db, a.row.based_on_plan_id, OPEN_STATES)) focus.set(o.point_id, [...(focus.get(o.point_id) ?? []), o.item_code]);
  }
  const checklists: Record<string, KitChecklistItem[]> = {};
  for (const r of rows) {
    if (checklists[r.type_code]) continue;
    checklists[r.type_code] = (lists.byType.get(r.type_code) ?? []).map((e) => ({ id: e.id, code: e.code, text: e.text, rule: e.rule, ruleText: describeRule(e.rule, actor.lang), points: e.points, nodePath: e.nodePath }));
  }
  return {
    plan: summary,
    standardVersionId: a.row.standard_version_id,
    points: rows.map((r) => ({
      id: r.point_id,
      name: r.name,
      typeCode: r.type_code,
      typeName: (actor.lang === 'en-US' ? r.type_name_en : r.type_name_zh) ?? r.type_code,
      address: r.address,
      communityName: r.community_name ?? '',
      lat: r.lat,
      lng: r.lng,
      geometry: JSON.parse(r.geometry) as Geometry,
      inspectorId: r.inspector_id,
      seq: r.seq,
      done: r.result_id !== null,
      resultId: r.result_id,
      focusItems: [...new Set(focus.get(r.point_id) ?? [])].sort(compareCodes),
    })),
    checklists,
    farCheckinM: FAR_CHECKIN_M,
    generatedAt: nowIso(),
  };
}

// ---- sync -----------------------------------------------------------------------------------------------------------

interface SyncContext {
  plans: Map<number, { row: InspectionPlanRow; isInspector: boolean } | null>;
  defaultCategory: string | null;
}

const observationOf = (i: ResultItemInput): Observation => {
  const o: Observation = {};
  if (i.notApplicable !== undefined) o.notApplicable = i.notApplicable;
  if (i.passed !== undefined) o.passed = i.passed;
  if (i.count !== undefined) o.count = i.count;
  if (i.occurrences !== undefined) o.occurrences = i.occurrences;
  if (i.fixedOnSpot !== undefined && i.fixedOnSpot !== 0) o.fixedOnSpot = i.fixedOnSpot;
  return o;
};

/** The case source of an inspector's finds: citizen patrols report as 市民巡访, everyone else as 测评. */
function caseSourceOf(actor: Actor): CaseSource {
  return actor.user.role === 'citizen_patrol' ? 'citizen_patrol' : 'inspection';
}

async function defaultCategoryCode(deps: Deps): Promise<string> {
  const saved = await settingsRepo.get<string>(deps.db, DEFAULT_CATEGORY_SETTING);
  return typeof saved === 'string' && /^\d{4}$/.test(saved) ? saved : DEFAULT_INSPECTION_CATEGORY;
}

async function duplicateOutcome(deps: Deps, actor: Actor, input: ResultInput): Promise<SyncOutcome | null> {
  const existing = await inspectionRepo.resultByKey(deps.db, input.idempotencyKey);
  if (!existing) return null;
  if (existing.inspector_id !== actor.user.id || existing.plan_id !== input.planId || existing.point_id !== input.pointId) throw new Problem('IDEMPOTENCY_KEY_REUSED');
  return { idempotencyKey: input.idempotencyKey, status: 'duplicate', resultId: existing.id, caseIds: await inspectionRepo.caseIdsOfResult(deps.db, existing.id) };
}

async function syncOne(deps: Deps, actor: Actor, input: ResultInput, ctx: SyncContext): Promise<SyncOutcome> {
  const dup = await duplicateOutcome(deps, actor, input);
  if (dup) return dup;

  // The plan: active, and the caller one of its inspectors. Anything else (missing, out of scope) is NOT_ON_PLAN.
  let plan = ctx.plans.get(input.planId);
  if (plan === undefined) {
    const row = await inspectionRepo.planById(deps.db, input.planId);
    plan = row ? { row, isInspector: await inspectionRepo.isInspector(deps.db, row.id, actor.user.id) } : null;
    ctx.plans.set(input.planId, plan);
  }
  if (!plan || !plan.isInspector || plan.row.status !== 'active') throw new Problem('NOT_ON_PLAN');
  const planRow = plan.row;
  if (!(await inspectionRepo.planPoint(deps.db, planRow.id, input.pointId))) throw new Problem('POINT_NOT_ON_PLAN', { field: 'pointId' });
  if (await inspectionRepo.resultByPlanPoint(deps.db, planRow.id, input.pointId)) throw new Problem('RESULT_EXISTS');
  const [point] = await inspectionRepo.pointsByIds(deps.db, [input.pointId]);
  if (!point) throw new Problem('POINT_NOT_ON_PLAN', { field: 'pointId' });

  // The checklist of the point's type in the plan's standard version; every observation checked against it.
  const lists = await checklistsOf(deps, planRow.standard_version_id);
  const checklist = new Map((lists.byType.get(point.type_code) ?? []).map((e) => [e.code, e]));
  const seen = new Set<string>();
  const observed = input.items.map((item, i) => {
    const entry = checklist.get(item.code);
    if (!entry) throw new Problem('UNKNOWN_ITEM', { item: item.code, field: `items.${i}.code` });
    if (seen.has(item.code)) throw new Problem('INVALID_OBSERVATION', { field: `items.${i}.code`, reason: `item ${item.code} appears twice` });
    seen.add(item.code);
    const obs = observationOf(item);
    const problems = checkObservation(entry.rule, obs);
    if (problems.length) throw new Problem('INVALID_OBSERVATION', { field: `items.${i}.${problems[0]!.field}`, reason: problems[0]!.reason });
    const score = scoreItem(entry.rule, obs);
    return { index: i, item, entry, obs, score, outcome: itemOutcome(entry.rule, obs), photoIds: [...new Set(item.photoIds ?? [])] };
  });

  // Photos: uploaded by the caller, recent enough to attach, not already showing another inspected point.
  const photoIds = [...new Set(observed.flatMap((o) => o.photoIds))];
  if (photoIds.length) {
    const rows = new Map((await inspectionRepo.photosForCheck(deps.db, photoIds)).map((p) => [p.id, p]));
    const linkableSince = new Date(Date.now() - LINKABLE_WINDOW_MS).toISOString();
    const linked = await inspectionRepo.photosLinkedToItems(deps.db, photoIds);
    for (const o of observed) {
      for (const pid of o.photoIds) {
        const p = rows.get(pid);
        if (!p || p.uploader_id !== actor.user.id || (!linked.has(pid) && p.created_at < linkableSince)) throw new Problem('PHOTO_NOT_YOURS', { field: `items.${o.index}.photoIds` });
        if (linked.has(pid)) throw new Problem('PHOTO_WRONG_POINT', { field: `items.${o.index}.photoIds` });
      }
    }
  }

  const geometry = JSON.parse(point.geometry) as Geometry;
  const checkin = input.checkin ? { ...input.checkin, ...checkinDistance({ lat: point.lat, lng: point.lng, geometry }, input.checkin) } : null;
  const earnedU = observed.reduce((s, o) => s + Math.round(o.score.earned * 10000), 0);
  const possibleU = observed.reduce((s, o) => s + Math.round(o.score.possible * 10000), 0);

  // Cases: prepared before the transaction (intake reads outside it), one context per category.
  const source = caseSourceOf(actor);
  if (!SOURCE_ROLES[source].includes(actor.user.role)) throw new Problem('FORBIDDEN');
  const contexts = new Map<string, IntakeContext>();
  const prepared = async (code: string | null): Promise<{ code: string; ctx: IntakeContext }> => {
    const wanted = code ?? (ctx.defaultCategory ??= await defaultCategoryCode(deps));
    const hit = contexts.get(wanted);
    if (hit) return { code: wanted, ctx: hit };
    try {
      const c = await prepareIntake(deps, actor, { categoryCode: wanted, lat: point.lat, lng: point.lng });
      contexts.set(wanted, c);
      return { code: wanted, ctx: c };
    } catch (err) {
      // An item naming a category that was since retired files under the default instead.
      if (code !== null && err instanceof Problem && err.code === 'VALIDATION_FAILED' && err.params.field === 'categoryCode') return prepared(null);
      throw err;
    }
  };
  const toFile: { o: (typeof observed)[number]; code: string; ctx: IntakeContext }[] = [];
  for (const o of observed) if (o.outcome.needsCase) toFile.push({ o, ...(await prepared(o.entry.categoryCode)) });

  const kindName = PLAN_KIND_LABELS[planRow.kind as PlanKind]?.zh ?? planRow.kind;
  const receivedAt = nowIso();
  const write = async (trx: Transaction<Database>) => {
    const resultId = await inspectionRepo.insertResult(trx, {
      plan_id: planRow.id,
      point_id: point.id,
      inspector_id: actor.user.id,
      idempotency_key: input.idempotencyKey,
      checkin_lat: checkin?.lat ?? null,
      checkin_lng: checkin?.lng ?? null,
      checkin_at: checkin?.at ?? null,
      checkin_distance_m: checkin?.distanceM ?? null,
      checkin_far: checkin?.far ? 1 : 0,
      inspected_at: new Date(input.inspectedAt).toISOString(),
      received_at: receivedAt,
      standard_version_id: planRow.standard_version_id,
      earned: earnedU / 10000,
      possible: possibleU / 10000,
      note: input.note?.trim() || null,
    });
    const itemIds = await inspectionRepo.insertResultItems(
      trx,
      observed.map((o) => ({
        result_id: resultId,
        item_id: o.entry.id,
        item_code: o.entry.code,
        observation: JSON.stringify(o.obs),
        earned: o.score.earned,
        possible: o.score.possible,
        failed: o.outcome.failed ? 1 : 0,
        fixed_on_spot: o.outcome.fixedOnSpot,
        case_id: null,
        note: o.item.note?.trim() || null,
      })),
    );
    const itemIdOf = new Map(observed.map((o, i) => [o.entry.code, itemIds[i]!]));
    for (const o of observed) if (o.photoIds.length) await linkPhotos(trx, o.photoIds, 'inspection_item', itemIdOf.get(o.entry.code)!, 'before', actor);
    const caseIds: number[] = [];
    for (const f of toFile) {
      const note = f.o.item.note?.trim();
      const description = `【${kindName} ${planRow.plan_no}】${point.name}：${f.o.entry.text}（${f.o.score.explanation.zh}）${note ? `；${note}` : ''}`.slice(0, 2000);
      const r = await intakeCase(
        deps,
        actor,
        {
          source,
          sourceRef: `${planRow.plan_no}/${f.o.entry.code}`.slice(0, 100),
          categoryCode: f.code,
          lat: point.lat,
          lng: point.lng,
          description,
          address: point.address,
          pointId: point.id,
          photoIds: f.o.photoIds,
          idempotencyKey: `insp:${input.idempotencyKey}:${f.o.entry.code}`.slice(0, 100),
        },
        f.ctx,
        trx,
      );
      await inspectionRepo.setItemCase(trx, itemIdOf.get(f.o.entry.code)!, r.caseId);
      caseIds.push(r.caseId);
    }
    await planEvent(trx, actor, planRow.id, 'result', { resultId, pointId: point.id, earned: earnedU / 10000, possible: possibleU / 10000, far: checkin?.far ?? false, caseIds });
    return { resultId, caseIds };
  };

  let written: { resultId: number; caseIds: number[] };
  try {
    written = await deps.db.transaction().execute(write);
  } catch (err) {
    if (isUniqueViolation(err)) {
      // A retry raced this one: the winner's result answers, or the point was taken by another result.
      const again = await duplicateOutcome(deps, actor, input);
      if (again) return again;
      throw new Problem('RESULT_EXISTS');
    }
    if (err instanceof Problem && err.code === 'VALIDATION_FAILED' && err.params.field === 'photoIds') throw new Problem('PHOTO_NOT_YOURS', { field: 'items.photoIds' });
    throw err;
  }
  for (const caseId of written.caseIds) deps.notify('cases.changed', { caseId, action: 'report' });
  return { idempotencyKey: input.idempotencyKey, status: 'created', resultId: written.resultId, caseIds: written.caseIds };
}

/**
 * Stores queued results, each on its own (one transaction with its items, photo links, cases and event). A result
 * already stored under its idempotency key answers 'duplicate' with the same result and case ids; a bad one answers
 * 'error' with a stable code, and the others still go in.
 */
export async function syncResults(deps: Deps, actor: Actor, input: { results: ResultInput[] }): Promise<SyncResponse> {
  assertCan(actor.user, 'inspection.perform');
  if (input.results.length > MAX_SYNC_RESULTS) throw new Problem('VALIDATION_FAILED', { field: 'results', reason: `at most ${MAX_SYNC_RESULTS} per call` });
  const ctx: SyncContext = { plans: new Map(), defaultCategory: null };
  const outcomes: SyncOutcome[] = [];
  const touched = new Set<number>();
  for (const r of input.results) {
    try {
      const o = await syncOne(deps, actor, r, ctx);
      if (o.status === 'created') touched.add(r.planId);
      outcomes.push(o);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      const body = err.toJSON(actor.lang) as { code: string; message: string; field?: string };
      outcomes.push({ idempotencyKey: r.idempotencyKey, status: 'error', code: body.code, message: body.message, ...(body.field ? { field: body.field } : {}) });
    }
  }
  for (const planId of touched) deps.notify('inspections.changed', { planId });
  return { outcomes };
}

// ---- results --------------------------------------------------------------------------------------------------------

export async function getResult(deps: Deps, actor: Actor, id: number): Promise<ResultView> {
  assertCan(actor.user, 'inspection.read');
  const r = await inspectionRepo.resultById(deps.db, id);
  if (!r) throw notFound(`inspection result ${id}`);
  if (r.inspector_id !== actor.user.id) await accessPlan(deps.db, actor, r.plan_id).catch(() => Promise.reject(notFound(`inspection result ${id}`)));
  const [plan, [point], items, users] = await Promise.all([
    inspectionRepo.planById(deps.db, r.plan_id),
    inspectionRepo.pointsByIds(deps.db, [r.point_id]),
    inspectionRepo.resultItems(deps.db, id),
    inspectionRepo.users(deps.db, [r.inspector_id]),
  ]);
  const photos = await photosOf(deps.db, 'inspection_item', items.map((i) => i.id));
  const itemViews = items
    .map((i) => {
      const { obs, explanation } = storedItem(i, actor);
      return {
        id: i.id,
        itemId: i.item_id,
        code: i.item_code,
        text: i.text,
        observation: obs,
        earned: i.earned,
        possible: i.possible,
        failed: i.failed === 1,
        fixedOnSpot: i.fixed_on_spot,
        explanation,
        note: i.note,
        caseId: i.case_id,
        caseNo: i.case_no ?? null,
        caseStatus: i.case_status ?? null,
        photos: photos.get(i.id) ?? [],
      };
    })
    .sort((a, b) => compareCodes(a.code, b.code));
  return {
    id: r.id,
    planId: r.plan_id,
    planNo: plan?.plan_no ?? '',
    pointId: r.point_id,
    pointName: point?.name ?? '',
    pointTypeCode: point?.type_code ?? '',
    inspectorId: r.inspector_id,
    inspectorName: users[0]?.display_name ?? null,
    idempotencyKey: r.idempotency_key,
    checkin: r.checkin_lat === null || r.checkin_lng === null ? null : { lat: r.checkin_lat, lng: r.checkin_lng, at: r.checkin_at, distanceM: r.checkin_distance_m, far: r.checkin_far === 1 },
    inspectedAt: r.inspected_at,
    receivedAt: r.received_at,
    standardVersionId: r.standard_version_id,
    earned: r.earned,
    possible: r.possible,
    rate: rateOf(r),
    note: r.note,
    items: itemViews,
    caseIds: itemViews.filter((i) => i.caseId !== null).map((i) => i.caseId!),
  };
}

/** Photos of an inspected item are readable by whoever may read its plan (registered in routes.ts). */
export async function canReadInspectionItem(deps: Deps, actor: Actor, resultItemId: number): Promise<boolean> {
  if (!can(actor.user.role, 'inspection.read')) return false;
  const row = await deps.db
    .selectFrom('inspection_result_items as ri')
    .innerJoin('inspection_results as r', 'r.id', 'ri.result_id')
    .select(['r.plan_id', 'r.inspector_id'])
    .where('ri.id', '=', resultItemId)
    .executeTakeFirst();
  if (!row) return false;
  if (row.inspector_id === actor.user.id) return true;
  return accessPlan(deps.db, actor, row.plan_id).then(
    () => true,
    () => false,
  );
}

// ---- scores (得分率) -------------------------------------------------------------------------------------------------

interface Names {
  types: Map<string, string>;
  communities: Map<number, { name: string; sort: number }>;
  items: Map<string, string>;
}

const rateView = (r: { earned: number; possible: number }): RateView => ({ earned: r.earned, possible: r.possible, rate: rateOf(r) });

function byWeakest<T extends { key: string; earned: number; possible: number }>(groups: T[]): T[] {
  const scored = weakest(groups, groups.length);
  const keys = new Set(scored.map((g) => g.key));
  return [...scored, ...groups.filter((g) => !keys.has(g.key))];
}

function groupsOf(rows: ScoreRow[], names: Names) {
  const items: ItemResult[] = rows.map((r) => ({ inspection: 0, point: r.point_id, pointType: r.type_code, community: r.community_id, item: r.item_code, earned: r.earned, possible: r.possible }));
  const pointsIn = (pick: (r: ScoreRow) => string) => {
    const m = new Map<string, Set<number>>();
    const failed = new Map<string, number>();
    for (const r of rows) {
      const k = pick(r);
      (m.get(k) ?? m.set(k, new Set()).get(k)!).add(r.point_id);
      if (r.failed) failed.set(k, (failed.get(k) ?? 0) + 1);
    }
    return { points: m, failed };
  };
  const decorate = (by: 'pointType' | 'community' | 'item', pick: (r: ScoreRow) => string, nameOf: (key: string) => string): ScoreGroupView[] => {
    const extra = pointsIn(pick);
    return aggregate(items, by).map((g) => ({ key: g.key, name: nameOf(g.key), earned: g.earned, possible: g.possible, rate: g.rate, points: extra.points.get(g.key)?.size ?? 0, results: g.results, failed: extra.failed.get(g.key) ?? 0 }));
  };
  const byPointType = byWeakest(decorate('pointType', (r) => r.type_code, (k) => names.types.get(k) ?? k));
  const communities = decorate('community', (r) => String(r.community_id), (k) => names.communities.get(Number(k))?.name ?? k);
  const ranked = communities
    .filter((g) => g.possible > 0)
    .sort((a, b) => compareRates(b, a) || (names.communities.get(Number(a.key))?.sort ?? 0) - (names.communities.get(Number(b.key))?.sort ?? 0) || Number(a.key) - Number(b.key));
  const ranks = competitionRanks(ranked);
  const byCommunity: CommunityScoreView[] = [...ranked, ...communities.filter((g) => g.possible <= 0)].map((g, i) => ({ ...g, communityId: Number(g.key), rank: ranks[i] ?? i + 1 }));
  const byItem: ItemScoreView[] = byWeakest(decorate('item', (r) => r.item_code, (k) => names.items.get(k) ?? k)).map((g) => ({ ...g, code: g.key }));
  return { overall: rateView(totalRate(rows)), byPointType, byCommunity, byItem, items };
}

const deltas = (current: ScoreGroupView[], previous: ScoreGroupView[]): ScoreDelta[] => {
  const nameOf = new Map([...previous, ...current].map((g) => [g.key, g.name]));
  return compare(
    current.map((g) => ({ key: g.key, earned: g.earned, possible: g.possible, rate: g.rate, results: g.results })),
    previous.map((g) => ({ key: g.key, earned: g.earned, possible: g.possible, rate: g.rate, results: g.results })),
  ).map((c) => ({ key: c.key, name: nameOf.get(c.key) ?? c.key, current: c.current?.rate ?? null, previous: c.previous?.rate ?? null, delta: c.delta }));
};

async function namesFor(deps: Deps, planRows: InspectionPlanRow[], lang: Lang): Promise<Names> {
  const [types, communities] = await Promise.all([
    deps.db.selectFrom('point_types').select(['code', 'name_zh', 'name_en']).execute(),
    deps.db.selectFrom('orgs').select(['id', 'name', 'sort']).where('kind', '=', 'community').where('path', 'like', `${planRows[0]!.org_path}%`).execute(),
  ]);
  const items = new Map<string, string>();
  for (const p of planRows) for (const e of (await checklistsOf(deps, p.standard_version_id)).byCode.values()) if (!items.has(e.code)) items.set(e.code, e.text);
  return {
    types: new Map(types.map((t) => [t.code, lang === 'en-US' ? t.name_en : t.name_zh])),
    communities: new Map(communities.map((c) => [c.id, { name: c.name, sort: c.sort }])),
    items,
  };
}

/**
 * 得分率 of a plan: overall, by point type, community (ranked), standard item and point (weakest first), and the
 * change since the previous plan of the same kind in the street. For the scores tab and the 通报.
 */
export async function getPlanScores(deps: Deps, actor: Actor, planId: number): Promise<PlanScores> {
  assertCan(actor.user, 'inspection.read');
  const a = await accessPlan(deps.db, actor, planId);
  const previousRow = a.row.kind === 'revisit' && a.row.based_on_plan_id ? await inspectionRepo.planById(deps.db, a.row.based_on_plan_id) : await inspectionRepo.previousPlan(deps.db, a.row);
  const [summary, rows, prevRows] = await Promise.all([
    summaryOf(deps.db, planId, actor.lang),
    inspectionRepo.scoreRows(deps.db, planId),
    previousRow ? inspectionRepo.scoreRows(deps.db, previousRow.id) : Promise.resolve([] as ScoreRow[]),
  ]);
  const names = await namesFor(deps, previousRow ? [a.row, previousRow] : [a.row], actor.lang);
  const cur = groupsOf(rows, names);

  const byPointGroups = aggregate(cur.items, 'point');
  const pointInfo = new Map<number, ScoreRow>();
  const failedAt = new Map<number, number>();
  for (const r of rows) {
    pointInfo.set(r.point_id, r);
    if (r.failed) failedAt.set(r.point_id, (failedAt.get(r.point_id) ?? 0) + 1);
  }
  const byPoint: PointScoreView[] = byWeakest(byPointGroups).map((g) => {
    const info = pointInfo.get(Number(g.key))!;
    return {
      key: g.key,
      pointId: Number(g.key),
      name: info.point_name,
      typeCode: info.type_code,
      typeName: names.types.get(info.type_code) ?? info.type_code,
      communityId: info.community_id,
      communityName: names.communities.get(info.community_id)?.name ?? '',
      earned: g.earned,
      possible: g.possible,
      rate: g.rate,
      failed: failedAt.get(Number(g.key)) ?? 0,
    };
  });

  let previous: PreviousPlanScores | null = null;
  let delta: PlanScores['delta'] = null;
  if (previousRow) {
    const prev = groupsOf(prevRows, names);
    previous = {
      planId: previousRow.id,
      planNo: previousRow.plan_no,
      title: previousRow.title,
      kind: previousRow.kind as PlanKind,
      startsOn: previousRow.starts_on,
      endsOn: previousRow.ends_on,
      overall: prev.overall,
      byPointType: prev.byPointType,
      byCommunity: prev.byCommunity,
      byItem: prev.byItem,
    };
    delta = {
      overall: cur.overall.rate !== null && prev.overall.rate !== null ? cur.overall.rate - prev.overall.rate : null,
      byPointType: deltas(cur.byPointType, prev.byPointType),
      byCommunity: deltas(cur.byCommunity, prev.byCommunity),
      byItem: deltas(cur.byItem, prev.byItem),
    };
  }
  return {
    plan: summary,
    standardVersionId: a.row.standard_version_id,
    inspectedPoints: summary.doneCount,
    totalPoints: summary.pointCount,
    overall: cur.overall,
    byPointType: cur.byPointType,
    byCommunity: cur.byCommunity,
    byItem: cur.byItem,
    byPoint,
    previous,
    delta,
  };
}

// ---- problems (what the 通报 lists) ----------------------------------------------------------------------------------

/** One failed item of a plan: where, what, how it was scored, its photos and the case it became. */
export interface PlanProblem {
  resultItemId: number;
  resultId: number;
  pointId: number;
  pointName: string;
  pointTypeCode: string;
  pointTypeName: string;
  address: string | null;
  lat: number;
  lng: number;
  communityId: number;
  communityName: string;
  itemId: number;
  itemCode: string;
  itemText: string;
  observation: Observation;
  /** The scoring in words (caller's language): "发现问题2处，扣2分，得3分". */
  explanation: string;
  earned: number;
  possible: number;
  deducted: number;
  /** How many of the failures were fixed on the spot; `fixedOnSpotFully`: all were (no case). */
  fixedOnSpot: number;
  fixedOnSpotFully: boolean;
  note: string | null;
  inspectedAt: string;
  inspectorName: string | null;
  /** Photos of the item (整改前), in upload order; read their bytes with photos' readPhotoVariant. */
  photoIds: number[];
  caseId: number | null;
  caseNo: string | null;
  caseStatus: string | null;
  unitId: number | null;
  unitName: string | null;
  /** The case's deadline (ISO instant), once it is dispatched. */
  deadline: string | null;
}

export interface PlanProblems {
  plan: PlanSummary;
  /** By community (org order), point, item. */
  items: PlanProblem[];
}

export async function listPlanProblems(deps: Deps, actor: Actor, planId: number): Promise<PlanProblems> {
  assertCan(actor.user, 'inspection.read');
  await accessPlan(deps.db, actor, planId);
  const [summary, rows] = await Promise.all([summaryOf(deps.db, planId, actor.lang), inspectionRepo.problemRows(deps.db, planId)]);
  const photoIds = new Map<number, number[]>();
  const ids = rows.map((r) => r.result_item_id);
  for (let i = 0; i < ids.length; i += 500) {
    const links = await deps.db
      .selectFrom('photo_links')
      .select(['owner_id', 'photo_id'])
      .where('owner_type', '=', 'inspection_item')
      .where('owner_id', 'in', ids.slice(i, i + 500))
      .orderBy('id')
      .execute();
    for (const l of links) photoIds.set(l.owner_id, [...(photoIds.get(l.owner_id) ?? []), l.photo_id]);
  }
  const types = actor.lang === 'en-US' ? new Map((await deps.db.selectFrom('point_types').select(['code', 'name_en']).execute()).map((t) => [t.code, t.name_en])) : null;
  const items = rows.map((r: ProblemRow): PlanProblem => {
    const { rule, obs, explanation } = storedItem(r, actor);
    const outcome = itemOutcome(rule, obs);
    return {
      resultItemId: r.result_item_id,
      resultId: r.result_id,
      pointId: r.point_id,
      pointName: r.point_name,
      pointTypeCode: r.type_code,
      pointTypeName: types?.get(r.type_code) ?? r.type_name_zh ?? r.type_code,
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      communityId: r.community_id,
      communityName: r.community_name ?? '',
      itemId: r.item_id,
      itemCode: r.item_code,
      itemText: r.item_text,
      observation: obs,
      explanation,
      earned: r.earned,
      possible: r.possible,
      deducted: Math.round((r.possible - r.earned) * 10000) / 10000,
      fixedOnSpot: r.fixed_on_spot,
      fixedOnSpotFully: outcome.failed && !outcome.needsCase,
      note: r.note,
      inspectedAt: r.inspected_at,
      inspectorName: r.inspector_name,
      photoIds: photoIds.get(r.result_item_id) ?? [],
      caseId: r.case_id,
      caseNo: r.case_no,
      caseStatus: r.case_status,
      unitId: r.unit_id,
      unitName: r.unit_name,
      deadline: r.case_deadline,
    };
  });
  return { plan: summary, items };
}
