import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { actorOf, allow } from '../../http/auth.js';
import { ErrorBody } from '../../lib/paging.js';
import { nowIso } from '../../db/database.js';
import { busOf, createLocalBus } from '../../realtime/bus.js';
import { SseHub, type SseOptions } from '../../realtime/sse.js';
import { canSeeCase } from '../cases/access.js';
import { notificationRepo } from './repo.js';
import { listInbox, markRead, unreadCount, type InboxQuery as InboxQueryInput } from './service.js';
import { presentWebhookSettings, putWebhookSettings, webhookSettings, type WebhookSettingsInput } from './webhook.js';
import { InboxPage, InboxQuery, MarkReadBody, UnreadCount, WebhookSettingsBody, WebhookSettingsView } from './schema.js';
import './jobs.js';

const tags = ['notifications'];

/** Per app: the SSE hub, so tests can wait for it and close it. */
export const sseHubs = new WeakMap<FastifyInstance, SseHub>();

export function notificationsModuleWith(sseOptions: SseOptions = {}) {
  return async function notificationsModule(app: FastifyInstance, deps: Deps) {
    let bus = busOf(deps);
    if (!bus) {
      // deps.notify is not wired to a bus (a bare script): streams stay open but hear nothing.
      app.log.warn('notifications: deps.notify is not a realtime bus; live updates are off');
      bus = createLocalBus();
    }
    const hub = new SseHub(
      bus,
      {
        casePlaces: (ids) => notificationRepo.casePlaces(deps.db, ids),
        liveSessions: (ids) => notificationRepo.liveSessions(deps.db, ids, nowIso()),
        canSee: (user, place) => canSeeCase(user, place),
      },
      sseOptions,
    );
    sseHubs.set(app, hub);
    // Open streams never end on their own: end them before the server waits for its connections to drain.
    app.addHook('preClose', async () => hub.closeAll());

    app.get(
      '/api/v1/events',
      {
        schema: {
          tags,
          summary: 'Live updates (Server-Sent Events): `event: changed` with {topic, caseId?}; refetch on it. Heartbeat comments every 25 s.',
          response: { 401: ErrorBody },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        hub.attach(reply, { id: actor.user.id, orgPath: actor.user.orgPath }, req.sessionId);
        return reply;
      },
    );

    app.get('/api/v1/notifications', { schema: { tags, summary: 'My inbox, newest first', querystring: InboxQuery, response: { 200: InboxPage } } }, async (req) =>
      listInbox(deps, actorOf(req), req.query as InboxQueryInput),
    );

    app.get('/api/v1/notifications/unread-count', { schema: { tags, summary: 'How many of my notices are unread', response: { 200: UnreadCount } } }, async (req) =>
      unreadCount(deps, actorOf(req)),
    );

    app.post(
      '/api/v1/notifications/read',
      { schema: { tags, summary: 'Mark my notices read: {ids} or {all: true}', body: MarkReadBody, response: { 400: ErrorBody } } },
      async (req) => markRead(deps, actorOf(req), req.body as { ids?: number[]; all?: boolean }),
    );

    app.get('/api/v1/settings/webhook', { schema: { tags, summary: 'Outbound webhook (relay of notices to SMS/WeChat gateways); the secret is never shown', response: { 200: WebhookSettingsView, 403: ErrorBody } } }, async (req) => {
      allow(req, 'settings.write');
      return presentWebhookSettings(await webhookSettings(deps.db));
    });

    app.put(
      '/api/v1/settings/webhook',
      {
        schema: {
          tags,
          summary: 'Set the webhook URL, signing secret (omit to keep) and the notice kinds to relay (empty: all)',
          body: WebhookSettingsBody,
          response: { 200: WebhookSettingsView, 400: ErrorBody, 403: ErrorBody },
        },
      },
      async (req) => putWebhookSettings(deps, allow(req, 'settings.write'), req.body as WebhookSettingsInput),
    );
  };
}

export const notificationsModule = notificationsModuleWith();
