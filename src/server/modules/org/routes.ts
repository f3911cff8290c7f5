import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { ErrorBody, PageOf } from '../../lib/paging.js';
import { readUpload, templateWorkbook, XLSX_MIME } from '../../lib/imports.js';
import { CreateOrgBody, IdParams, ListOrgsQuery, Org, TreeNode, UpdateOrgBody, VersionBody } from './schema.js';
import { createOrg, deactivateOrg, getOrg, getOrgTree, importOrgs, ORG_IMPORT_COLUMNS, presentOrg, updateOrg } from './service.js';
import { orgRepo } from './repo.js';
import type { OrgKind } from '../../../core/org.js';
import { contentDisposition } from '../../http/disposition.js';

const tags = ['org'];

export async function orgModule(app: FastifyInstance, deps: Deps) {
  app.get('/api/v1/orgs/tree', { schema: { tags, summary: 'The visible org tree', response: { 200: Type.Object({ nodes: Type.Array(TreeNode) }) } } }, async (req) =>
    getOrgTree(deps, allow(req, 'org.read')),
  );

  app.get('/api/v1/orgs', { schema: { tags, summary: 'List org nodes', querystring: ListOrgsQuery, response: { 200: PageOf(Org) } } }, async (req) => {
    const actor = allow(req, 'org.read');
    const q = req.query as { kind?: string; parentId?: number; q?: string; active?: boolean; page: number; pageSize: number };
    const { items, total } = await orgRepo.list(deps.db, { scopePath: actor.user.orgPath, kind: q.kind, parentId: q.parentId, q: q.q, active: q.active }, q.page, q.pageSize);
    return { items: items.map((r) => presentOrg({ ...r, geometry: null, min_lat: null, min_lng: null, max_lat: null, max_lng: null }, actor.user)), total, page: q.page, pageSize: q.pageSize };
  });

  app.get('/api/v1/orgs/import-template.xlsx', { schema: { tags, summary: 'Excel template for org import' } }, async (req, reply) => {
    allow(req, 'org.write');
    const buf = await templateWorkbook(ORG_IMPORT_COLUMNS, '组织', ['370303012', '社区', '新华社区', '370303012007', '王红', '13800000000', '新华路 18 号']);
    return reply.type(XLSX_MIME).header('content-disposition', contentDisposition('org-template.xlsx')).send(buf);
  });

  app.get('/api/v1/orgs/:id', { schema: { tags, summary: 'One org node', params: IdParams, response: { 200: Org, 404: ErrorBody } } }, async (req) =>
    getOrg(deps, allow(req, 'org.read'), (req.params as { id: number }).id),
  );

  app.post('/api/v1/orgs', { schema: { tags, summary: 'Create an org node', body: CreateOrgBody, response: { 200: Org } } }, async (req) =>
    createOrg(deps, allow(req, 'org.write'), req.body as Parameters<typeof createOrg>[2] & { kind: OrgKind }),
  );

  app.patch('/api/v1/orgs/:id', { schema: { tags, summary: 'Edit or move an org node', params: IdParams, body: UpdateOrgBody, response: { 200: Org, 409: ErrorBody } } }, async (req) =>
    updateOrg(deps, allow(req, 'org.write'), (req.params as { id: number }).id, req.body as Parameters<typeof updateOrg>[3]),
  );

  app.post('/api/v1/orgs/:id/deactivate', { schema: { tags, summary: 'Deactivate an org node', params: IdParams, body: VersionBody } }, async (req) => {
    await deactivateOrg(deps, allow(req, 'org.write'), (req.params as { id: number }).id, (req.body as { version: number }).version);
    return { ok: true };
  });

  app.post('/api/v1/orgs/import', { schema: { tags, summary: 'Import org nodes from .xlsx (all or nothing)', consumes: ['multipart/form-data'] } }, async (req) => {
    const actor = allow(req, 'org.write');
    const file = await readUpload(req);
    return importOrgs(deps, actor, file.data);
  });
}
