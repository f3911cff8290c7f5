// Calls of the inspections API (docs/inspections.md) used by the planning pages and the phone page.
import { api, downloadUrl, type Query } from '../../api/client.js';
import type { Kit, PlanKind, PlanStatus } from '../../lib/offline/types.js';

export type { Kit, PlanKind, PlanStatus };

export interface Progress {
  done: number;
  total: number;
}

export interface PlanInspector {
  id: number;
  username: string;
  displayName: string;
  role: string;
  /** Points assigned to this inspector, and how many are done. */
  pointCount: number;
  doneCount: number;
}

export interface PlanSummary {
  id: number;
  planNo: string;
  title: string;
  kind: PlanKind;
  kindName?: string;
  status: PlanStatus;
  statusName?: string;
  startsOn: string;
  endsOn: string;
  note: string | null;
  basedOnPlanId: number | null;
  standardVersionId: number;
  inspectorCount: number;
  pointCount: number;
  doneCount: number;
  progress: Progress;
  version: number;
  createdAt?: string;
  updatedAt?: string;
  /** In GET /inspections/mine: my share of the points. */
  myPointCount?: number;
  myDoneCount?: number;
}

export interface PlanPoint {
  pointId: number;
  name: string;
  typeCode: string;
  typeName: string;
  address: string | null;
  communityId: number;
  communityName: string;
  lat: number;
  lng: number;
  seq: number;
  inspectorId: number | null;
  inspectorName: string | null;
  done: boolean;
  resultId: number | null;
  earned: number | null;
  possible: number | null;
  rate: number | null;
  checkinFar: boolean;
}

export type PlanAction = 'activate' | 'close' | 'reopen';

export interface Plan extends PlanSummary {
  points: PlanPoint[];
  inspectors: PlanInspector[];
  sampling: { seed: string; total: number; minPerType: number; shares: Record<string, number> | null; pointTypes: string[]; communityIds: number[] | null; shortfall: number } | null;
  /** Actions the caller may take now (planners only). */
  actions: PlanAction[];
  canPlan: boolean;
  isInspector: boolean;
  editable: { details: boolean; points: boolean; inspectors: boolean; reassign: boolean; results: boolean };
}

export interface RateRow {
  earned: number;
  possible: number;
  rate: number | null;
}

export interface ScoreGroup extends RateRow {
  key: string;
  name: string;
  points?: number;
  results?: number;
  failed?: number;
  rank?: number;
  code?: string;
  typeName?: string;
  communityName?: string;
}

export interface ScoreDelta {
  key: string;
  name: string;
  current: number | null;
  previous: number | null;
  delta: number | null;
}

export interface Scores {
  inspectedPoints: number;
  totalPoints: number;
  overall: RateRow;
  byPointType: ScoreGroup[];
  byCommunity: ScoreGroup[];
  byItem: ScoreGroup[];
  byPoint: ScoreGroup[];
  previous: { planId: number; planNo: string; title: string; overall: RateRow } | null;
  delta: { overall: number | null; byPointType: ScoreDelta[]; byCommunity: ScoreDelta[]; byItem: ScoreDelta[] } | null;
}

export interface ResultPhoto {
  id: number;
  urls: { original: string; large: string; thumb: string };
}

export interface ResultItemView {
  code: string;
  text: string;
  observation: { passed?: boolean; count?: number; occurrences?: number; fixedOnSpot?: number; notApplicable?: boolean };
  earned: number;
  possible: number;
  failed: boolean;
  fixedOnSpot: number;
  explanation: string;
  note: string | null;
  caseId: number | null;
  caseNo: string | null;
  caseStatus: string | null;
  photos: ResultPhoto[];
}

export interface ResultView extends RateRow {
  id: number;
  planId: number;
  pointId: number;
  pointName: string;
  inspectorName: string | null;
  checkin: { lat: number; lng: number; at: string | null; distanceM: number | null; far: boolean } | null;
  inspectedAt: string;
  note: string | null;
  items: ResultItemView[];
  caseIds: number[];
}

export interface PlanInput {
  title: string;
  kind: PlanKind;
  startsOn: string;
  endsOn: string;
  note?: string;
  inspectorIds: number[];
}

export interface SampleInput {
  seed?: string;
  total: number;
  minPerType?: number;
  shares?: Record<string, number>;
  pointTypes?: string[];
  communityIds?: number[];
}

const base = '/inspections/plans';

export const inspectionsApi = {
  plans: (query: Query) => api.get<{ items: PlanSummary[]; total: number }>(base, query),
  plan: (id: number) => api.get<Plan>(`${base}/${id}`),
  create: (input: PlanInput) => api.post<Plan>(base, input),
  update: (plan: Pick<Plan, 'id' | 'version'>, input: Partial<PlanInput>) => api.patch<Plan>(`${base}/${plan.id}`, { version: plan.version, ...input }),
  sample: (plan: Pick<Plan, 'id' | 'version'>, input: SampleInput) => api.post<Plan>(`${base}/${plan.id}/sample`, { version: plan.version, ...input }),
  pick: (plan: Pick<Plan, 'id' | 'version'>, pointIds: number[]) => api.post<Plan>(`${base}/${plan.id}/points`, { version: plan.version, pointIds }),
  reassign: (plan: Pick<Plan, 'id' | 'version'>, pointId: number, inspectorId: number) =>
    api.put<Plan>(`${base}/${plan.id}/points/${pointId}/inspector`, { version: plan.version, inspectorId }),
  transition: (plan: Pick<Plan, 'id' | 'version'>, action: PlanAction) =>
    api.post<Plan>(`${base}/${plan.id}/transitions`, { version: plan.version, action }),
  revisit: (plan: Pick<Plan, 'id'>) => api.post<Plan>(`${base}/${plan.id}/revisit`, {}),
  remove: (plan: Pick<Plan, 'id' | 'version'>) => api.del<unknown>(`${base}/${plan.id}?version=${plan.version}`),
  scores: (id: number) => api.get<Scores>(`${base}/${id}/scores`),
  result: (id: number) => api.get<ResultView>(`/inspections/results/${id}`),
  mine: () => api.get<{ items: PlanSummary[] }>('/inspections/mine'),
  kit: (id: number) => api.get<Kit>(`${base}/${id}/kit`),
  reportUrl: (id: number, format: 'docx' | 'xlsx') => downloadUrl(`${base}/${id}/report.${format}`),
};
