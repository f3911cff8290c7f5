import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { ErrorBody } from '../../lib/paging.js';
import { CreateRuleBody, IdParams, ListRulesQuery, ResolveQuery, Resolution, Rule, RulePage, UpdateRuleBody, VersionBody } from './schema.js';
import {
  createRule,
  deactivateRule,
  getRule,
  listRules,
  resolveForActor,
  updateRule,
  type ListRulesQuery as ListQuery,
  type ResolveQuery as ResolveParams,
  type RuleInput,
  type UpdateRuleInput,
} from './service.js';

const tags = ['routing'];
const id = (req: { params: unknown }) => (req.params as { id: number }).id;

/** 责任清单: category × place → responsible unit, and "who gets category X here?". */
export async function routingModule(app: FastifyInstance, deps: Deps) {
  app.get(
    '/api/v1/routing/rules',
    { schema: { tags, summary: 'Rules whose place or unit lies in your area', querystring: ListRulesQuery, response: { 200: RulePage } } },
    async (req) => listRules(deps, allow(req, 'routing.read'), req.query as ListQuery),
  );

  app.get('/api/v1/routing/rules/:id', { schema: { tags, summary: 'One rule', params: IdParams, response: { 200: Rule, 404: ErrorBody } } }, async (req) =>
    getRule(deps, allow(req, 'routing.read'), id(req)),
  );

  app.post(
    '/api/v1/routing/rules',
    {
      schema: {
        tags,
        summary: 'Create a rule (one active rule per category × place)',
        description:
          'scopeType point needs pointId; point_type needs pointTypeCode and targetOrgId (the street; defaults to yours); grid, community and street need targetOrgId. categoryId null covers every category.',
        body: CreateRuleBody,
        response: { 200: Rule, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => createRule(deps, allow(req, 'routing.write'), req.body as RuleInput),
  );

  app.patch(
    '/api/v1/routing/rules/:id',
    { schema: { tags, summary: 'Edit a rule', params: IdParams, body: UpdateRuleBody, response: { 200: Rule, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } } },
    async (req) => updateRule(deps, allow(req, 'routing.write'), id(req), req.body as UpdateRuleInput),
  );

  app.post(
    '/api/v1/routing/rules/:id/deactivate',
    { schema: { tags, summary: 'Switch a rule off (rules are never deleted)', params: IdParams, body: VersionBody, response: { 200: Rule, 404: ErrorBody, 409: ErrorBody } } },
    async (req) => deactivateRule(deps, allow(req, 'routing.write'), id(req), (req.body as { version: number }).version),
  );

  app.get(
    '/api/v1/routing/resolve',
    {
      schema: {
        tags,
        summary: 'Who gets category X at this point or location, and by which rule?',
        description: 'Give pointId, or lat and lng (WGS-84). The answer lists the levels considered in precedence order (docs/routing.md).',
        querystring: ResolveQuery,
        response: { 200: Resolution, 400: ErrorBody },
      },
    },
    async (req) => resolveForActor(deps, allow(req, 'routing.read'), req.query as ResolveParams),
  );
}
