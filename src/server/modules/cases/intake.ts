// 信息收集: a problem enters the loop from any source. One transaction writes the case, its first event and its
// photo links; duplicates nearby are offered, rebounds linked, the responsible unit proposed by the 责任清单.
import type { Transaction } from 'kysely';
import type { Actor, AuthUser, Deps, Executor } from '../../lib/context.js';
import type { CaseEventRow, Database } from '../../db/schema.js';
import { groupCommit } from '../../db/group-commit.js';
import { Problem } from '../../errors.js';
import { DISPATCH_NOW_ROLES, OPEN_STATES, SOURCE_ROLES, SOURCES_REQUIRING_VERIFICATION, type CaseSource, type SourceLevel } from '../../../core/cases/index.js';
import { computeDeadline } from '../../../core/calendar/index.js';
import { nearestPoint } from '../places/point-cache.js';
import { locatePlace, memoIsCurrent, resolveWithMemo, routingMemo, type RoutingMemo } from '../routing/service.js';
import { findCategoryByCode, type CategoryForCase } from '../categories/service.js';
import { caseRepo } from './repo.js';
import type { CaseWithNames } from './present.js';
import { NEARBY_LIMIT, nearbyOpen, writeIntake, type IntakePlan, type IntakeWritten, type ReboundOf } from './intake-write.js';

export { actorEventFields, caseNumber, type ReboundOf } from './intake-write.js';
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
  /** Orgs and 责任清单 resolutions already made (see routingMemo); without it intake resolves through SQL. */
  memo?: RoutingMemo;
}

/** Everything intake reads outside the transaction (on SQLite, reads through deps.db inside one would wait on it). */
export async function prepareIntake(deps: Deps, actor: Actor | null, input: Pick<IntakeInput, 'categoryCode' | 'lat' | 'lng'>): Promise<IntakeContext> {
  const category = await findCategoryByCode(deps.db, input.categoryCode);
  if (!category || !category.active) throw new Problem('VALIDATION_FAILED', { field: 'categoryCode', reason: `unknown category ${input.categoryCode}` });
  if (!category.parentId) throw new Problem('VALIDATION_FAILED', { field: 'categoryCode', reason: 'choose a 小类 (4-digit code), not a 大类' });
  const place = await locatePlace(deps, input.lng, input.lat);
  if (!place) throw new Problem('OUTSIDE_GRIDS', { field: 'lat' });
  const memo = await routingMemo(deps.db);
  if (actor) {
    // The location must lie in the reporter's street (or the reporter's scope must hold that street).
    const street = memo.orgs.get(place.streetId) ?? (await caseRepo.orgPath(deps.db, place.streetId));
    const p = street?.path ?? '';
    if (!(actor.user.orgPath.startsWith(p) || p.startsWith(actor.user.orgPath))) throw new Problem('OUTSIDE_GRIDS', { field: 'lat' });
  }
  const settings = await loopSettings(deps.db);
  const nearestPointId = await nearestPoint(deps.db, place.streetId, input.lng, input.lat, settings.pointMatchRadiusM);
  return { category, place, settings, nearestPointId, memo };
}

/** Open cases of the same category near a location: offered for merging before a report is filed (查重). */
export async function findNearbyOpen(db: Executor, categoryCode: string, lng: number, lat: number, radiusM: number, visibleTo?: AuthUser): Promise<NearbyCase[]> {
  const rows = await caseRepo.near(db, { categoryCode, box: boxAround(lng, lat, radiusM), statuses: OPEN_STATES, limit: NEARBY_LIMIT });
  return nearbyOpen(rows, lng, lat, radiusM, visibleTo);
}

export interface IntakeResult {
  caseId: number;
  created: boolean;
  duplicates: NearbyCase[];
  rebound: { ofCaseId: number; spotFlagged: boolean } | null;
  /**
   * A new case as stored, with the names a reader sees, its events and the case it is a rebound of: enough to
   * answer the request without reading it back. Absent when an idempotency key found an earlier case.
   */
  stored?: { row: CaseWithNames; events: CaseEventRow[]; eventData: unknown[]; reboundOf: ReboundOf | null; withPhotos: boolean };
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
  const { category, place, settings, nearestPointId, memo } = ctx ?? (await prepareIntake(deps, actor, input));
  const calendar = input.dispatch ? await workCalendar(trx ?? deps.db) : null;
  const now = new Date();

  // Everything the write needs that no other write can change meanwhile is settled here, before the transaction.
  // Orgs or rules written in this process since the memo was taken: the write reads units and names itself.
  const orgs = memo && memoIsCurrent(memo) ? memo.orgs : null;
  const routing = await resolveWithMemo(memo ?? null, trx ?? deps.db, { categoryCode: category.code, pointId: input.pointId ?? nearestPointId, location: place }, category);
  const deadline = calendar && category.timeLimit ? computeDeadline(calendar, now, category.timeLimit) : null;
  const plan: IntakePlan = {
    input,
    actor,
    place,
    category: { code: category.code, kind: category.kind },
    settings,
    nearestPointId,
    routing,
    known: orgs && { unit: routing.unit ? (orgs.get(routing.unit.id) ?? null) : null, communityName: orgs.get(place.communityId)?.name ?? null, gridName: orgs.get(place.gridId)?.name ?? null },
    deadline: deadline && { at: deadline.deadline.toISOString(), warning: deadline.warnings.map((w) => w.messageZh).join('；') || null },
    nowMs: now.getTime(),
  };
  const created = (w: IntakeWritten): IntakeResult => ({ ...w, created: true });

  if (trx) return created(await writeIntake(trx, plan));
  try {
    // SQLite: in a transaction shared with the other reports arriving at the same moment; PostgreSQL: a
    // transaction of its own. Either way answered after the commit.
    const result = created(await groupCommit(deps.db, (t) => writeIntake(t, plan)));
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
