// The write half of intake: everything that must happen inside the transaction (the checks that read what other
// writes may have just changed, the duplicate and rebound searches, the case row, its events, the rebound spot,
// the merge, the photo links). Everything that no concurrent write can change (category, place, 责任清单
// resolution, deadline by the work calendar, names) is settled before, in a plan of plain data, which keeps the
// shared transaction short. The same code runs in a group commit or in a caller's transaction (imports).
import type { Actor, AuthUser, Executor } from '../../lib/context.js';
import type { CaseEventRow } from '../../db/schema.js';
import { Problem } from '../../errors.js';
import { OPEN_STATES } from '../../../core/cases/index.js';
import { beijingDate } from '../../../core/calendar/index.js';
import { haversineMeters } from '../../../core/geo/index.js';
import type { PlaceLocation, Resolution, OrgLite } from '../routing/service.js';
import type { IntakeInput, NearbyCase } from './intake.js';
import type { LoopSettings } from './settings.js';
import type { CaseWithNames } from './present.js';
import { canSeeCase } from './access.js';
import { linkPhotos } from '../photos/service.js';
import { caseRepo, FRESH_CASE, type NewCaseEvent } from './repo.js';
import { boxAround } from './geo.js';

export const NEARBY_LIMIT = 20;
export const REBOUND_CANDIDATES = 5;

export interface IntakePlan {
  input: IntakeInput;
  actor: Actor | null;
  place: PlaceLocation;
  category: { code: string; kind: string };
  settings: LoopSettings;
  /** 点位匹配 by location, used when the report names no point. */
  nearestPointId: number | null;
  /** The 责任清单's answer for this category at the report's point and place. */
  routing: Resolution;
  /** What the per-process org cache knew: the routed unit's row and the place's names; null: read them here. */
  known: { unit: OrgLite | null; communityName: string | null; gridName: string | null } | null;
  /** For dispatch at once: the deadline by the work calendar (computed beforehand, it needs no database). */
  deadline: { at: string; warning: string | null } | null;
  nowMs: number;
}

export interface ReboundOf {
  id: number;
  case_no: string;
  closed_at: string | null;
  org_path: string;
  unit_path: string | null;
  reporter_id: number | null;
}

export interface IntakeWritten {
  caseId: number;
  duplicates: NearbyCase[];
  rebound: { ofCaseId: number; spotFlagged: boolean } | null;
  stored: { row: CaseWithNames; events: CaseEventRow[]; eventData: unknown[]; reboundOf: ReboundOf | null; withPhotos: boolean };
}

export function actorEventFields(actor: Actor | null) {
  return { actorId: actor?.user.id ?? null, actorName: actor ? actor.user.displayName : null, actorOrg: actor?.user.orgName ?? null };
}

export function caseNumber(id: number, at: Date) {
  return `WM${beijingDate(at).replace(/-/g, '').slice(2)}${String(id).padStart(6, '0')}`;
}

/** Open cases among `rows` within `radiusM`, as `visibleTo` may see them, nearest first. */
export function nearbyOpen(rows: Awaited<ReturnType<typeof caseRepo.near>>, lng: number, lat: number, radiusM: number, visibleTo?: AuthUser): NearbyCase[] {
  return rows
    .filter((r) => !visibleTo || canSeeCase(visibleTo, r))
    .map((r) => ({ id: r.id, caseNo: r.case_no, status: r.status, distanceM: Math.round(haversineMeters([lng, lat], [r.lng, r.lat])), description: r.description, createdAt: r.created_at }))
    .filter((r) => r.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM);
}

