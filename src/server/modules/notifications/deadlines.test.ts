import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { runDeadlinePass } from '../../jobs/deadlines.js';
import { runFanout } from './fanout.js';
import { notificationRepo } from './repo.js';
import { caseSteps, IN_B1, spot } from './test-helpers.js';

let t: TestApp;
let steps: ReturnType<typeof caseSteps>;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
  steps = caseSteps(t);
});
afterAll(async () => t?.close());

// Monday 2026-03-09, 08:00 Beijing; 暴露垃圾 has 4 work hours, so the deadline is 12:00 (04:00Z).
const START = '2026-03-09T00:00:00.000Z';
const DEADLINE = '2026-03-09T04:00:00.000Z';

/** Moves a case's clock into the past, as if it had been dispatched then. */
const setClock = (id: number, dispatchedAt: string, deadline: string) =>
  t.db.deps.db.updateTable('cases').set({ dispatched_at: dispatchedAt, deadline }).where('id', '=', id).execute();
const caseRow = (id: number) => t.db.deps.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const systemEvents = async (id: number) =>
  (await t.db.deps.db.selectFrom('case_events').select(['action', 'data']).where('case_id', '=', id).where('actor_id', 'is', null).orderBy('id').execute())
    .filter((e) => ['remind', 'overdue', 'escalate'].includes(e.action))
    .map((e) => (e.action === 'overdue' ? 'overdue' : `${e.action}:${JSON.parse(e.data!)[e.action === 'remind' ? 'percent' : 'level']}`));
const pass = (now: string) => runDeadlinePass(t.db.deps, new Date(now));
const fanout = (now: string) => runFanout(t.db.deps, { now: new Date(now) });
const levels = async (id: number) => {
  const c = await caseRow(id);
  return [c.reminder_level, c.overdue, c.escalation_level];
};

