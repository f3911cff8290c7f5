// Resolves the session cookie on every API request, enforces sign-in (unless a route is marked public) and
// CSRF: cookie-authenticated writes must echo the session's token in `x-csrf-token`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { Actor, Deps } from '../lib/context.js';
import { Problem, pickLang } from '../errors.js';
import { resolveSession, SESSION_COOKIE } from '../modules/auth/service.js';
import { assertCan } from '../lib/scope.js';
import type { Permission } from '../../core/roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** The route serves visitors who are not signed in. */
    public?: boolean;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string) {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function installAuth(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('preHandler', async (req) => {
    if (!req.url.startsWith('/api/v1/')) return;
    const raw = req.cookies?.[SESSION_COOKIE];
    if (raw) {
      const session = await resolveSession(deps, raw);
      if (session) {
        req.sessionId = session.id;
        req.csrfToken = session.csrfToken;
        req.actor = {
          user: session.user,
          ip: req.ip ?? null,
          lang: pickLang(req.headers['accept-language'], session.user.locale),
        };
      }
    }
    const isPublic = req.routeOptions.config?.public === true;
    if (!req.actor) {
      if (isPublic) return;
      throw new Problem('AUTH_REQUIRED');
    }
    if (!SAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, req.csrfToken!)) throw new Problem('CSRF_INVALID');
    }
  });
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new Problem('AUTH_REQUIRED');
  return req.actor;
}

/** The acting user, after checking that their role carries the permission. */
export function allow(req: FastifyRequest, permission: Permission): Actor {
  const actor = actorOf(req);
  assertCan(actor.user, permission);
  return actor;
}