/** Writes one report inside the transaction `trx`. Throws a Problem (and writes nothing) when a check fails. */
export async function writeIntake(trx: Executor, plan: IntakePlan): Promise<IntakeWritten> {
  const { input, actor, place, category, settings, nearestPointId, routing, known } = plan;
  const now = new Date(plan.nowMs);
  const at = now.toISOString();
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
  // 查重: open cases of the same category nearby; 反弹: the same category closed nearby within N days. One query.
  const closedSince = new Date(now.getTime() - settings.reboundDays * 86400_000).toISOString();
  const near = mergeTarget
    ? null
    : await caseRepo.nearOpenAndClosed(trx, {
        categoryCode: category.code,
        openBox: boxAround(input.lng, input.lat, settings.duplicateRadiusM),
        openLimit: NEARBY_LIMIT,
        closedBox: boxAround(input.lng, input.lat, settings.reboundRadiusM),
        closedSince,
        closedLimit: REBOUND_CANDIDATES,
      });
  const duplicates = near ? nearbyOpen(near.open, input.lng, input.lat, settings.duplicateRadiusM, actor?.user) : [];
  const closedNear = (near?.closed ?? [])
    .filter((r) => haversineMeters([input.lng, input.lat], [r.lng, r.lat]) <= settings.reboundRadiusM)
    .sort((a, b) => (b.closed_at ?? '').localeCompare(a.closed_at ?? ''));
  const reboundOf = closedNear[0] ?? null;

  let unitId = routing.unit?.id ?? null;
  if (input.dispatch && input.unitId) unitId = input.unitId;
  // A unit chosen by hand is read in the transaction; the 责任清单's comes with the plan when the cache had it.
  const unit = !unitId ? null : (unitId !== input.unitId && known?.unit?.id === unitId ? known.unit : null) || (await caseRepo.orgPath(trx, unitId));
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
    deadline = plan.deadline?.at ?? null;
    deadlineWarning = plan.deadline?.warning ?? null;
  }

  const row: Omit<CaseWithNames, 'id'> = {
    case_no: '',
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
    ...FRESH_CASE,
    is_rebound: reboundOf ? 1 : 0,
    rebound_of_id: reboundOf?.id ?? null,
    rebound_unit_id: reboundOf?.unit_id ?? null,
    merged_into_id: mergeTarget?.id ?? null,
    idempotency_key: input.idempotencyKey ?? null,
    created_by: actor?.user.id ?? null,
    created_at: at,
    updated_at: at,
    unit_name: unit?.name ?? null,
    community_name: known?.communityName ?? null,
    grid_name: known?.gridName ?? null,
    point_name: null,
  };
  // The insert takes the case's columns from the row (the names ride along for the answer).
  const { id: caseId, caseNo } = await caseRepo.insertNumbered(trx, row, (id) => caseNumber(id, now));
  row.case_no = caseNo;
  const who = actorEventFields(actor);
  const events: NewCaseEvent[] = [];
  events.push({
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
    events.push({ caseId, at, ...who, action: 'file', from: 'reported', to: 'filed' });
    events.push({ caseId, at, ...who, action: 'dispatch', from: 'filed', to: 'dispatched', data: { unitId: unit!.id, unitName: unit!.name, routing: routingNote }, deadline });
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
    events.push({ caseId, at, ...who, action: 'rebound', from: null, to: null, data: { ofCaseId: reboundOf.id, ofCaseNo: reboundOf.case_no, unitId: reboundOf.unit_id, spotId: spot.id, spotCount: spot.count, flagged: spot.flagged } });
  }
  if (mergeTarget) {
    events.push({ caseId, at, ...who, action: 'merge', from: 'reported', to: 'merged', data: { targetCaseId: mergeTarget.id, targetCaseNo: mergeTarget.case_no } });
    await caseRepo.bumpMergedCount(trx, mergeTarget.id, at);
    events.push({ caseId: mergeTarget.id, at, ...who, action: 'merged_in', from: null, to: null, data: { caseId, source: input.source } });
  }
  const eventRows = await caseRepo.insertEvents(trx, events);
  if (input.photoIds?.length) await linkPhotos(trx, input.photoIds, 'case', caseId, 'before', actor);
  if (!known) {
    // No names at hand: read them as a reader would.
    const named = await caseRepo.detail(trx, caseId);
    Object.assign(row, { community_name: named?.community_name ?? null, grid_name: named?.grid_name ?? null, point_name: named?.point_name ?? null });
  } else if (pointId) row.point_name = routing.location.point?.id === pointId ? routing.location.point.name : ((await caseRepo.pointName(trx, pointId)) ?? null);
  return {
    caseId,
    duplicates,
    rebound: reboundOf ? { ofCaseId: reboundOf.id, spotFlagged } : null,
    stored: {
      row: { id: caseId, ...row },
      events: eventRows.filter((e) => e.case_id === caseId),
      eventData: events.filter((e) => e.caseId === caseId).map((e) => e.data ?? null),
      reboundOf: reboundOf && { id: reboundOf.id, case_no: reboundOf.case_no, closed_at: reboundOf.closed_at, org_path: reboundOf.org_path, unit_path: reboundOf.unit_path, reporter_id: reboundOf.reporter_id },
      withPhotos: !!input.photoIds?.length,
    },
  };
}
