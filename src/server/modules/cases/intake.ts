// 信息收集: a problem enters the loop from any source. One transaction writes the case, its first event and its
// photo links; duplicates nearby are offered, rebounds linked, the responsible unit proposed by the 责任清单.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor, AuthUser, Deps, Executor } from '../../lib/context.js';
import type { Database } from '../../db/schema.js';
import { canSeeCase } from './access.js';
import { Problem } from '../../errors.js';
import { DISPATCH_NOW_ROLES, OPEN_STATES, SOURCE_ROLES, SOURCES_REQUIRING_VERIFICATION, type CaseSource, type SourceLevel } from '../../../core/cases/index.js';
import { beijingDate, computeDeadline } from '../../../core/calendar/index.js';
import { haversineMeters } from '../../../core/geo/index.js';
import { nearestPoint } from '../places/point-cache.js';
import { locatePlace, resolveResponsibleUnit } from '../routing/service.js';
import { findCategoryByCode, type CategoryForCase } from '../categories/service.js';
import { linkPhotos } from '../photos/service.js';
import { caseRepo } from './repo.js';
import { loopSettings, type LoopSettings } from './settings.js';
import { workCalendar } from './calendar.js';
import { boxAround } from './geo.js';

export { CASE_SOURCES, SOURCE_LEVELS, SOURCE_ROLES, type CaseSource } from '../../../core/cases/index.js';

export interface IntakeInput {
  source: CaseSource;
  sourceLevel?: SourceLevel | null;
  sourceRef?: string | null;
  categoryCode: string;
  lat: number;
  lng: number;
  description: string;
  address?: string | null;
  pointId?: number | null;
  photoIds?: number[];
  reporterName?: string | null;
  reporterPhone?: string | null;
  /** A retry with the same key returns the case already created instead of a second one. */
  idempotencyKey?: string | null;
  /** The reporter accepted an offered duplicate: the report is kept, merged into that case. */
  mergeIntoId?: number | null;
  /** File and dispatch at once (office roles; not for sources that need on-site verification). */
  dispatch?: boolean;
  /** With `dispatch`: the unit chosen instead of the 责任清单's. */
  unitId?: number | null;
}

export interface NearbyCase {
  id: number;
  caseNo: string;
  status: string;
  distanceM: number;
  description: string;
  createdAt: string;
}

export interface IntakeContext {
  category: CategoryForCase;
  place: NonNullable<Awaited<ReturnType<typeof locatePlace>>>;
  settings: LoopSettings;
  /** 点位匹配: the nearest point within the match radius, from the in-memory point index. */
  nearestPointId: number | null;
}

/** Everything intake reads outside the transaction (on SQLite, reads through deps.db inside one would wait on it). */
export async function prepareIntake(deps: Deps, actor: Actor | null, input: Pick<IntakeInput, 'categoryCode' | 'lat' | 'lng'>): Promise<IntakeContext> {
  const category = await findCategoryByCode(deps.db, input.categoryCode);
  if (!category || !category.active) throw new Problem('VALIDATION_FAILED', { field: 'categoryCode', reason: `unknown category ${input.categoryCode}` });
  if (!category.parentId) throw new Problem('VALIDATION_FAILED', { field: 'categoryCode', reason: 'choose a 小类 (4-digit code), not a 大类' });
  const place = await locatePlace(deps, input.lng, input.lat);
  if (!place) throw new Problem('OUTSIDE_GRIDS', { field: 'lat' });
  if (actor) {
    // The location must lie in the reporter's street (or the reporter's scope must hold that street).
    const street = await caseRepo.orgPath(deps.db, place.streetId);
    const p = street?.path ?? '';
    if (!(actor.user.orgPath.startsWith(p) || p.startsWith(actor.user.orgPath))) throw new Problem('OUTSIDE_GRIDS', { field: 'lat' });
  }
  const settings = await loopSettings(deps.db);
  const nearestPointId = await nearestPoint(deps.db, place.streetId, input.lng, input.lat, settings.pointMatchRadiusM);
  return { category, place, settings, nearestPointId };
}

