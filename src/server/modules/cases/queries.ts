// Reading cases: the lists behind every workbench, one case with its history, and the duplicate check.
import type { Actor, Deps } from '../../lib/context.js';
import { Problem } from '../../errors.js';
import { allowedActions, type CaseState } from '../../../core/cases/index.js';
import { photosOf, type LinkedPhoto } from '../photos/service.js';
import { caseRepo, caseWriteGeneration, type CaseListFilter, type CaseSort } from './repo.js';
import { presentCase, presentEvent, type CaseWithNames } from './present.js';
import type { CaseEventRow } from '../../db/schema.js';
import type { WorkCalendar } from '../../../core/calendar/index.js';
import { workCalendar } from './calendar.js';
import { canSeeCase } from './access.js';
import { findNearbyOpen, type IntakeResult, type ReboundOf } from './intake.js';
import { loopSettings } from './settings.js';

/** Named lists of the workbenches; each is a filter on top of the caller's scope. */
export const CASE_QUEUES = ['dispatch', 'unit', 'verify', 'check', 'supervised', 'overdue', 'hung', 'mine'] as const;
export type CaseQueue = (typeof CASE_QUEUES)[number];

export interface ListCasesQuery extends Omit<CaseListFilter, 'scopePath' | 'viewerId' | 'mine' | 'unitPath' | 'unitPathEquals' | 'territoryPath'> {
  queue?: CaseQueue;
  sort?: CaseSort;
  page: number;
  pageSize: number;
}

function queueFilter(actor: Actor, queue: CaseQueue | undefined): Partial<CaseListFilter> & { sort?: CaseSort } {
  const u = actor.user;
  switch (queue) {
    case 'dispatch': // 派遣员: to verify, file, dispatch, re-route, decide extensions
      return { statuses: ['reported', 'verifying', 'filed', 'returned', 'extension_requested'], sort: 'created' };
    case 'unit': // 责任单位: what my unit must handle, most urgent first
      return { statuses: ['dispatched', 'processing', 'extension_requested'], unitPathEquals: u.orgPath, sort: 'deadline' };
    case 'verify': // 网格员: reports to verify on site in my grid
      return { statuses: ['reported', 'verifying'], territoryPath: u.orgPath, sources: ['citizen', 'hotline', 'media'], sort: 'created' };
    case 'check': // 核查: handled cases waiting for the on-site check in my territory
      return { statuses: ['feedback'], territoryPath: u.orgPath, sort: 'updated' };
    case 'supervised':
      return { supervised: true, statuses: ['dispatched', 'processing', 'extension_requested', 'feedback', 'hung', 'returned', 'filed', 'reported', 'verifying'], sort: 'deadline' };
    case 'overdue':
      return { overdue: true, statuses: ['dispatched', 'processing', 'extension_requested'], sort: 'deadline' };
    case 'hung':
      return { statuses: ['hung'], sort: 'updated' };
    case 'mine': // what I reported, to follow up
      return { mine: true, sort: 'updated' };
    default:
      return {};
  }
}

// Workbench lists are polled by many people at once. A page is reused for up to a second by viewers with the same
// filter, scope, role and language, unless a case was written in this process meanwhile (then it is rebuilt);
// other servers' writes show within the second.
const PAGE_TTL_MS = 1000;
const pages = new Map<string, { at: number; generation: number; value: Awaited<ReturnType<typeof loadCasePage>> }>();

export async function listCases(deps: Deps, actor: Actor, q: ListCasesQuery) {
  const key = JSON.stringify([q, actor.user.orgPath, actor.user.id, actor.user.role, actor.user.orgKind, actor.lang]);
  const hit = pages.get(key);
  if (hit && hit.generation === caseWriteGeneration() && Date.now() - hit.at < PAGE_TTL_MS) return hit.value;
  const generation = caseWriteGeneration();
  const value = await loadCasePage(deps, actor, q);
  if (pages.size > 1000) pages.clear();
  pages.set(key, { at: Date.now(), generation, value });
  return value;
}

