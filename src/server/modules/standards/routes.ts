import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { ErrorBody } from '../../lib/paging.js';
import { readUpload, XLSX_MIME } from '../../lib/imports.js';
import {
  Checklist, ChecklistQuery, CreateDraftBody, CreateItemBody, CreateNodeBody, CurrentQuery, Deleted, IdParams, ImportQuery, ImportResult, Item,
  ListVersionsQuery, Node, Tree, UpdateItemBody, UpdateNodeBody, UpdateVersionBody, Version, VersionBody, VersionChecklistQuery, VersionList, VersionQuery,
} from './schema.js';
import {
  createDraft, createItem, createNode, deleteDraft, deleteItem, deleteNode, getChecklist, getCurrentTree, getVersionTree, listVersions, publishVersion,
  updateDraftVersion, updateItem, updateNode, type CreateDraftInput, type CreateNodeInput, type ItemInput,
} from './service.js';
import { exportStandardJson, exportStandardXlsx, importStandard } from './exchange.js';
import { contentDisposition } from '../../http/disposition.js';

const tags = ['standards'];
const id = (req: { params: unknown }) => (req.params as { id: number }).id;
const rowVersion = (req: { query: unknown }) => (req.query as { version: number }).version;
const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
/** 测评体系: versions (draft → published → retired), the Ⅰ/Ⅱ/Ⅲ tree, numbered items with scoring rules. */
export async function standardsModule(app: FastifyInstance, deps: Deps) {
  app.get('/api/v1/standards/versions', { schema: { tags, summary: 'Every version of the standards, newest first', querystring: ListVersionsQuery, response: { 200: VersionList } } }, async (req) =>
    listVersions(deps, allow(req, 'standard.read'), (req.query as { standardCode?: string }).standardCode),
  );

  app.post(
    '/api/v1/standards/versions',
    { schema: { tags, summary: 'Create a draft, copied from fromVersionId or from the current version', body: CreateDraftBody, response: { 200: Tree, ...errors } } },
    async (req) => createDraft(deps, allow(req, 'standard.write'), req.body as CreateDraftInput),
  );

  app.get('/api/v1/standards/current', { schema: { tags, summary: 'The current (published) version with its tree', querystring: CurrentQuery, response: { 200: Tree, 404: ErrorBody } } }, async (req) =>
    getCurrentTree(deps, allow(req, 'standard.read'), (req.query as { standardCode?: string }).standardCode),
  );

  app.get(
    '/api/v1/standards/current/checklist',
    { schema: { tags, summary: 'The field (实地考察) checklist of a point type in the current version', querystring: ChecklistQuery, response: { 200: Checklist, ...errors } } },
    async (req) => getChecklist(deps, allow(req, 'standard.read'), req.query as { pointType: string; standardCode?: string }),
  );

  app.get('/api/v1/standards/versions/:id', { schema: { tags, summary: 'A version with its tree (nodes and items in code order)', params: IdParams, response: { 200: Tree, 404: ErrorBody } } }, async (req) =>
    getVersionTree(deps, allow(req, 'standard.read'), id(req)),
  );

  app.get(
    '/api/v1/standards/versions/:id/checklist',
    { schema: { tags, summary: 'The field checklist of a point type in this version (what an inspection scored with)', params: IdParams, querystring: VersionChecklistQuery, response: { 200: Checklist, ...errors } } },
    async (req) => getChecklist(deps, allow(req, 'standard.read'), { versionId: id(req), pointType: (req.query as { pointType: string }).pointType }),
  );

  app.patch('/api/v1/standards/versions/:id', { schema: { tags, summary: 'Rename a draft or change its note', params: IdParams, body: UpdateVersionBody, response: { 200: Version, ...errors } } }, async (req) =>
    updateDraftVersion(deps, allow(req, 'standard.write'), id(req), req.body as { version: number; title?: string; note?: string | null }),
  );

  app.delete('/api/v1/standards/versions/:id', { schema: { tags, summary: 'Discard a draft', params: IdParams, querystring: VersionQuery, response: { 200: Deleted, ...errors } } }, async (req) =>
    deleteDraft(deps, allow(req, 'standard.write'), id(req), rowVersion(req)),
  );

  app.post(
    '/api/v1/standards/versions/:id/publish',
    { schema: { tags, summary: 'Publish a draft: it becomes current, the previous current version is retired', params: IdParams, body: VersionBody, response: { 200: Version, ...errors } } },
    async (req) => publishVersion(deps, allow(req, 'standard.write'), id(req), (req.body as { version: number }).version),
  );

  app.post('/api/v1/standards/versions/:id/nodes', { schema: { tags, summary: 'Add a node (Ⅰ/Ⅱ/Ⅲ) to a draft', params: IdParams, body: CreateNodeBody, response: { 200: Node, ...errors } } }, async (req) =>
    createNode(deps, allow(req, 'standard.write'), id(req), req.body as CreateNodeInput),
  );

  app.patch('/api/v1/standards/nodes/:id', { schema: { tags, summary: 'Rename or reorder a node of a draft', params: IdParams, body: UpdateNodeBody, response: { 200: Node, ...errors } } }, async (req) =>
    updateNode(deps, allow(req, 'standard.write'), id(req), req.body as { version: number; name?: string; sort?: number }),
  );

  app.delete('/api/v1/standards/nodes/:id', { schema: { tags, summary: 'Remove an empty node of a draft', params: IdParams, querystring: VersionQuery, response: { 200: Deleted, ...errors } } }, async (req) =>
    deleteNode(deps, allow(req, 'standard.write'), id(req), rowVersion(req)),
  );

  app.post('/api/v1/standards/versions/:id/items', { schema: { tags, summary: 'Add an item under a 测评内容 of a draft', params: IdParams, body: CreateItemBody, response: { 200: Item, ...errors } } }, async (req) =>
    createItem(deps, allow(req, 'standard.write'), id(req), req.body as ItemInput & { nodeId: number; number?: number }),
  );

  app.patch('/api/v1/standards/items/:id', { schema: { tags, summary: 'Edit an item of a draft (text, methods, point types, rule)', params: IdParams, body: UpdateItemBody, response: { 200: Item, ...errors } } }, async (req) =>
    updateItem(deps, allow(req, 'standard.write'), id(req), req.body as Partial<ItemInput> & { version: number }),
  );

  app.delete('/api/v1/standards/items/:id', { schema: { tags, summary: 'Remove an item of a draft', params: IdParams, querystring: VersionQuery, response: { 200: Deleted, ...errors } } }, async (req) =>
    deleteItem(deps, allow(req, 'standard.write'), id(req), rowVersion(req)),
  );

  app.get('/api/v1/standards/versions/:id/export.json', { schema: { tags, summary: 'A version as JSON (the import format)', params: IdParams } }, async (req, reply) => {
    const doc = await exportStandardJson(deps, allow(req, 'standard.read'), id(req));
    return reply.header('content-disposition', contentDisposition(`standard-${doc.standardCode}-v${doc.versionNo}.json`)).send(doc);
  });

  app.get('/api/v1/standards/versions/:id/export.xlsx', { schema: { tags, summary: 'A version as .xlsx (one row per item; the import layout)', params: IdParams } }, async (req, reply) => {
    const buf = await exportStandardXlsx(deps, allow(req, 'standard.read'), id(req));
    return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(`standard-v${id(req)}.xlsx`)).send(buf);
  });

  app.post(
    '/api/v1/standards/import',
    { schema: { tags, summary: 'Import a .json or .xlsx into a new draft (all or nothing; row errors in details.rows)', consumes: ['multipart/form-data'], querystring: ImportQuery, response: { 200: ImportResult, 400: ErrorBody } } },
    async (req) => {
      const actor = allow(req, 'standard.write');
      const file = await readUpload(req);
      return importStandard(deps, actor, file, (req.query as { standardCode?: string }).standardCode);
    },
  );
}
