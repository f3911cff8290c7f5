// Calls of the inspections API (docs/inspections.md) used by the planning pages and the phone page.
import { api, downloadUrl, type Query } from '../../api/client.js';
import type { Kit, PlanKind, PlanStatus } from '../../lib/offline/types.js';
import type { PlanAction } from '../../../core/inspections/kinds.js';
import type {
  CommunityScoreView,
  ItemScoreView,
  MyPlanSummary,
  MyPlans,
  PlanList,
  PlanPointView as PlanPoint,
  PlanScores as Scores,
  PlanSummary,
  PlanView as Plan,
  PointScoreView,
  RateView as RateRow,
  ResultItemView,
  ResultView,
  SampleInput as CoreSampleInput,
  ScoreDelta,
  ScoreGroupView,
} from '../../../core/inspections/views.js';

// The answers are the server's shapes (src/core/inspections/views.ts), some under the names the pages use.
export type { Kit, MyPlanSummary, Plan, PlanAction, PlanKind, PlanPoint, PlanStatus, PlanSummary, RateRow, ResultItemView, ResultView, ScoreDelta, Scores };

/**
 * A row of any of the four score tables (one table component shows them all): the fields every group has, and the
 * kind-specific ones (a community's rank, an item's code, a point's type and community) as optional.
 */
export type ScoreGroup = RateRow &
  Pick<ScoreGroupView, 'key' | 'name' | 'failed'> &
  Partial<Omit<ScoreGroupView & CommunityScoreView & ItemScoreView & PointScoreView, keyof RateRow | 'key' | 'name' | 'failed'>>;

export interface PlanInput {
  title: string;
  kind: PlanKind;
  startsOn: string;
  endsOn: string;
  note?: string;
  inspectorIds: number[];
}

/** A sampling request; the plan's version is added when it is sent. */
export type SampleInput = Omit<CoreSampleInput, 'version'>;

const base = '/inspections/plans';

export const inspectionsApi = {
  plans: (query: Query) => api.get<PlanList>(base, query),
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
  mine: () => api.get<MyPlans>('/inspections/mine'),
  kit: (id: number) => api.get<Kit>(`${base}/${id}/kit`),
  reportUrl: (id: number, format: 'docx' | 'xlsx') => downloadUrl(`${base}/${id}/report.${format}`),
};