async function loadCasePage(deps: Deps, actor: Actor, q: ListCasesQuery) {
  const { queue, sort: askedSort, page, pageSize, ...filters } = q;
  const preset = queueFilter(actor, queue);
  const filter: CaseListFilter = { ...preset, ...stripUndefined(filters), scopePath: actor.user.orgPath, viewerId: actor.user.id, territorial: ['street', 'district'].includes(actor.user.orgKind) };
  if (preset.statuses && filters.statuses?.length) filter.statuses = filters.statuses.filter((s) => preset.statuses!.includes(s));
  const sort = askedSort ?? preset.sort ?? 'created';
  const [{ items, total }, calendar] = await Promise.all([caseRepo.list(deps.db, filter, sort, page, pageSize), workCalendar(deps.db)]);
  const now = Date.now();
  return {
    items: items.map((c) => ({ ...presentCase(c, actor.user, calendar, now), actions: allowedActions(c.status as CaseState, actor.user.role, { source: c.source }) })),
    total,
    page,
    pageSize,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length))) as Partial<T>;
}

export async function getCase(deps: Deps, actor: Actor, id: number) {
  const row = await caseRepo.detail(deps.db, id);
  if (!row || !canSeeCase(actor.user, row)) throw new Problem('NOT_FOUND', { what: `case ${id}` });
  const [events, photos, merged, calendar, rebound] = await Promise.all([
    caseRepo.events(deps.db, id),
    photosOf(deps.db, 'case', [id]),
    caseRepo.mergedInto(deps.db, id),
    workCalendar(deps.db),
    row.rebound_of_id ? caseRepo.byId(deps.db, row.rebound_of_id) : Promise.resolve(undefined),
  ]);
  return caseDetailView(actor, row, events, photos.get(id) ?? [], merged, calendar, rebound ?? null);
}

/**
 * The detail view of a case intake has just stored, from the rows it wrote (no read-back). Only a new case:
 * nothing is merged into it yet and its photos are the ones just linked.
 */
export async function presentStoredCase(deps: Deps, actor: Actor, stored: NonNullable<IntakeResult['stored']>) {
  const { row, events, eventData, reboundOf, withPhotos } = stored;
  if (!canSeeCase(actor.user, row)) throw new Problem('NOT_FOUND', { what: `case ${row.id}` });
  const [photos, calendar] = await Promise.all([
    withPhotos ? photosOfNew(deps, row.id) : Promise.resolve([]),
    workCalendar(deps.db),
  ]);
  return caseDetailView(actor, row, events, photos, [], calendar, reboundOf, eventData);
}

const photosOfNew = async (deps: Deps, id: number) => (await photosOf(deps.db, 'case', [id])).get(id) ?? [];

function caseDetailView(
  actor: Actor,
  row: CaseWithNames,
  events: CaseEventRow[],
  photos: LinkedPhoto[],
  merged: Awaited<ReturnType<typeof caseRepo.mergedInto>>,
  calendar: WorkCalendar,
  rebound: ReboundOf | null,
  eventData?: unknown[],
) {
  return {
    ...presentCase(row, actor.user, calendar),
    actions: allowedActions(row.status as CaseState, actor.user.role, { source: row.source }),
    events: events.map((e, i) => presentEvent(e, eventData?.[i])),
    photos: {
      before: photos.filter((p) => p.role === 'before'),
      after: photos.filter((p) => p.role === 'after'),
      evidence: photos.filter((p) => p.role === 'evidence'),
    },
    mergedCases: merged.map((m) => ({ id: m.id, caseNo: m.case_no, createdAt: m.created_at, source: m.source, reporterName: m.reporter_name })),
    reboundOf: rebound && canSeeCase(actor.user, rebound) ? { id: rebound.id, caseNo: rebound.case_no, closedAt: rebound.closed_at } : null,
  };
}

/** 查重 before filing: open cases of the same category near a location, within the caller's view. */
export async function nearbyCases(deps: Deps, actor: Actor, q: { categoryCode: string; lat: number; lng: number; radiusM?: number }) {
  const settings = await loopSettings(deps.db);
  const radius = q.radiusM ?? settings.duplicateRadiusM;
  return { radiusM: radius, items: await findNearbyOpen(deps.db, q.categoryCode, q.lng, q.lat, radius, actor.user) };
}

export async function reboundSpots(deps: Deps, actor: Actor, flaggedOnly: boolean) {
  const rows = await caseRepo.reboundSpots(deps.db, actor.user.orgPath, flaggedOnly);
  return rows.map((r) => ({ id: r.id, categoryCode: r.category_code, pointId: r.point_id, lat: r.lat, lng: r.lng, gridId: r.grid_id, reboundCount: r.rebound_count, flagged: r.flagged === 1, lastCaseId: r.last_case_id, updatedAt: r.updated_at }));
}
