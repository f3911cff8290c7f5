import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps, AuthUser } from '../../lib/context.js';
import { actorOf } from '../../http/auth.js';
import { changeOwnPassword, login, logout, SESSION_COOKIE } from './service.js';
import { ChangePasswordBody, LoginBody, SessionReply, UpdateMeBody } from './schema.js';
import { ErrorBody } from '../../lib/paging.js';
import { nowIso } from '../../db/database.js';
import { authRepo } from './repo.js';

const presentMe = (u: AuthUser) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  orgId: u.orgId,
  orgName: u.orgName,
  orgKind: u.orgKind,
  locale: u.locale,
  mustChangePassword: u.mustChangePassword,
});

export async function authRoutes(app: FastifyInstance, deps: Deps) {
  app.post(
    '/api/v1/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in', body: LoginBody, response: { 200: SessionReply, 401: ErrorBody } },
      config: {
        public: true,
        rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
    },
    async (req, reply) => {
      const body = req.body as { username: string; password: string };
      const result = await login(deps, body, { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null });
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.cookieSecure,
        expires: new Date(result.expiresAt),
      });
      return { user: presentMe(result.user), csrfToken: result.csrfToken };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out' } }, async (req, reply) => {
    await logout(deps, actorOf(req), req.sessionId!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/v1/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: SessionReply } } }, async (req) => {
    const actor = actorOf(req);
    return { user: presentMe(actor.user), csrfToken: req.csrfToken! };
  });

  app.patch('/api/v1/me', { schema: { tags: ['auth'], summary: 'Update own preferences', body: UpdateMeBody } }, async (req) => {
    const actor = actorOf(req);
    const { locale } = req.body as { locale: string };
    await authRepo.setLocale(deps.db, actor.user.id, locale, nowIso());
    return { ok: true };
  });

  app.post(
    '/api/v1/me/password',
    { schema: { tags: ['auth'], summary: 'Change own password', body: ChangePasswordBody, response: { 200: Type.Object({ ok: Type.Boolean() }) } } },
    async (req) => {
      await changeOwnPassword(deps, actorOf(req), req.sessionId!, req.body as { currentPassword: string; newPassword: string });
      return { ok: true };
    },
  );
}