/** Open cases of the same category near a location: offered for merging before a report is filed (查重). */
export async function findNearbyOpen(db: Executor, categoryCode: string, lng: number, lat: number, radiusM: number, visibleTo?: AuthUser): Promise<NearbyCase[]> {
  const rows = await caseRepo.near(db, { categoryCode, box: boxAround(lng, lat, radiusM), statuses: OPEN_STATES, limit: 20 });
  return rows
    .filter((r) => !visibleTo || canSeeCase(visibleTo, r))
    .map((r) => ({ id: r.id, caseNo: r.case_no, status: r.status, distanceM: Math.round(haversineMeters([lng, lat], [r.lng, r.lat])), description: r.description, createdAt: r.created_at }))
    .filter((r) => r.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM);
}


export function actorEventFields(actor: Actor | null) {
  return { actorId: actor?.user.id ?? null, actorName: actor ? actor.user.displayName : null, actorOrg: actor?.user.orgName ?? null };
}

export function caseNumber(id: number, at: Date) {
  return `WM${beijingDate(at).replace(/-/g, '').slice(2)}${String(id).padStart(6, '0')}`;
}

export interface IntakeResult {
  caseId: number;
  created: boolean;
  duplicates: NearbyCase[];
  rebound: { ofCaseId: number; spotFlagged: boolean } | null;
}

/**
 * Enters one problem. `actor` is null for anonymous doors (the citizen page, Open311), which pass their own
 * source. Runs its own transaction unless given one: a batch (an Excel import) passes its open transaction `trx`
 * and the `ctx` it prepared before opening it, so that every row commits or none does.
 */
