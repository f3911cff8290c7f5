import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { Worker } from '../../jobs/worker.js';
import { runFanout } from './fanout.js';
import { sseHubs } from './routes.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WEBHOOK_JOB, verifyWebhookSignature } from './webhook.js';
import { caseSteps, IN_B1, spot } from './test-helpers.js';

let t: TestApp;
let steps: ReturnType<typeof caseSteps>;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
  steps = caseSteps(t);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => t?.close());

interface SseBlock {
  event: string | null;
  data: any;
  raw: string;
}

/** A real EventSource-like reader over fetch: collects the blocks of the stream as they arrive. */
async function openStream(url: string, cookie?: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${url}/api/v1/events`, { headers: cookie ? { cookie } : {}, signal: ctrl.signal });
  const blocks: SseBlock[] = [];
  let ended = false;
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(raw)?.[1] ?? null;
          const data = /^data: (.*)$/m.exec(raw)?.[1];
          blocks.push({ event, data: data ? JSON.parse(data) : null, raw });
        }
      }
    })()
      .catch(() => {})
      .finally(() => (ended = true));
  }
  const waitFor = async (pred: (b: SseBlock) => boolean, ms = 5000) => {
    const until = Date.now() + ms;
    for (;;) {
      const hit = blocks.find(pred);
      if (hit) return hit;
      if (Date.now() > until) throw new Error(`no such message; got ${JSON.stringify(blocks.map((b) => b.raw))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { res, blocks, waitFor, isEnded: () => ended, close: () => ctrl.abort() };
}

const changed = (topic: string) => (b: SseBlock) => b.event === 'changed' && b.data?.topic === topic;

describe('live updates over SSE', () => {
  it('tells a signed-in page that a case it can see changed, and nothing about cases it cannot', async () => {
    const a = await steps.dispatched();
    const b = await steps.dispatched({ ...spot(IN_B1), unitId: t.fx.communityB.id });
    const commA = await openStream(base, (await t.as('commA')).cookie);
    const office = await openStream(base, (await t.as('office')).cookie);
    expect(commA.res.status).toBe(200);
    expect(commA.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await commA.waitFor((x) => x.event === 'ready');
    expect(commA.blocks[0].raw).toMatch(/^retry: \d+$/);
    await office.waitFor((x) => x.event === 'ready');

    await steps.act('commB', b.id, 'start');
    await steps.act('commA', a.id, 'start');
    const seen = await commA.waitFor(changed('cases'));
    expect(seen.data).toEqual({ topic: 'cases', caseId: a.id });
    await office.waitFor((x) => changed('cases')(x) && (x.data.caseId === b.id || x.data.caseIds?.includes(b.id)));
    await sseHubs.get(t.app)!.settle();
    expect(commA.blocks.filter(changed('cases')).every((x) => x.data.caseId !== b.id && !x.data.caseIds?.includes(b.id))).toBe(true);

    // The inbox topic reaches the user whose inbox got a row.
    await runFanout(t.db.deps);
    await commA.waitFor(changed('notifications'));

    // A new report announces nothing itself; the fan-out tells the pages that can see it.
    const fresh = await steps.report('gridA1', { source: 'patrol' });
    await runFanout(t.db.deps);
    await commA.waitFor((x) => changed('cases')(x) && (x.data.caseId === fresh.id || x.data.caseIds?.includes(fresh.id)));
    commA.close();
    office.close();
  });

  it('refuses a visitor who is not signed in', async () => {
    const s = await openStream(base);
    expect(s.res.status).toBe(401);
    expect((await s.res.json()).code).toBe('AUTH_REQUIRED');
  });

  it('ends the stream of a session that has signed out', async () => {
    const volunteer = await t.as('volunteer');
    const s = await openStream(base, volunteer.cookie);
    await s.waitFor((x) => x.event === 'ready');
    await volunteer.post('/api/v1/auth/logout', {});
    await sseHubs.get(t.app)!.checkSessions();
    const until = Date.now() + 5000;
    while (!s.isEnded() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(s.isEnded()).toBe(true);
  });

  it('does not keep the server from shutting down while pages are connected', async () => {
    const other = await createTestApp();
    try {
      const url = await other.app.listen({ port: 0, host: '127.0.0.1' });
      const s = await openStream(url, (await other.as('office')).cookie);
      await s.waitFor((x) => x.event === 'ready');
      const closed = await Promise.race([other.app.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 5000))]);
      expect(closed).toBe('closed');
      const until = Date.now() + 2000;
      while (!s.isEnded() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(s.isEnded()).toBe(true);
    } finally {
      await other.db.close();
    }
  });
});

describe('the outbound webhook', () => {
  let receiver: Server;
  let hookUrl: string;
  const got: { headers: IncomingMessage['headers']; body: string }[] = [];
  let answers: number[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.statusCode = answers.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/relay`;
  });
  afterAll(async () => new Promise<void>((r) => receiver.close(() => r())));

  const SECRET = 'a-long-shared-secret-0123456789';

  it('is set by the office, and never shows its secret', async () => {
    const office = await t.as('office');
    expect((await office.get('/api/v1/settings/webhook')).json()).toEqual({ url: null, kinds: [], secretSet: false, secretHint: null });
    expect((await office.put('/api/v1/settings/webhook', { url: hookUrl, kinds: [] })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'secret' });
    expect((await office.put('/api/v1/settings/webhook', { url: 'ftp://example.org/x', secret: SECRET, kinds: [] })).statusCode).toBe(400);
    expect((await office.put('/api/v1/settings/webhook', { url: hookUrl, secret: 'short', kinds: [] })).json()).toMatchObject({ field: 'secret' });
    expect((await office.put('/api/v1/settings/webhook', { url: hookUrl, secret: SECRET, kinds: ['Dispatch!'] })).statusCode).toBe(400);
    const saved = await office.put('/api/v1/settings/webhook', { url: hookUrl, secret: SECRET, kinds: ['dispatch', 'overdue'] });
    expect(saved.json()).toEqual({ url: hookUrl, kinds: ['dispatch', 'overdue'], secretSet: true, secretHint: '…6789' });
    // Omitting the secret keeps it.
    expect((await office.put('/api/v1/settings/webhook', { url: hookUrl, kinds: ['dispatch'] })).json()).toMatchObject({ secretSet: true, kinds: ['dispatch'] });
    expect((await office.get('/api/v1/settings/webhook')).body).not.toContain(SECRET);
    expect((await (await t.as('commA')).get('/api/v1/settings/webhook')).statusCode).toBe(403);
    expect((await (await t.as('leader')).put('/api/v1/settings/webhook', { url: null, kinds: [] })).statusCode).toBe(403);
  });

  it('posts each notice signed, off the request path, and retries a failed delivery', async () => {
    await runFanout(t.db.deps); // earlier notices are not relayed: the webhook was off then
    got.length = 0;
    answers = [500];
    const c = await steps.dispatched();
    await steps.act('commA', c.id, 'start'); // a kind not relayed
    expect(got).toHaveLength(0);
    const r = await runFanout(t.db.deps);
    expect(r.webhooks).toBe(1);
    expect(got).toHaveLength(0); // queued, not sent by the fan-out itself

    const worker = new Worker(t.db.deps);
    await worker.tick();
    expect(got).toHaveLength(1);
    const job = await t.db.deps.db.selectFrom('jobs').selectAll().where('kind', '=', WEBHOOK_JOB).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'queued', attempts: 1 });
    expect(job.last_error).toMatch(/HTTP 500/);
    expect(job.run_at > new Date().toISOString()).toBe(true); // backing off

    await t.db.deps.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', job.id).execute();
    await worker.tick();
    expect(got).toHaveLength(2);
    expect((await t.db.deps.db.selectFrom('jobs').select(['status', 'attempts']).where('id', '=', job.id).executeTakeFirstOrThrow())).toEqual({ status: 'done', attempts: 2 });

    for (const delivery of got) {
      expect(verifyWebhookSignature(SECRET, delivery.body, delivery.headers[SIGNATURE_HEADER] as string)).toBe(true);
      expect(verifyWebhookSignature('another-secret-entirely', delivery.body, delivery.headers[SIGNATURE_HEADER] as string)).toBe(false);
      const body = JSON.parse(delivery.body);
      expect(Number(delivery.headers[TIMESTAMP_HEADER])).toBe(body.sentAt);
      expect(delivery.headers[DELIVERY_HEADER]).toBe(body.id);
      expect(body).toMatchObject({
        id: expect.stringMatching(/^evt-\d+$/),
        kind: 'dispatch',
        title: expect.stringMatching(/^新派遣：WM/),
        case: { id: c.id },
        recipients: [{ userId: t.fx.users.commA, username: 'commA', displayName: '测试commA' }],
      });
    }
    expect(JSON.parse(got[0].body).id).toBe(JSON.parse(got[1].body).id); // same notice: receivers deduplicate by id
    expect(await runFanout(t.db.deps)).toMatchObject({ webhooks: 0 });
    await worker.stop();
  });
});
