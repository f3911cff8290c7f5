// Builds the Fastify instance. Tests call buildApp() and drive it with app.inject(); main.ts adds listen().
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from './lib/context.js';
import { findNul, validatorCompiler } from './http/validation.js';
import { installErrorHandler } from './http/errors.js';
import { installAuth } from './http/auth.js';
import { Problem, pickLang } from './errors.js';
import { authRoutes } from './modules/auth/routes.js';
import { MODULES } from './modules/index.js';

export interface BuildOptions {
  logger?: boolean;
  /** Serve the built web app (off in API tests). */
  serveWeb?: boolean;
  rateLimitRedis?: unknown;
}

export const VERSION = '0.1.0';

export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: deps.config.logLevel } : false,
    trustProxy: true,
    bodyLimit: 2 * 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  installErrorHandler(app);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 5, fields: 50 } });
  await app.register(rateLimit, {
    global: false,
    ...(opts.rateLimitRedis ? { redis: opts.rateLimitRedis as never } : {}),
    errorResponseBuilder: (_req, ctx) => {
      const p = new Problem('RATE_LIMITED');
      return Object.assign(p, { statusCode: 429, headers: { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) } });
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Wenming 文明 API', version: VERSION, description: 'Campaign platform for a 街道. Errors are `{code, message}` with stable codes.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'wm_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  installAuth(app, deps);
  app.addHook('preValidation', async (req) => {
    const field = findNul(req.body) ?? findNul(req.query);
    if (field) throw new Problem('VALIDATION_FAILED', { field: field.replace(/^\./, ''), reason: 'must not contain NUL characters' });
  });

  app.get(
    '/healthz',
    { schema: { tags: ['system'], response: { 200: Type.Object({ status: Type.String(), db: Type.String(), version: Type.String(), uptimeSeconds: Type.Number() }) } } },
    async () => {
      await deps.db.selectFrom('orgs').select('id').limit(1).execute();
      return { status: 'ok', db: deps.dialect, version: VERSION, uptimeSeconds: Math.round(process.uptime()) };
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await authRoutes(app, deps);
  for (const register of MODULES) await register(app, deps);

  const webDir = deps.config.webDir;
  const serveWeb = (opts.serveWeb ?? true) && existsSync(join(webDir, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // The service worker script and the page are checked with the server on every visit, so a new build reaches
      // phones at once; the worker is at the root, so its scope is the whole app ('/').
      setHeaders: (reply, path) => {
        if (/[\\/](?:sw\.js|index\.html)$/.test(path)) reply.header('cache-control', 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const lang = pickLang(req.headers['accept-language']);
    // Files of the build that are not there (an old chunk, a build without the worker) are 404, never the page.
    const file = /^\/(?:sw\.js(?:[?#]|$)|assets\/)/.test(req.url);
    if (req.url.startsWith('/api/') || req.url.startsWith('/open311/') || req.method !== 'GET' || !serveWeb || file) {
      return reply.status(404).send(new Problem('NOT_FOUND', { what: req.url.split('?')[0] }).toJSON(lang));
    }
    // Client-side routes of the single-page app.
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
