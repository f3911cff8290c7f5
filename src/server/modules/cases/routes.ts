import './text-index.js';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../lib/context.js';
import { actorOf } from '../../http/auth.js';
import { ErrorBody } from '../../lib/paging.js';
import { Problem } from '../../errors.js';
import { registerPhotoAccess } from '../photos/service.js';
import { caseRepo } from './repo.js';
import { canSeeCase } from './access.js';
import { intakeCase, type IntakeInput } from './intake.js';
import { transitionCase, type TransitionRequest } from './transitions.js';
import { getCase, listCases, presentStoredCase, nearbyCases, reboundSpots, type ListCasesQuery as ListQuery } from './queries.js';
import { CaseIdParams, CaseSummary, IntakeBody, ListCasesQuery, NearbyQuery, TransitionBody } from './schema.js';

const tags = ['cases'];
const split = (v: string | undefined) => (v ? v.split(',') : undefined);
const dayStart = (d: string | undefined, plusDays = 0) => (d ? new Date(Date.parse(`${d}T00:00:00+08:00`) + plusDays * 86400_000).toISOString() : undefined);

export async function casesModule(app: FastifyInstance, deps: Deps) {
  // Photos linked to a case are readable by whoever may read the case.
  registerPhotoAccess('case', async (d, actor, ownerId) => {
    const c = await caseRepo.byId(d.db, ownerId);
    return !!c && canSeeCase(actor.user, c);
  });

  app.post(
    '/api/v1/cases',
    { schema: { tags, summary: 'Report a problem (信息收集); with dispatch=true office roles file and dispatch at once', body: IntakeBody, response: { 200: CaseSummary, 201: CaseSummary, 400: ErrorBody, 403: ErrorBody } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const result = await intakeCase(deps, actor, req.body as IntakeInput);
      // A new case is answered from what intake stored (the same view GET /cases/:id gives); a replayed
      // idempotency key reads the earlier case.
      const body = result.stored ? await presentStoredCase(deps, actor, result.stored) : await getCase(deps, actor, result.caseId);
      // The schema documents the answer; every field of it is written as built (one native stringify of the whole
      // view costs half of the schema serializer's field-by-field pass over a view with this many extra fields).
      return reply
        .status(result.created ? 201 : 200)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(Object.assign(body, { duplicates: result.duplicates, rebound: result.rebound })));
    },
  );

  app.get('/api/v1/cases', { schema: { tags, summary: 'List cases in scope (filters, workbench queues, paging)', querystring: ListCasesQuery, response: { 200: Type.Object({ items: Type.Array(CaseSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }) } } }, async (req) => {
    const q = req.query as Record<string, any>;
    const query: ListQuery = {
      queue: q.queue,
      statuses: split(q.status),
      sources: split(q.source),
      categoryCodes: split(q.categoryCode),
      communityId: q.communityId,
      gridId: q.gridId,
      unitId: q.unitId,
      pointId: q.pointId,
      overdue: q.overdue,
      supervised: q.supervised,
      rebound: q.rebound,
      createdFrom: dayStart(q.from),
      createdTo: dayStart(q.to, 1),
      q: q.q?.trim() || undefined,
      sort: q.sort,
      page: q.page,
      pageSize: q.pageSize,
    };
    return listCases(deps, actorOf(req), query);
  });

  app.get('/api/v1/cases/nearby', { schema: { tags, summary: '查重: open cases of the same category near a location', querystring: NearbyQuery } }, async (req) =>
    nearbyCases(deps, actorOf(req), req.query as { categoryCode: string; lat: number; lng: number; radiusM?: number }),
  );

  app.get('/api/v1/rebound-spots', { schema: { tags, summary: '反弹点: places where problems keep coming back', querystring: Type.Object({ flagged: Type.Optional(Type.Boolean()) }) } }, async (req) =>
    reboundSpots(deps, actorOf(req), (req.query as { flagged?: boolean }).flagged ?? true),
  );

  app.get('/api/v1/cases/:id', { schema: { tags, summary: 'One case with its events (the ledger history), photos and the actions you may take', params: CaseIdParams, response: { 404: ErrorBody } } }, async (req) =>
    getCase(deps, actorOf(req), (req.params as { id: number }).id),
  );

  app.post(
    '/api/v1/cases/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Take one step of the loop: verify, file, reject, dispatch, return, start, request/approve/deny extension, feedback, pass/fail check, hang, reopen, supervise, merge',
        params: CaseIdParams,
        body: TransitionBody,
        response: { 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const id = (req.params as { id: number }).id;
      await transitionCase(deps, actor, id, req.body as TransitionRequest);
      try {
        return await getCase(deps, actor, id);
      } catch (err) {
        // A unit that returned a case no longer sees it: the step still succeeded.
        if (err instanceof Problem && err.code === 'NOT_FOUND') return { id, visible: false };
        throw err;
      }
    },
  );
}