export async function intakeCase(deps: Deps, actor: Actor | null, input: IntakeInput, ctx?: IntakeContext, trx?: Transaction<Database>): Promise<IntakeResult> {
  // On SQLite a read through deps.db while the caller's transaction is open waits for it forever.
  if (trx && !ctx) throw new Error('intakeCase in a caller\'s transaction needs the context prepared before it (prepareIntake)');
  if (actor && !SOURCE_ROLES[input.source].includes(actor.user.role)) throw new Problem('FORBIDDEN');
  if (input.dispatch) {
    if (!actor || !DISPATCH_NOW_ROLES.includes(actor.user.role)) throw new Problem('FORBIDDEN');
    if (SOURCES_REQUIRING_VERIFICATION.includes(input.source)) {
      throw new Problem('VALIDATION_FAILED', { field: 'dispatch', reason: `reports from ${input.source} are verified on site before filing` });
    }
  }
  if (input.source === 'supervision' && !input.sourceLevel) throw new Problem('VALIDATION_FAILED', { field: 'sourceLevel', reason: 'a supervision notice names its level (city, district or street)' });
  if (input.idempotencyKey) {
    const existing = await caseRepo.byIdempotencyKey(trx ?? deps.db, input.idempotencyKey);
    if (existing) return { caseId: existing.id, created: false, duplicates: [], rebound: null };
  }
  const { category, place, settings, nearestPointId } = ctx ?? (await prepareIntake(deps, actor, input));
  const calendar = input.dispatch ? await workCalendar(trx ?? deps.db) : null;
  const now = new Date();
  const at = now.toISOString();

  const write = async (trx: Transaction<Database>): Promise<IntakeResult> => {
    let pointId = input.pointId ?? null;
    if (pointId) {
      const p = await trx.selectFrom('points').select(['id', 'street_id', 'active']).where('id', '=', pointId).executeTakeFirst();
      if (!p || p.street_id !== place.streetId || !p.active) throw new Problem('VALIDATION_FAILED', { field: 'pointId', reason: 'no such point in this street' });
    } else pointId = nearestPointId;
    let mergeTarget: Awaited<ReturnType<typeof caseRepo.byId>> | null = null;
    if (input.mergeIntoId) {
      mergeTarget = (await caseRepo.byId(trx, input.mergeIntoId)) ?? null;
      if (!mergeTarget || mergeTarget.street_id !== place.streetId || !OPEN_STATES.includes(mergeTarget.status as never) || mergeTarget.category_code !== category.code) {
        throw new Problem('VALIDATION_FAILED', { field: 'mergeIntoId', reason: 'not an open case of this category in this street' });
      }
    }
    const duplicates = mergeTarget ? [] : await findNearbyOpen(trx, category.code, input.lng, input.lat, settings.duplicateRadiusM, actor?.user);

    // 反弹: the same category closed nearby within N days.
    const closedSince = new Date(now.getTime() - settings.reboundDays * 86400_000).toISOString();
    const closedNear = mergeTarget
      ? []
      : (await caseRepo.near(trx, { categoryCode: category.code, box: boxAround(input.lng, input.lat, settings.reboundRadiusM), statuses: ['closed'], closedSince, limit: 5 }))
          .filter((r) => haversineMeters([input.lng, input.lat], [r.lng, r.lat]) <= settings.reboundRadiusM)
          .sort((a, b) => (b.closed_at ?? '').localeCompare(a.closed_at ?? ''));
    const reboundOf = closedNear[0] ?? null;

    const routing = await resolveResponsibleUnit(trx, { categoryCode: category.code, pointId, location: place });
    let unitId = routing.unit?.id ?? null;
    if (input.dispatch && input.unitId) unitId = input.unitId;
    const unit = unitId ? await caseRepo.orgPath(trx, unitId) : null;
    if (input.dispatch && input.unitId && (!unit || !unit.active || (actor && !unit.path.startsWith(actor.user.orgPath) && !actor.user.orgPath.startsWith(unit.path)))) {
      throw new Problem('VALIDATION_FAILED', { field: 'unitId', reason: 'no such unit' });
    }
    const routingNote = routing.level ? `${routing.level}${routing.ruleId ? `#${routing.ruleId}` : ''}` : null;

    let status = 'reported';
    let deadline: string | null = null;
    let deadlineWarning: string | null = null;
    if (mergeTarget) status = 'merged';
    else if (input.dispatch) {
      if (!unit) throw new Problem('VALIDATION_FAILED', { field: 'unitId', reason: 'the 责任清单 names no unit here; choose one' });
      status = 'dispatched';
      if (category.timeLimit && calendar) {
        const d = computeDeadline(calendar, now, category.timeLimit);
        deadline = d.deadline.toISOString();
        deadlineWarning = d.warnings.map((w) => w.messageZh).join('；') || null;
      }
    }

    const caseId = await caseRepo.insert(trx, {
      case_no: `tmp-${randomBytes(8).toString('hex')}`,
      status,
      version: 1,
      source: input.source,
      source_level: input.sourceLevel ?? null,
      source_ref: input.sourceRef ?? null,
      category_code: category.code,
      category_kind: category.kind,
      description: input.description.trim(),
      address: input.address?.trim() || null,
      lat: input.lat,
      lng: input.lng,
      point_id: pointId,
      grid_id: place.gridId,
      micro_grid_id: place.microGridId,
      community_id: place.communityId,
      street_id: place.streetId,
      org_path: place.gridPath,
      reporter_id: actor?.user.id ?? null,
      reporter_name: input.reporterName ?? actor?.user.displayName ?? null,
      reporter_phone: input.reporterPhone ?? null,
      unit_id: unit?.id ?? null,
      unit_path: unit?.path ?? null,
      routing_rule_id: routing.ruleId,
      routing_note: routingNote,
      deadline,
      deadline_warning: deadlineWarning,
      dispatched_at: status === 'dispatched' ? at : null,
      pending_extension: null,
      mark: null,
      overdue: 0,
      reminder_level: 0,
      escalation_level: 0,
      supervised: 0,
      supervised_at: null,
      rework_count: 0,
      return_count: 0,
      extension_count: 0,
      reopen_count: 0,
      is_rebound: reboundOf ? 1 : 0,
      rebound_of_id: reboundOf?.id ?? null,
      rebound_unit_id: reboundOf?.unit_id ?? null,
      merged_into_id: mergeTarget?.id ?? null,
      merged_count: 0,
      handled_at: null,
      handled_on_time: null,
      closed_at: null,
      closed_on_time: null,
      checker_id: null,
      idempotency_key: input.idempotencyKey ?? null,
      created_by: actor?.user.id ?? null,
      created_at: at,
      updated_at: at,
    });
    await caseRepo.setCaseNo(trx, caseId, caseNumber(caseId, now));
    const who = actorEventFields(actor);
    await caseRepo.insertEvent(trx, {
      caseId,
      at,
      ...who,
      action: 'report',
      from: null,
      to: 'reported',
      note: input.description.trim().slice(0, 200),
      data: { source: input.source, sourceLevel: input.sourceLevel ?? null, pointId, routing: { unitId: routing.unit?.id ?? null, level: routing.level, ruleId: routing.ruleId }, duplicates: duplicates.map((d) => d.id) },
    });
    if (status === 'dispatched') {
      await caseRepo.insertEvent(trx, { caseId, at, ...who, action: 'file', from: 'reported', to: 'filed' });
      await caseRepo.insertEvent(trx, { caseId, at, ...who, action: 'dispatch', from: 'filed', to: 'dispatched', data: { unitId: unit!.id, unitName: unit!.name, routing: routingNote }, deadline });
    }
    let spotFlagged = false;
    if (reboundOf) {
      const spot = await caseRepo.bumpReboundSpot(trx, {
        categoryCode: category.code,
        pointId,
        lat: input.lat,
        lng: input.lng,
        gridId: place.gridId,
        orgPath: place.gridPath,
        caseId,
        radiusDeg: settings.reboundRadiusM / 111_320,
        flagAt: settings.reboundFlagCount,
        now: at,
      });
      spotFlagged = spot.flagged;
      await caseRepo.insertEvent(trx, { caseId, at, ...who, action: 'rebound', from: null, to: null, data: { ofCaseId: reboundOf.id, ofCaseNo: reboundOf.case_no, unitId: reboundOf.unit_id, spotId: spot.id, spotCount: spot.count, flagged: spot.flagged } });
    }
    if (mergeTarget) {
      await caseRepo.insertEvent(trx, { caseId, at, ...who, action: 'merge', from: 'reported', to: 'merged', data: { targetCaseId: mergeTarget.id, targetCaseNo: mergeTarget.case_no } });
      await caseRepo.bumpMergedCount(trx, mergeTarget.id, at);
      await caseRepo.insertEvent(trx, { caseId: mergeTarget.id, at, ...who, action: 'merged_in', from: null, to: null, data: { caseId, source: input.source } });
    }
    if (input.photoIds?.length) await linkPhotos(trx, input.photoIds, 'case', caseId, 'before', actor);
    return { caseId, created: true, duplicates, rebound: reboundOf ? { ofCaseId: reboundOf.id, spotFlagged } : null };
  };

  if (trx) return write(trx);
  try {
    const result = await deps.db.transaction().execute(write);
    deps.notify('cases.changed', { caseId: result.caseId, action: 'report' });
    return result;
  } catch (err) {
    // Two retries racing with one idempotency key: the loser answers with the winner's case.
    if (input.idempotencyKey && /unique|duplicate key/i.test(String((err as Error).message))) {
      const existing = await caseRepo.byIdempotencyKey(deps.db, input.idempotencyKey);
      if (existing) return { caseId: existing.id, created: false, duplicates: [], rebound: null };
    }
    throw err;
  }
}
