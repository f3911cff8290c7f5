import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { PageOf, PageQuery } from '../../lib/paging.js';
import { readUpload, templateWorkbook, XLSX_MIME } from '../../lib/imports.js';
import { ROLES } from '../../../core/roles.js';
import { userRepo } from './repo.js';
import { createUser, getUser, importUsers, presentUser, resetPassword, updateUser, USER_IMPORT_COLUMNS } from './service.js';
import { contentDisposition } from '../../http/disposition.js';

const tags = ['people'];
const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Phone = Type.String({ maxLength: 20, pattern: '^[0-9+\\-() ]*$' });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  active: Type.Boolean(),
  locked: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  temporaryPassword: Type.Optional(Type.String()),
});

export async function usersModule(app: FastifyInstance, deps: Deps) {
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'List people in scope',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 50 })), role: Type.Optional(Role), orgId: Type.Optional(Type.Integer({ minimum: 1 })), active: Type.Optional(Type.Boolean()), ...PageQuery }),
        response: { 200: PageOf(User) },
      },
    },
    async (req) => {
      const actor = allow(req, 'user.read');
      const q = req.query as { q?: string; role?: string; orgId?: number; active?: boolean; page: number; pageSize: number };
      const { items, total } = await userRepo.list(deps.db, { scopePath: actor.user.orgPath, q: q.q, role: q.role, orgId: q.orgId, active: q.active }, q.page, q.pageSize);
      return { items: items.map((u) => presentUser(u, actor.user)), total, page: q.page, pageSize: q.pageSize };
    },
  );

  app.get('/api/v1/users/import-template.xlsx', { schema: { tags, summary: 'Excel template for people import' } }, async (req, reply) => {
    allow(req, 'user.write');
    const buf = await templateWorkbook(USER_IMPORT_COLUMNS, '人员', ['wangfang', '王芳', '13800000001', '网格员', '370303012001001']);
    return reply.type(XLSX_MIME).header('content-disposition', contentDisposition('people-template.xlsx')).send(buf);
  });

  app.get('/api/v1/users/:id', { schema: { tags, summary: 'One person', params: IdParams, response: { 200: User } } }, async (req) =>
    getUser(deps, allow(req, 'user.read'), (req.params as { id: number }).id),
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Create a person (a temporary password is returned once when none is given)',
        body: Type.Object({
          username: Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.\\-]+$' }),
          displayName: Type.String({ minLength: 1, maxLength: 50 }),
          phone: Type.Optional(Type.Union([Phone, Type.Null()])),
          role: Role,
          orgId: Type.Integer({ minimum: 1 }),
          password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        }),
        response: { 200: User },
      },
    },
    async (req) => createUser(deps, allow(req, 'user.write'), req.body as Parameters<typeof createUser>[2]),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags,
        summary: 'Edit a person',
        params: IdParams,
        body: Type.Object({
          version: Type.Integer({ minimum: 1 }),
          displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          phone: Type.Optional(Type.Union([Phone, Type.Null()])),
          role: Type.Optional(Role),
          orgId: Type.Optional(Type.Integer({ minimum: 1 })),
          active: Type.Optional(Type.Boolean()),
        }),
        response: { 200: User },
      },
    },
    async (req) => updateUser(deps, allow(req, 'user.write'), (req.params as { id: number }).id, req.body as Parameters<typeof updateUser>[3]),
  );

  app.post('/api/v1/users/:id/reset-password', { schema: { tags, summary: 'Admin reset: returns a temporary password once', params: IdParams, response: { 200: Type.Object({ temporaryPassword: Type.String() }) } } }, async (req) =>
    resetPassword(deps, allow(req, 'user.write'), (req.params as { id: number }).id),
  );

  app.post('/api/v1/users/import', { schema: { tags, summary: 'Import people from .xlsx (all or nothing)', consumes: ['multipart/form-data'] } }, async (req) => {
    const actor = allow(req, 'user.write');
    const file = await readUpload(req);
    return importUsers(deps, actor, file.data);
  });
}
