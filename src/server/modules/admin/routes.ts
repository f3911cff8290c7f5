import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { PageQuery } from '../../lib/paging.js';
import { createApiKey, getMapSettings, getMeta, listApiKeys, listAudit, putMapSettings, revokeApiKey } from './service.js';

const tags = ['admin'];
const MapSettings = Type.Object({
  tileUrl: Type.Union([Type.String({ maxLength: 500, pattern: '^https?://.*\\{z\\}.*\\{x\\}.*\\{y\\}' }), Type.Null()]),
  tileCrs: Type.Union([Type.Literal('WGS84'), Type.Literal('GCJ02')]),
});

export async function adminModule(app: FastifyInstance, deps: Deps) {
  app.get('/api/v1/meta', { schema: { tags, summary: 'Public boot data: roles, kinds, point types, demo logins, map settings' }, config: { public: true } }, async () => getMeta(deps));

  app.get('/api/v1/settings', { schema: { tags, summary: 'Map settings', response: { 200: MapSettings } } }, async (req) => {
    allow(req, 'org.read');
    return getMapSettings(deps);
  });
  app.put('/api/v1/settings', { schema: { tags, summary: 'Change map settings', body: MapSettings, response: { 200: MapSettings } } }, async (req) =>
    putMapSettings(deps, allow(req, 'settings.write'), req.body as { tileUrl: string | null; tileCrs: 'WGS84' | 'GCJ02' }),
  );

  app.get(
    '/api/v1/audit',
    { schema: { tags, summary: 'Audit log (append-only)', querystring: Type.Object({ action: Type.Optional(Type.String({ maxLength: 50 })), actor: Type.Optional(Type.String({ maxLength: 64 })), ...PageQuery }) } },
    async (req) => listAudit(deps, allow(req, 'audit.read'), req.query as { action?: string; actor?: string; page: number; pageSize: number }),
  );

  app.get('/api/v1/api-keys', { schema: { tags, summary: 'API keys' } }, async (req) => listApiKeys(deps, allow(req, 'apikey.manage')));
  app.post(
    '/api/v1/api-keys',
    {
      schema: {
        tags,
        summary: 'Issue an API key (shown once)',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), source: Type.String({ minLength: 1, maxLength: 50 }), rateLimitPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) }),
      },
    },
    async (req) => createApiKey(deps, allow(req, 'apikey.manage'), req.body as { name: string; source: string; rateLimitPerMinute?: number }),
  );
  app.post('/api/v1/api-keys/:id/revoke', { schema: { tags, summary: 'Revoke an API key', params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) } }, async (req) => {
    await revokeApiKey(deps, allow(req, 'apikey.manage'), (req.params as { id: number }).id);
    return { ok: true };
  });
}
