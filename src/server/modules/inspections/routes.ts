import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { ErrorBody } from '../../lib/paging.js';
import { Problem } from '../../errors.js';
import { registerPhotoAccess } from '../photos/service.js';
import {
  AssignBody,
  CreatePlanBody,
  IdParams,
  ListPlansQuery,
  PickPointsBody,
  PlanPointParams,
  SampleBody,
  SyncBody,
  SyncResponse,
  TransitionBody,
  UpdatePlanBody,
} from './schema.js';
import {
  assignPoint,
  canReadInspectionItem,
  createPlan,
  createRevisitPlan,
  deletePlan,
  getKit,
  getPlan,
  getPlanScores,
  getResult,
  listMyPlans,
  listPlanProblems,
  listPlans,
  pickPoints,
  samplePlan,
  syncResults,
  transitionPlan,
  updatePlan,
  type CreatePlanInput,
  type ListPlansQuery as ListQuery,
  type ResultInput,
  type SampleInput,
  type UpdatePlanInput,
} from './service.js';

const tags = ['inspections'];
const P = '/api/v1/inspections';
const id = (req: { params: unknown }) => (req.params as { id: number }).id;
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** 测评/督查: plans, the phone's offline kit, result sync, scores and problems (docs/inspections.md). */
export async function inspectionsModule(app: FastifyInstance, deps: Deps) {
  // Photos of an inspected item are readable by whoever may read its plan.
  registerPhotoAccess('inspection_item', (d, actor, ownerId) => canReadInspectionItem(d, actor, ownerId));

  app.get(`${P}/plans`, { schema: { tags, summary: 'Plans in scope (and plans I inspect), newest first', querystring: ListPlansQuery } }, async (req) =>
    listPlans(deps, allow(req, 'inspection.read'), req.query as ListQuery),
  );

  app.post(`${P}/plans`, { schema: { tags, summary: 'Create a draft plan (pins the current standard version)', body: CreatePlanBody, response: errors } }, async (req) =>
    createPlan(deps, allow(req, 'inspection.plan'), req.body as CreatePlanInput),
  );

  app.get(`${P}/mine`, { schema: { tags, summary: 'Active plans where I am an inspector' } }, async (req) => listMyPlans(deps, allow(req, 'inspection.perform')));

  app.get(`${P}/plans/:id`, { schema: { tags, summary: 'A plan with its points (route order), inspectors and progress', params: IdParams, response: { 404: ErrorBody } } }, async (req) =>
    getPlan(deps, allow(req, 'inspection.read'), id(req)),
  );

  app.patch(`${P}/plans/:id`, { schema: { tags, summary: 'Edit title, dates, note; inspectors while a draft', params: IdParams, body: UpdatePlanBody, response: errors } }, async (req) =>
    updatePlan(deps, allow(req, 'inspection.plan'), id(req), req.body as UpdatePlanInput),
  );

  app.delete(
    `${P}/plans/:id`,
    { schema: { tags, summary: 'Delete a draft plan (version in ?version= or the body)', params: IdParams, querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })) }), response: errors } },
    async (req) => {
      const fromBody = (req.body as { version?: unknown } | undefined)?.version;
      const version = (req.query as { version?: number }).version ?? (Number.isInteger(fromBody) ? (fromBody as number) : undefined);
      if (version === undefined) throw new Problem('VALIDATION_FAILED', { field: 'version', reason: 'is required' });
      return deletePlan(deps, allow(req, 'inspection.plan'), id(req), version);
    },
  );

  app.post(`${P}/plans/:id/sample`, { schema: { tags, summary: 'Stratified random sample of points (replaces the points of a draft)', params: IdParams, body: SampleBody, response: errors } }, async (req) =>
    samplePlan(deps, allow(req, 'inspection.plan'), id(req), req.body as SampleInput),
  );

  app.post(`${P}/plans/:id/points`, { schema: { tags, summary: 'Hand-pick the points of a draft (replaces them)', params: IdParams, body: PickPointsBody, response: errors } }, async (req) =>
    pickPoints(deps, allow(req, 'inspection.plan'), id(req), req.body as { version: number; pointIds: number[] }),
  );

  app.put(`${P}/plans/:id/points/:pointId/inspector`, { schema: { tags, summary: 'Give a point to another inspector of the plan', params: PlanPointParams, body: AssignBody, response: errors } }, async (req) => {
    const { id: planId, pointId } = req.params as { id: number; pointId: number };
    return assignPoint(deps, allow(req, 'inspection.plan'), planId, pointId, req.body as { version: number; inspectorId: number });
  });

  app.post(`${P}/plans/:id/transitions`, { schema: { tags, summary: 'activate (draft → active) · close (active → closed) · reopen (closed → active)', params: IdParams, body: TransitionBody, response: errors } }, async (req) =>
    transitionPlan(deps, allow(req, 'inspection.plan'), id(req), req.body as { version: number; action: 'activate' | 'close' | 'reopen' }),
  );

  app.post(`${P}/plans/:id/revisit`, { schema: { tags, summary: '回头看: a new draft over the points whose problems are still open', params: IdParams, response: errors } }, async (req) =>
    createRevisitPlan(deps, allow(req, 'inspection.plan'), id(req)),
  );

  app.get(`${P}/plans/:id/kit`, { schema: { tags, summary: 'The offline kit: plan, my points in route order, checklists by point type', params: IdParams, response: { 403: ErrorBody, 404: ErrorBody } } }, async (req) =>
    getKit(deps, allow(req, 'inspection.read'), id(req)),
  );

  app.get(`${P}/plans/:id/scores`, { schema: { tags, summary: '得分率 by point type, community, item and point, with the previous plan', params: IdParams, response: { 404: ErrorBody } } }, async (req) =>
    getPlanScores(deps, allow(req, 'inspection.read'), id(req)),
  );

  app.get(`${P}/plans/:id/problems`, { schema: { tags, summary: 'Failed items with photos and the cases they became', params: IdParams, response: { 404: ErrorBody } } }, async (req) =>
    listPlanProblems(deps, allow(req, 'inspection.read'), id(req)),
  );

  app.post(`${P}/sync`, { schema: { tags, summary: 'Store queued results (≤ 50), each idempotent by its key', body: SyncBody, response: { 200: SyncResponse, 400: ErrorBody, 403: ErrorBody } } }, async (req) =>
    syncResults(deps, allow(req, 'inspection.perform'), req.body as { results: ResultInput[] }),
  );

  app.get(`${P}/results/:id`, { schema: { tags, summary: 'One result: items, photos, score, cases, check-in', params: IdParams, response: { 404: ErrorBody } } }, async (req) =>
    getResult(deps, allow(req, 'inspection.read'), id(req)),
  );
}
