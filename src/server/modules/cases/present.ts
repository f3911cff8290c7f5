// Cases leave the server only through these presenters: names instead of ids where people read them, phones masked.
import type { AuthUser } from '../../lib/context.js';
import type { CaseEventRow, CaseRow } from '../../db/schema.js';
import { PHONE_VISIBLE_ROLES, maskPhone } from '../../../core/roles.js';
import { remainingWorkTime, type WorkCalendar } from '../../../core/calendar/index.js';

export type CaseWithNames = CaseRow & { unit_name: string | null; community_name: string | null; grid_name: string | null; point_name: string | null };

export function presentCase(c: CaseWithNames, viewer: AuthUser, calendar: WorkCalendar | null, now = Date.now()) {
  const seesPhone = PHONE_VISIBLE_ROLES.includes(viewer.role);
  let remainingMinutes: number | null = null;
  if (c.deadline && calendar && !['closed', 'rejected', 'merged', 'hung', 'returned'].includes(c.status)) {
    remainingMinutes = Math.round(remainingWorkTime(calendar, now, c.deadline) / 60000);
  }
  return {
    id: c.id,
    caseNo: c.case_no,
    status: c.status,
    version: c.version,
    source: c.source,
    sourceLevel: c.source_level,
    sourceRef: c.source_ref,
    categoryCode: c.category_code,
    categoryKind: c.category_kind,
    description: c.description,
    address: c.address,
    lat: c.lat,
    lng: c.lng,
    pointId: c.point_id,
    pointName: c.point_name,
    gridId: c.grid_id,
    gridName: c.grid_name,
    microGridId: c.micro_grid_id,
    communityId: c.community_id,
    communityName: c.community_name,
    streetId: c.street_id,
    unitId: c.unit_id,
    unitName: c.unit_name,
    routingNote: c.routing_note,
    deadline: c.deadline,
    deadlineWarning: c.deadline_warning,
    remainingMinutes,
    dispatchedAt: c.dispatched_at,
    pendingExtension: c.pending_extension ? JSON.parse(c.pending_extension) : null,
    mark: c.mark,
    overdue: c.overdue === 1,
    reminderLevel: c.reminder_level,
    escalationLevel: c.escalation_level,
    supervised: c.supervised === 1,
    reworkCount: c.rework_count,
    returnCount: c.return_count,
    extensionCount: c.extension_count,
    reopenCount: c.reopen_count,
    isRebound: c.is_rebound === 1,
    reboundOfId: c.rebound_of_id,
    mergedIntoId: c.merged_into_id,
    mergedCount: c.merged_count,
    handledAt: c.handled_at,
    handledOnTime: c.handled_on_time === null ? null : c.handled_on_time === 1,
    closedAt: c.closed_at,
    closedOnTime: c.closed_on_time === null ? null : c.closed_on_time === 1,
    reporterId: c.reporter_id,
    reporterName: c.reporter_name,
    reporterPhone: seesPhone ? c.reporter_phone : maskPhone(c.reporter_phone),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}
export type CaseView = ReturnType<typeof presentCase>;

/** `data`: the event's data as written, when the caller still holds it (saves parsing the stored JSON). */
export function presentEvent(e: CaseEventRow, data?: unknown) {
  return {
    id: e.id,
    at: e.at,
    actorId: e.actor_id,
    actorName: e.actor_name,
    actorOrg: e.actor_org,
    action: e.action,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    note: e.note,
    data: data !== undefined ? (data ?? null) : e.data ? JSON.parse(e.data) : null,
    deadline: e.deadline,
  };
}
