// Calls and shapes of the closed loop (问题闭环): cases, their transitions, photos, 查重 and 反弹点. The server's
// contract lives in src/server/modules/cases/{routes,schema,present,queries}.ts; the state machine is shared
// (src/core/cases), so states and actions are the same names on both sides.
import type { CaseAction, CaseMark, CaseState } from '../../core/cases/index.js';
import type { TimeLimitUnit } from '../../core/categories.js';
import { api, type Query } from './client.js';
import type { Id, Page } from './types.js';

export { CASE_SOURCES, SOURCE_LEVELS, type CaseSource, type SourceLevel } from '../../core/cases/index.js';
import type { CaseSource, SourceLevel } from '../../core/cases/index.js';
import type { PhotoView } from '../../core/photo-views.js';

/** Workbench lists of GET /cases?queue=… */
export type CaseQueue = 'dispatch' | 'unit' | 'verify' | 'check' | 'supervised' | 'overdue' | 'hung' | 'mine';

export interface PendingExtension {
  newDeadline: string | null;
  extensionHours: number | null;
  mark: CaseMark | null;
  reason: string | null;
  requestedAt: string;
}

export interface CaseItem {
  id: number;
  caseNo: string;
  status: CaseState;
  version: number;
  source: CaseSource;
  sourceLevel: SourceLevel | null;
  sourceRef: string | null;
  categoryCode: string;
  categoryKind: string | null;
  description: string;
  address: string | null;
  lat: number;
  lng: number;
  pointId: number | null;
  pointName: string | null;
  gridId: number | null;
  gridName: string | null;
  microGridId: number | null;
  communityId: number | null;
  communityName: string | null;
  streetId: number | null;
  unitId: number | null;
  unitName: string | null;
  routingNote: string | null;
  deadline: string | null;
  /** The calendar's warning when the deadline falls in a year without official holiday data. */
  deadlineWarning: string | null;
  /** Work minutes until the deadline (negative when late); null when the case runs against no deadline. */
  remainingMinutes: number | null;
  dispatchedAt: string | null;
  pendingExtension: PendingExtension | null;
  mark: CaseMark | null;
  overdue: boolean;
  reminderLevel: number;
  escalationLevel: number;
  supervised: boolean;
  reworkCount: number;
  returnCount: number;
  extensionCount: number;
  reopenCount: number;
  isRebound: boolean;
  reboundOfId: number | null;
  mergedIntoId: number | null;
  mergedCount: number;
  handledAt: string | null;
  handledOnTime: boolean | null;
  closedAt: string | null;
  closedOnTime: boolean | null;
  reporterId: number | null;
  reporterName: string | null;
  reporterPhone: string | null;
  createdAt: string;
  updatedAt: string;
  /** What the caller may do now (the server decides; the UI only shows these). */
  actions: CaseAction[];
}

export interface CaseEvent {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  actorOrg: string | null;
  /** A transition action, or one of report, rebound, merged_in, remind, overdue, escalate. */
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
  deadline: string | null;
}

export type { PhotoView };

export interface CaseDetail extends CaseItem {
  events: CaseEvent[];
  photos: { before: PhotoView[]; after: PhotoView[]; evidence: PhotoView[] };
  mergedCases: { id: number; caseNo: string; createdAt: string; source: CaseSource; reporterName: string | null }[];
  reboundOf: { id: number; caseNo: string; closedAt: string | null } | null;
}

export interface NearbyCase {
  id: number;
  caseNo: string;
  status: CaseState;
  distanceM: number;
  description: string;
  createdAt: string;
}

export interface ReboundSpot {
  id: number;
  categoryCode: string;
  pointId: number | null;
  lat: number;
  lng: number;
  gridId: number | null;
  reboundCount: number;
  flagged: boolean;
  lastCaseId: number | null;
  updatedAt: string;
}

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
  idempotencyKey?: string | null;
  mergeIntoId?: number | null;
  dispatch?: boolean;
  unitId?: number | null;
}

export interface IntakeReply extends CaseDetail {
  duplicates: NearbyCase[];
  rebound: { ofCaseId: number; spotFlagged: boolean } | null;
}

export interface TransitionRequest {
  action: CaseAction;
  version: number;
  reason?: string;
  note?: string;
  photoIds?: number[];
  measures?: string;
  extensionHours?: number;
  newDeadline?: string;
  mark?: CaseMark;
  unitId?: number | null;
  targetCaseId?: number;
}

/** A unit that returned a case may no longer see it: the step succeeded all the same. */
export type TransitionReply = CaseDetail | { id: number; visible: false };

export interface DeadlinePreview {
  start: string;
  deadline: string;
  startsOutsideWorkTime: boolean;
  warnings: { code: string; year: number; message: string; messageZh: string }[];
  daysOff: { date: string; reason: string; name: string | null }[];
}

export const caseApi = {
  list: (query: Query) => api.get<Page<CaseItem>>('/cases', query),
  get: (id: Id) => api.get<CaseDetail>(`/cases/${id}`),
  report: (input: IntakeInput) => api.post<IntakeReply>('/cases', input),
  transition: (id: Id, request: TransitionRequest) => api.post<TransitionReply>(`/cases/${id}/transitions`, request),
  nearby: (query: { categoryCode: string; lat: number; lng: number; radiusM?: number }) =>
    api.get<{ radiusM: number; items: NearbyCase[] }>('/cases/nearby', query),
  reboundSpots: (flagged = true) => api.get<ReboundSpot[]>('/rebound-spots', { flagged }),
  deadlinePreview: (unit: TimeLimitUnit | string, value: number) =>
    api.get<DeadlinePreview>('/calendar/deadline-preview', { unit, value }),
};

export const photoApi = {
  upload: (file: File | Blob, purpose: 'before' | 'after' | 'evidence', fileName?: string) =>
    api.upload<PhotoView & { items: PhotoView[] }>(`/photos?purpose=${purpose}`, file, fileName),
};

export function isVisibleDetail(reply: TransitionReply): reply is CaseDetail {
  return !('visible' in reply && reply.visible === false);
}
