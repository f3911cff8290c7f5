import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { isPostgres } from '../../db/database.js';
import { FANOUT_CURSOR, runFanout } from './fanout.js';
import { caseSteps, IN_B1, spot } from './test-helpers.js';

let t: TestApp;
let steps: ReturnType<typeof caseSteps>;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
  steps = caseSteps(t);
});
afterAll(async () => t?.close());

const fanout = () => runFanout(t.db.deps);
const EVERYONE = ['admin', 'office', 'leader', 'dispatcher', 'inspector', 'unit', 'commA', 'commB', 'gridA1', 'patrol', 'volunteer'];
/** Who holds a notice of this kind about this case. */
async function holders(caseId: number, kind: string) {
  const out: string[] = [];
  for (const u of EVERYONE) if ((await steps.kindsFor(u, caseId)).includes(kind)) out.push(u);
  return out;
}

describe('fan-out from case events', () => {
  it('tells each step to the people who act next, never the actor, never outside the case scope', async () => {
    const c = await steps.dispatched();
    await fanout();
    expect(await holders(c.id, 'dispatch')).toEqual(['commA']);

    await steps.act('commA', c.id, 'start');
    await steps.act('commA', c.id, 'feedback', { measures: '已清理干净', photoIds: [await steps.photo('commA')] });
    await fanout();
    expect(await holders(c.id, 'feedback')).toEqual(['office', 'gridA1']);

    await steps.act('gridA1', c.id, 'fail_check', { reason: '地面仍有残留' });
    await fanout();
    expect(await holders(c.id, 'fail_check')).toEqual(['commA']);
    expect((await steps.inbox('commA')).items.find((n) => n.kind === 'fail_check')!.body).toContain('原因：地面仍有残留');

    await steps.act('commA', c.id, 'request_extension', { reason: '需协调环卫车辆', extensionHours: 4 });
    await fanout();
    expect(await holders(c.id, 'request_extension')).toEqual(['office', 'dispatcher']);

    await steps.act('dispatcher', c.id, 'approve_extension');
    await steps.act('leader', c.id, 'supervise', { note: '请加快办理' });
    await fanout();
    expect(await holders(c.id, 'approve_extension')).toEqual(['commA']);
    expect(await holders(c.id, 'supervise')).toEqual(['office', 'commA']);

    await steps.act('commA', c.id, 'feedback', { measures: '冲洗地面', photoIds: [await steps.photo('commA')] });
    await steps.act('gridA1', c.id, 'pass_check');
    await fanout();
    // The office reported it (office entry), so the office hears it is closed.
    expect(await holders(c.id, 'pass_check')).toEqual(['office']);
  });

  it('sends a returned case to the dispatch desk, and the reporter hears when a report is not filed', async () => {
    const c = await steps.report('office', { dispatch: true, categoryCode: '1401' }); // routed to 城管科
    await steps.act('unit', c.id, 'return', { reason: '属于社区职责' });
    const r = await steps.report('patrol', { source: 'citizen_patrol', description: '巡访发现楼道堆物' });
    await steps.act('dispatcher', r.id, 'reject', { reason: '已由物业处理' });
    await fanout();
    expect(await holders(c.id, 'return')).toEqual(['office', 'dispatcher']);
    expect(await holders(r.id, 'reject')).toEqual(['patrol']);
  });

  it('keeps another community out of it', async () => {
    const b = await steps.dispatched({ ...spot(IN_B1), unitId: t.fx.communityB.id });
    await fanout();
    expect(await holders(b.id, 'dispatch')).toEqual(['commB']);
    expect((await steps.inbox('commA')).items.every((n) => n.caseId !== b.id)).toBe(true);
  });

  it('adds nothing when run again, or when the cursor is lost after a crash', async () => {
    await steps.dispatched();
    expect((await fanout()).notifications).toBe(1);
    expect(await fanout()).toMatchObject({ events: 0, notifications: 0 });
    const count = async () => Number((await t.db.deps.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await t.db.deps.db.updateTable('outbox_cursors').set({ last_id: 0 }).where('name', '=', FANOUT_CURSOR).execute();
    const again = await fanout();
    expect(again.events).toBeGreaterThan(10);
    expect(again.notifications).toBe(0);
    expect(await count()).toBe(before);
  });

  it('in small paced batches reaches the same people as in one batch, and reads cases only for events that notify', async () => {
    const cases = [await steps.dispatched(), await steps.dispatched(), await steps.dispatched()];
    // Each dispatched report wrote report, file and dispatch: only the dispatch notifies (its unit).
    const r = await runFanout(t.db.deps, { batchSize: 2, maxBatches: 100, pauseShare: 1 });
    expect(r.events).toBeGreaterThanOrEqual(9);
    expect(r.notifications).toBe(3);
    for (const c of cases) expect(await holders(c.id, 'dispatch')).toEqual(['commA']);
    expect(await fanout()).toMatchObject({ events: 0, notifications: 0 });
  });

  it('passes over old history (a loaded demo) instead of flooding inboxes', async () => {
    const c = await steps.dispatched();
    await t.db.deps.db.updateTable('case_events').set({ at: '2026-01-05T02:00:00.000Z' }).where('case_id', '=', c.id).execute();
    const r = await fanout();
    expect(r.events).toBeGreaterThan(0);
    expect(await holders(c.id, 'dispatch')).toEqual([]);
  });

  it('picks up an event that commits after a later one (PostgreSQL commits out of id order)', async () => {
    const db = t.db.deps.db;
    const c = await steps.dispatched();
    await fanout();
    const top = Number((await db.selectFrom('case_events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m);
    const event = (id: number, action: string) => ({ id, case_id: c.id, at: new Date().toISOString(), actor_id: t.fx.users.leader, actor_name: '测试leader', actor_org: null, action, from_status: null, to_status: null, note: null, data: null, deadline: null });
    // Id top+3 commits first; top+1 is still open in another transaction when the fan-out runs.
    await db.insertInto('case_events').values(event(top + 3, 'supervise')).execute();
    await fanout();
    expect(await holders(c.id, 'supervise')).toEqual(['office', 'commA']);
    const gaps = await db.selectFrom('outbox_gaps').select(['from_id', 'to_id']).execute();
    expect(gaps).toEqual([{ from_id: top + 1, to_id: top + 2 }]);
    await db.insertInto('case_events').values(event(top + 1, 'overdue')).execute();
    await fanout();
    expect(await holders(c.id, 'overdue')).toEqual(['office', 'dispatcher', 'commA']);
    expect(await db.selectFrom('outbox_gaps').select(['from_id', 'to_id']).execute()).toEqual([{ from_id: top + 2, to_id: top + 2 }]);
    // Ids that never commit (rolled back) are forgotten after the grace period.
    await runFanout(t.db.deps, { now: new Date(Date.now() + 11 * 60_000) });
    expect(await db.selectFrom('outbox_gaps').selectAll().execute()).toEqual([]);
    if (isPostgres(db)) await sql`SELECT setval('case_events_id_seq', (SELECT max(id) FROM case_events))`.execute(db);
  });
});

describe('the inbox', () => {
  it('shows each user their own notices only, and marks them read', async () => {
    const c = await steps.dispatched();
    await fanout();
    const commA = await t.as('commA');
    const mine = await steps.inbox('commA');
    expect(mine.unread).toBeGreaterThan(0);
    expect(mine.items[0]).toMatchObject({ kind: 'dispatch', caseId: c.id, caseNo: expect.stringMatching(/^WM/), readAt: null, title: expect.stringMatching(/^新派遣：WM/) });
    const theirs = await steps.inbox('commB');

    // Another user's ids are ignored, not reported.
    const foreign = await commA.post('/api/v1/notifications/read', { ids: theirs.items.slice(0, 1).map((n) => n.id).concat([mine.items[0].id]) });
    expect(foreign.json()).toEqual({ updated: 1, unread: mine.unread - 1 });
    expect((await steps.inbox('commB')).unread).toBe(theirs.unread);
    expect((await commA.get('/api/v1/notifications/unread-count')).json()).toEqual({ unread: mine.unread - 1 });
    expect((await steps.inbox('commA', '&unread=true')).items.every((n) => n.readAt === null)).toBe(true);

    expect((await commA.post('/api/v1/notifications/read', { all: true })).json()).toEqual({ updated: mine.unread - 1, unread: 0 });
    expect((await steps.inbox('commA', '&unread=true')).total).toBe(0);
    expect((await steps.inbox('commA')).total).toBe(mine.total);
  });

  it.each([
    [{}, 'ids'],
    [{ ids: [] }, 'ids'],
    [{ ids: ['x'] }, 'ids.0'],
    [{ ids: [1], all: true }, 'ids'],
    [{ ids: Array.from({ length: 501 }, (_, i) => i + 1) }, 'ids'],
  ])('refuses %j with 400', async (body, field) => {
    const res = await (await t.as('commA')).post('/api/v1/notifications/read', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('validates paging and needs a sign-in', async () => {
    expect((await (await t.as('commA')).get('/api/v1/notifications?pageSize=500')).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'pageSize' });
    expect((await (await t.as('commA')).get('/api/v1/notifications?unread=maybe')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/events' })).statusCode).toBe(401);
  });
});