describe('the deadline job', () => {
  it('reminds at 50 % and 80 %, marks overdue at 100 %, escalates to the unit and then the leaders, once each', async () => {
    const c = await steps.dispatched();
    await setClock(c.id, START, DEADLINE);

    await pass('2026-03-09T01:00:00Z');
    expect(await levels(c.id)).toEqual([0, 0, 0]);

    await pass('2026-03-09T02:00:00Z');
    expect(await levels(c.id)).toEqual([1, 0, 0]);
    const version = (await caseRow(c.id)).version;
    await pass('2026-03-09T02:00:00Z'); // idempotent: nothing new
    expect(await systemEvents(c.id)).toEqual(['remind:50']);

    await fanout('2026-03-09T02:00:00Z');
    expect(await steps.kindsFor('commA', c.id)).toEqual(['dispatch', 'remind']);
    expect((await steps.inbox('commA')).items.find((n) => n.kind === 'remind' && n.caseId === c.id)!.title).toMatch(/^催办：WM\d+ 时限已用 50%$/);
    for (const other of ['commB', 'unit', 'office', 'dispatcher', 'leader', 'gridA1']) expect(await steps.kindsFor(other, c.id)).toEqual([]);

    await pass('2026-03-09T03:12:00Z');
    expect(await levels(c.id)).toEqual([2, 0, 0]);

    await pass('2026-03-09T04:00:00Z');
    expect(await levels(c.id)).toEqual([3, 1, 1]);
    expect(await systemEvents(c.id)).toEqual(['remind:50', 'remind:80', 'overdue', 'escalate:1']);
    await fanout('2026-03-09T04:00:00Z');
    expect(await steps.kindsFor('commA', c.id)).toEqual(['dispatch', 'remind', 'remind', 'overdue', 'escalate']);
    expect(await steps.kindsFor('dispatcher', c.id)).toEqual(['overdue']);
    expect(await steps.kindsFor('office', c.id)).toEqual(['overdue']);
    expect(await steps.kindsFor('leader', c.id)).toEqual([]);

    // 14:00–18:00 Beijing: four work hours late (the lunch break does not count).
    await pass('2026-03-09T06:00:00Z');
    expect(await levels(c.id)).toEqual([3, 1, 1]);
    await pass('2026-03-09T10:00:00Z');
    expect(await levels(c.id)).toEqual([3, 1, 2]);
    await fanout('2026-03-09T10:00:00Z');
    expect(await steps.kindsFor('leader', c.id)).toEqual(['escalate']);
    expect(await steps.kindsFor('office', c.id)).toEqual(['overdue', 'escalate']);
    expect(await steps.kindsFor('commA', c.id)).toEqual(['dispatch', 'remind', 'remind', 'overdue', 'escalate']);
    expect((await steps.inbox('leader')).items[0].title).toMatch(/超期升级督办（2级）/);

    // Everything is done for this case: more passes and fan-outs add nothing, and the version never moved
    // (people working on the case do not get a 409 because a reminder went out).
    const before = (await steps.inbox('office')).total;
    await pass('2026-03-12T10:00:00Z');
    await fanout('2026-03-12T10:00:00Z');
    expect(await systemEvents(c.id)).toEqual(['remind:50', 'remind:80', 'overdue', 'escalate:1', 'escalate:2']);
    expect((await steps.inbox('office')).total).toBe(before);
    expect((await caseRow(c.id)).version).toBe(version);

    const listed = (await (await t.as('commA')).get('/api/v1/cases?overdue=true&pageSize=200')).json();
    expect(listed.items.map((x: { id: number }) => x.id)).toContain(c.id);
  });

  it('skips a case whose version moved between reading and writing, and takes it up on the next pass', async () => {
    const c = await steps.dispatched();
    await setClock(c.id, START, DEADLINE);
    const [read] = (await notificationRepo.deadlinePage(t.db.deps.db, { after: null, limit: 10_000, reminderLevels: 3, escalationLevels: 2 })).filter((r) => r.id === c.id);
    await steps.act('commA', c.id, 'start'); // the unit signs: version + 1
    const updated = await notificationRepo.applyDeadlineChanges(
      t.db.deps.db,
      [{ id: c.id, version: read.version, from: { reminderLevel: 0, overdue: 0, escalationLevel: 0 }, to: { reminderLevel: 1, overdue: 0, escalationLevel: 0 } }],
      new Date().toISOString(),
    );
    expect(updated).toEqual([]);
    expect(await levels(c.id)).toEqual([0, 0, 0]);
    await pass('2026-03-09T02:00:00Z');
    expect(await levels(c.id)).toEqual([1, 0, 0]);
  });

  it('pages through open cases by deadline without missing one, and leaves other states alone', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await steps.dispatched({ ...spot(IN_B1), unitId: t.fx.communityB.id });
      // Same start, deadlines a minute apart: all at ≥ 50 % at 02:30Z.
      await setClock(c.id, START, new Date(Date.parse(DEADLINE) + i * 60_000).toISOString());
      ids.push(c.id);
    }
    const hung = await steps.dispatched({ ...spot(IN_B1), unitId: t.fx.communityB.id });
    await setClock(hung.id, START, DEADLINE);
    await steps.act('commB', hung.id, 'start');
    await steps.act('leader', hung.id, 'hang', { reason: '需区级协调' }); // 挂账: no deadline, no reminders

    const result = await runDeadlinePass(t.db.deps, new Date('2026-03-09T02:30:00Z'), { pageSize: 2, flushSize: 1 });
    expect(result.scanned).toBeGreaterThanOrEqual(5);
    for (const id of ids) expect(await levels(id)).toEqual([1, 0, 0]);
    expect(await levels(hung.id)).toEqual([0, 0, 0]);
    expect(result.events.remind).toBeGreaterThanOrEqual(5);
  });

  it('runs a fresh clock after rework: the limit counts from the 返工, not from the first dispatch', async () => {
    const c = await steps.dispatched();
    await setClock(c.id, START, DEADLINE);
    await steps.act('commA', c.id, 'start');
    await steps.act('commA', c.id, 'feedback', { measures: '已清理', photoIds: [await steps.photo('commA')] });
    const reworked = await steps.act('gridA1', c.id, 'fail_check', { reason: '仍有残留' });
    expect(reworked.status).toBe('processing');
    const now = new Date(Date.parse(reworked.events.at(-1).at) + 60_000);
    await runDeadlinePass(t.db.deps, now);
    expect(await levels(c.id)).toEqual([0, 0, 0]);
    // Had the first dispatch (March) been the start, this would be long overdue.
    await runDeadlinePass(t.db.deps, new Date(reworked.deadline));
    expect(await levels(c.id)).toEqual([3, 1, 1]);
  });
});
