// Server-Sent Events: one long response per open page. The hub hears the bus, coalesces what changed over a short
// window, works out who may see it, and writes `event: changed` with `{topic, caseId?}`. It never sends data:
// clients refetch through the normal, scoped API, so a missed message costs a refresh and leaks nothing.
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { AuthUser } from '../lib/context.js';
import type { EventBus } from './bus.js';

export type LiveTopic = 'cases' | 'notifications' | 'points' | 'grids' | 'orgs' | 'categories' | 'routing';

export interface LiveMessage {
  topic: LiveTopic;
  caseId?: number;
  caseIds?: number[];
}

/** Where a case is, for the visibility rule (the same fields `canSeeCase` reads). */
export interface CasePlace {
  id: number;
  org_path: string;
  unit_path: string | null;
  reporter_id: number | null;
}

export interface SseLookup {
  /** The places of these cases (missing ids are simply absent). */
  casePlaces(ids: number[]): Promise<CasePlace[]>;
  /** Which of these sessions are still valid (not expired, user active). */
  liveSessions(ids: string[]): Promise<Set<string>>;
  canSee(user: Pick<AuthUser, 'id' | 'orgPath'>, place: CasePlace): boolean;
}

export interface SseOptions {
  heartbeatMs?: number;
  /** Changes within this window go out as one message per client. */
  coalesceMs?: number;
  /** Reconnect delay the browser is told to use. */
  retryMs?: number;
  /** How often open streams are checked against their session (sign-out, expiry, deactivation). */
  sessionCheckMs?: number;
  maxPerUser?: number;
  /** A client whose unsent output grows beyond this is disconnected (it reconnects and refetches). */
  maxBufferedBytes?: number;
}

interface Client {
  id: number;
  user: Pick<AuthUser, 'id' | 'orgPath'>;
  sessionId: string | null;
  res: ServerResponse;
  openedAt: number;
}

/** Bus topics that concern reference data every signed-in page may show. */
const REFERENCE_TOPICS: Record<string, LiveTopic> = {
  points: 'points',
  grids: 'grids',
  'orgs.changed': 'orgs',
  'categories.changed': 'categories',
  'routing.changed': 'routing',
};

const MAX_IDS_IN_MESSAGE = 50;

