// The JSON shapes of the inspections API (docs/inspections.md): what the server's inspection routes answer (plans,
// the offline kit, results, scores) and the body of POST /inspections/sync. The server builds them, the web reads
// them; both import them from here. Types only.
import type { Geometry } from '../geo/types.js';
import type { Observation, ScoringRule } from '../standards/rules.js';
import type { LinkedPhoto } from '../photo-views.js';
import type { PLAN_EDITS, PlanAction, PlanKind, PlanStatus } from './kinds.js';
import type { StratumReport } from './sampling.js';

export interface RateView {
  earned: number;
  possible: number;
  /** earned ÷ possible (0–1), null when nothing was possible. */
  rate: number | null;
}

// ---- plans ----------------------------------------------------------------------------------------------------------

export interface SamplingRecord {
  seed: string;
  total: number;
  minPerType: number;
  shares: Record<string, number> | null;
  pointTypes: string[];
  communityIds: number[] | null;
  candidates: number;
  strata: StratumReport[];
  shortfall: number;
  at: string;
}

/** One plan in a list (and the head of every plan view). */
export interface PlanSummary {
  id: number;
  planNo: string;
  kind: PlanKind;
  kindName: string;
  title: string;
  status: PlanStatus;
  statusName: string;
  streetId: number;
  standardVersionId: number;
  startsOn: string;
  endsOn: string;
  note: string | null;
  basedOnPlanId: number | null;
  pointCount: number;
  doneCount: number;
  inspectorCount: number;
  progress: { total: number; done: number };
  activatedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** GET /inspections/plans. */
export interface PlanList {
  items: PlanSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** A plan in GET /inspections/mine, with the caller's own share of its points. */
export interface MyPlanSummary extends PlanSummary {
  myPointCount: number;
  myDoneCount: number;
}

/** GET /inspections/mine. */
export interface MyPlans {
  items: MyPlanSummary[];
}

export interface PlanInspectorView {
  id: number;
  username: string;
  displayName: string;
  role: string;
  /** Points assigned to this inspector, and how many are done. */
  pointCount: number;
  doneCount: number;
}

/** Which point (点位) a row is about, with the names a reader needs. */
export interface PointLabel {
  pointId: number;
  name: string;
  typeCode: string;
  typeName: string;
  communityId: number;
  communityName: string;
}

export interface PlanPointView extends PointLabel {
  /** The point's id (also `pointId`). */
  id: number;
  gridId: number;
  lat: number;
  lng: number;
  address: string | null;
  /** Walking order, 1-based. */
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

/** What the caller may change on the plan now. */
export type PlanEdits = (typeof PLAN_EDITS)[PlanStatus];

export interface PlanView extends PlanSummary {
  sampling: SamplingRecord | null;
  inspectors: PlanInspectorView[];
  points: PlanPointView[];
  /** Actions the caller may take now (planners only). */
  actions: PlanAction[];
  canPlan: boolean;
  /** The caller is an inspector of this plan. */
  isInspector: boolean;
  editable: PlanEdits;
}

// ---- the kit (what the phone caches to work offline) ----------------------------------------------------------------

export interface KitChecklistItem {
  id: number;
  code: string;
  text: string;
  rule: ScoringRule;
  ruleText: string;
  points: number;
  /** Ⅰ / Ⅱ / Ⅲ node names joined by ' / '. */
  nodePath: string;
}

export interface KitPoint {
  id: number;
  name: string;
  typeCode: string;
  typeName: string;
  address: string | null;
  communityName: string;
  lat: number;
  lng: number;
  /** The point's shape: check-in distance is measured to it. */
  geometry: Geometry;
  inspectorId: number | null;
  seq: number;
  done: boolean;
  resultId: number | null;
  /** 回头看: codes of the items that failed here last time and still have open cases. */
  focusItems: string[];
}

export interface Kit {
  plan: PlanSummary;
  standardVersionId: number;
  points: KitPoint[];
  checklists: Record<string, KitChecklistItem[]>;
  /** Check-ins farther than this are flagged. */
  farCheckinM: number;
  generatedAt: string;
}

// ---- sync (POST /inspections/sync) ----------------------------------------------------------------------------------

export interface ResultItemInput {
  code: string;
  passed?: boolean;
  count?: number;
  occurrences?: number;
  fixedOnSpot?: number;
  notApplicable?: boolean;
  note?: string | null;
  photoIds?: number[];
}

/** One queued result; `idempotencyKey` is made by the client, a replay answers 'duplicate'. */
export interface ResultInput {
  idempotencyKey: string;
  planId: number;
  pointId: number;
  checkin: { lat: number; lng: number; at: string } | null;
  inspectedAt: string;
  note?: string | null;
  items: ResultItemInput[];
}

export interface SyncOutcome {
  idempotencyKey: string;
  status: 'created' | 'duplicate' | 'error';
  resultId?: number;
  caseIds?: number[];
  code?: string;
  message?: string;
  field?: string;
}

export interface SyncResponse {
  outcomes: SyncOutcome[];
}

// ---- results --------------------------------------------------------------------------------------------------------

export interface ResultItemView {
  id: number;
  itemId: number;
  code: string;
  text: string;
  observation: Observation;
  earned: number;
  possible: number;
  failed: boolean;
  fixedOnSpot: number;
  explanation: string;
  note: string | null;
  caseId: number | null;
  caseNo: string | null;
  caseStatus: string | null;
  photos: LinkedPhoto[];
}

export interface ResultView extends RateView {
  id: number;
  planId: number;
  planNo: string;
  pointId: number;
  pointName: string;
  pointTypeCode: string;
  inspectorId: number;
  inspectorName: string | null;
  idempotencyKey: string;
  checkin: { lat: number; lng: number; at: string | null; distanceM: number | null; far: boolean } | null;
  inspectedAt: string;
  receivedAt: string;
  standardVersionId: number;
  note: string | null;
  items: ResultItemView[];
  caseIds: number[];
}

// ---- scores (得分率) -------------------------------------------------------------------------------------------------

/** A group of scored items: a point type, a community, a standard item. */
export interface ScoreGroupView extends RateView {
  key: string;
  name: string;
  /** Points inspected in the group. */
  points: number;
  /** Item results summed. */
  results: number;
  /** Of them, failed (deducted). */
  failed: number;
}

export interface CommunityScoreView extends ScoreGroupView {
  communityId: number;
  /** 1 = best 得分率 of the plan. */
  rank: number;
}

export interface ItemScoreView extends ScoreGroupView {
  code: string;
}

export interface PointScoreView extends RateView, PointLabel {
  key: string;
  failed: number;
}

export interface ScoreDelta {
  key: string;
  name: string;
  current: number | null;
  previous: number | null;
  /** current − previous (shares: 0.05 = 5 percentage points); null unless both have a rate. */
  delta: number | null;
}

export interface PreviousPlanScores {
  planId: number;
  planNo: string;
  title: string;
  kind: PlanKind;
  startsOn: string;
  endsOn: string;
  overall: RateView;
  byPointType: ScoreGroupView[];
  byCommunity: CommunityScoreView[];
  byItem: ItemScoreView[];
}

export interface PlanScores {
  plan: PlanSummary;
  standardVersionId: number;
  /** Points with a result / points on the plan. */
  inspectedPoints: number;
  totalPoints: number;
  overall: RateView;
  /** Weakest first. */
  byPointType: ScoreGroupView[];
  /** Ranked best first (rank 1). */
  byCommunity: CommunityScoreView[];
  /** Weakest first. */
  byItem: ItemScoreView[];
  /** Weakest first; points where nothing was possible come last. */
  byPoint: PointScoreView[];
  /** The previous plan of the same kind in the street (for 回头看: the plan it revisits), or null. */
  previous: PreviousPlanScores | null;
  delta: { overall: number | null; byPointType: ScoreDelta[]; byCommunity: ScoreDelta[]; byItem: ScoreDelta[] } | null;
}

/** The body of POST /inspections/plans/{id}/sample: draw the plan's points (分层抽样) with the plan's version. */
export interface SampleInput {
  version: number;
  seed?: string;
  total: number;
  minPerType?: number;
  shares?: Record<string, number>;
  pointTypes?: string[];
  communityIds?: number[];
}