export function formatSse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseHub {
  private clients = new Map<number, Client>();
  private nextId = 1;
  private pendingCases = new Set<number>();
  private pendingUsers = new Set<number>();
  private pendingTopics = new Set<LiveTopic>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout;
  private sessionCheck: NodeJS.Timeout;
  private unsubscribe: () => void;
  private closed = false;
  private readonly opts: Required<SseOptions>;

  constructor(
    bus: EventBus,
    private lookup: SseLookup,
    opts: SseOptions = {},
  ) {
    this.opts = {
      heartbeatMs: opts.heartbeatMs ?? 25_000,
      coalesceMs: opts.coalesceMs ?? 100,
      retryMs: opts.retryMs ?? 5_000,
      sessionCheckMs: opts.sessionCheckMs ?? 5 * 60_000,
      maxPerUser: opts.maxPerUser ?? 8,
      maxBufferedBytes: opts.maxBufferedBytes ?? 1 << 20,
    };
    this.unsubscribe = bus.subscribe((topic, payload) => this.hear(topic, payload));
    // Comments keep proxies and the browser from timing an idle stream out.
    this.heartbeat = setInterval(() => this.broadcastRaw(': ping\n\n'), this.opts.heartbeatMs);
    this.heartbeat.unref();
    this.sessionCheck = setInterval(() => void this.checkSessions().catch(() => {}), this.opts.sessionCheckMs);
    this.sessionCheck.unref();
  }

  get size() {
    return this.clients.size;
  }

  /** Takes over the response: from here on Fastify does not touch it. */
  attach(reply: FastifyReply, user: Pick<AuthUser, 'id' | 'orgPath'>, sessionId: string | null) {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers responses by default; a buffered stream is not live.
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    if (this.closed) {
      res.end();
      return;
    }
    const client: Client = { id: this.nextId++, user, sessionId, res, openedAt: Date.now() };
    this.clients.set(client.id, client);
    this.enforcePerUserLimit(user.id);
    res.write(`retry: ${this.opts.retryMs}\n\n`);
    res.write(formatSse('ready', { at: new Date().toISOString() }));
    // The response's close (not the request's) is the socket going away.
    res.on('close', () => this.clients.delete(client.id));
    res.on('error', () => this.clients.delete(client.id));
  }

  /** Ends every stream (server shutdown): app.close() must not wait for pages that never hang up. */
  closeAll() {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    clearInterval(this.heartbeat);
    clearInterval(this.sessionCheck);
    this.unsubscribe();
    for (const c of this.clients.values()) this.drop(c);
    this.clients.clear();
  }

  private drop(c: Client) {
    this.clients.delete(c.id);
    try {
      c.res.end();
    } catch {
      /* already gone */
    }
    // end() waits for the client to read; a stalled client must not keep the socket (or shutdown) waiting.
    c.res.socket?.destroySoon?.();
  }

  private enforcePerUserLimit(userId: number) {
    const mine = [...this.clients.values()].filter((c) => c.user.id === userId).sort((a, b) => a.openedAt - b.openedAt || a.id - b.id);
    for (const c of mine.slice(0, Math.max(0, mine.length - this.opts.maxPerUser))) this.drop(c);
  }

  private hear(topic: string, payload: unknown) {
    if (this.closed) return;
    const p = (payload ?? {}) as { caseId?: unknown; caseIds?: unknown; userIds?: unknown };
    if (topic === 'cases.changed') {
      if (typeof p.caseId === 'number') this.pendingCases.add(p.caseId);
      if (Array.isArray(p.caseIds)) for (const id of p.caseIds) if (typeof id === 'number') this.pendingCases.add(id);
    } else if (topic === 'notifications.changed') {
      if (Array.isArray(p.userIds)) for (const id of p.userIds) if (typeof id === 'number') this.pendingUsers.add(id);
    } else if (REFERENCE_TOPICS[topic]) {
      this.pendingTopics.add(REFERENCE_TOPICS[topic]);
    } else return;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      this.flushing = this.flush().catch(() => {});
    }, this.opts.coalesceMs);
  }

  /** Resolves when the current coalescing window has been sent (tests). */
  async settle() {
    for (;;) {
      if (this.flushTimer) await new Promise((r) => setTimeout(r, this.opts.coalesceMs));
      else if (this.flushing) {
        const current = this.flushing;
        await current;
        if (this.flushing === current) this.flushing = null;
      } else return;
    }
  }

  private async flush() {
    const caseIds = [...this.pendingCases];
    const userIds = new Set(this.pendingUsers);
    const topics = [...this.pendingTopics];
    this.pendingCases.clear();
    this.pendingUsers.clear();
    this.pendingTopics.clear();
    if (this.clients.size === 0) return;

    let places: CasePlace[] = [];
    for (let i = 0; i < caseIds.length; i += 500) places = places.concat(await this.lookup.casePlaces(caseIds.slice(i, i + 500)));

    for (const c of this.clients.values()) {
      let out = '';
      if (places.length) {
        const visible = places.filter((p) => this.lookup.canSee(c.user, p)).map((p) => p.id);
        if (visible.length === 1) out += formatSse('changed', { topic: 'cases', caseId: visible[0] } satisfies LiveMessage);
        else if (visible.length > 1) {
          out += formatSse('changed', (visible.length <= MAX_IDS_IN_MESSAGE ? { topic: 'cases', caseIds: visible } : { topic: 'cases' }) satisfies LiveMessage);
        }
      }
      if (userIds.has(c.user.id)) out += formatSse('changed', { topic: 'notifications' } satisfies LiveMessage);
      for (const topic of topics) out += formatSse('changed', { topic } satisfies LiveMessage);
      if (out) this.write(c, out);
    }
  }

  private write(c: Client, text: string) {
    if (c.res.writableEnded || c.res.destroyed) {
      this.clients.delete(c.id);
      return;
    }
    if (c.res.writableLength > this.opts.maxBufferedBytes) {
      this.drop(c);
      return;
    }
    c.res.write(text);
  }

  private broadcastRaw(text: string) {
    for (const c of this.clients.values()) this.write(c, text);
  }

  /** Ends streams whose session has ended (sign-out, expiry, deactivation); runs on a timer. */
  async checkSessions() {
    const withSession = [...this.clients.values()].filter((c) => c.sessionId);
    if (!withSession.length) return;
    const live = await this.lookup.liveSessions([...new Set(withSession.map((c) => c.sessionId!))]);
    for (const c of withSession) if (!live.has(c.sessionId!)) this.drop(c);
  }
}
