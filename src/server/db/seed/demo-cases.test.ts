import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDb, type TestDb } from '../../../../tests/helpers/db.js';
import { buildApp } from '../../app.js';
import { seedBaseline } from './baseline.js';
import { loadDemoIfEmpty } from './demo-load.js';
import { generateDemoStreet } from './demo-street.js';
import { DEMO_HISTORY_DAYS, loadDemoCaseWorld, simulateDemoCases, type DemoCaseWorld } from './demo-cases.js';
import type { CaseEventRow, CaseRow } from '../schema.js';
import { DEMO_PASSWORD } from '../../modules/admin/service.js';
import { planTransition, type CaseAction, type CaseState, type TransitionInput } from '../../../core/cases/index.js';
import { computeDeadline } from '../../../core/calendar/index.js';
import type { Role } from '../../../core/roles.js';

// A Friday late morning in Beijing (11:30), so the history ends inside a work period.
const NOW = new Date('2026-11-27T03:30:00Z');
const DAY = 86_400_000;

let t: TestDb;
let world: DemoCaseWorld;
let cases: CaseRow[];
let events: CaseEventRow[];
let eventsOf: Map<number, CaseEventRow[]>;
let roleOf: Map<number, { role: Role; orgId: number; username: string }>;
const byId = new Map<number, CaseRow>();

const dataOf = (e: CaseEventRow) => (e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {});
/** Actions that are state changes of transitionCase (not the intake's own rows). */
const isIntakeRow = (c: CaseRow, e: CaseEventRow) => e.at === c.created_at && ['report', 'file', 'dispatch', 'merge', 'rebound'].includes(e.action) && e.actor_id === c.created_by;

beforeAll(async () => {
  t = await createTestDb();
  await seedBaseline(t.deps.db);
  const started = performance.now();
  const loaded = await loadDemoIfEmpty(t.deps, generateDemoStreet(), { now: NOW });
  // A figure for the report, not an assertion: tests never assert wall-clock time.
  console.log(`demo street with history loaded in ${Math.round(performance.now() - started)} ms on ${t.deps.dialect}:`, loaded);
  const db = t.deps.db;
  cases = await db.selectFrom('cases').selectAll().orderBy('id').execute();
  events = await db.selectFrom('case_events').selectAll().orderBy('id').execute();
  eventsOf = new Map();
  for (const e of events) eventsOf.set(e.case_id, [...(eventsOf.get(e.case_id) ?? []), e]);
  for (const c of cases) byId.set(c.id, c);
  roleOf = new Map((await db.selectFrom('users').select(['id', 'role', 'org_id', 'username']).execute()).map((u) => [u.id, { role: u.role as Role, orgId: u.org_id, username: u.username }]));
  world = (await loadDemoCaseWorld(db))!;
}, 120_000);
afterAll(async () => t?.close());

describe('demo case history', () => {
  it('loads about three months of cases ending now, with their events, once', async () => {
    expect(cases.length).toBeGreaterThan(2_400);
    expect(cases.length).toBeLessThan(3_600);
    expect(events.length).toBeGreaterThan(cases.length * 5);
    const from = NOW.getTime() - DEMO_HISTORY_DAYS * DAY;
    expect(cases.every((c) => Date.parse(c.created_at) > from && Date.parse(c.created_at) <= NOW.getTime())).toBe(true);
    expect(events.every((e) => Date.parse(e.at) <= NOW.getTime())).toBe(true);
    // The history reads as one ledger: ids follow time, case numbers follow the report date.
    expect(events.every((e, i) => i === 0 || events[i - 1].at <= e.at)).toBe(true);
    expect(cases.every((c, i) => i === 0 || cases[i - 1].created_at <= c.created_at)).toBe(true);
    expect(cases.every((c) => /^WM\d{12}$/.test(c.case_no) && c.case_no.endsWith(String(c.id).padStart(6, '0')))).toBe(true);
    expect(await loadDemoIfEmpty(t.deps, generateDemoStreet(), { now: NOW })).toBeNull();
    expect(Number((await t.deps.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(cases.length);
  });

  it('is deterministic for a seed and `now`, and a different seed tells another story', () => {
    const fresh = { ...world, firstIds: { caseId: 1, eventId: 1, spotId: 1 } };
    const again = simulateDemoCases(fresh, { now: NOW });
    expect(again.cases).toEqual(cases);
    expect(again.events).toEqual(events);
    const other = simulateDemoCases(fresh, { now: NOW, seed: 7 });
    expect(other.cases.map((c) => c.description)).not.toEqual(cases.map((c) => c.description));
  });

  it('replays every case legally through the state machine, by the right people', () => {
    for (const c of cases) {
      const list = eventsOf.get(c.id)!;
      expect(list[0]).toMatchObject({ action: 'report', from_status: null, to_status: 'reported' });
      let state: CaseState = 'reported';
      let unitId: number | null = null;
      for (const e of list.slice(1)) {
        if (e.from_status === null) {
          expect(['rebound', 'merged_in']).toContain(e.action);
          continue;
        }
        expect(e.from_status, `${c.case_no} ${e.action}`).toBe(state);
        const actor = roleOf.get(e.actor_id!)!;
        const data = dataOf(e);
        if (e.action === 'merge' && isIntakeRow(c, e)) {
          expect(e.to_status).toBe('merged'); // a reporter joining an offered duplicate (intake, not a transition)
        } else {
          const input: TransitionInput = {
            reason: e.note ?? undefined,
            note: e.note ?? undefined,
            measures: typeof data.measures === 'string' ? data.measures : undefined,
            photoIds: e.action === 'feedback' ? ['after-photo'] : undefined,
            newDeadline: typeof data.newDeadline === 'string' ? data.newDeadline : undefined,
            mark: data.mark as TransitionInput['mark'],
            targetCaseId: data.targetCaseId as number | undefined,
            unitId: data.unitId as number | undefined,
          };
          const plan = planTransition(state, e.action as CaseAction, actor.role, input, { source: c.source });
          expect(plan.ok, `${c.case_no} ${state} -${e.action}/${actor.role}-> ${JSON.stringify(plan)}`).toBe(true);
          if (plan.ok) expect(plan.to).toBe(e.to_status);
        }
        if (e.action === 'dispatch') unitId = data.unitId as number;
        if (['start', 'feedback', 'return', 'request_extension'].includes(e.action) && !['office', 'dispatcher', 'admin'].includes(actor.role)) {
          expect(actor.orgId, `${c.case_no} ${e.action} by the unit's own staff`).toBe(unitId);
        }
        if (actor.role === 'grid_worker') expect(actor.orgId, `${c.case_no} ${e.action} by the grid's worker`).toBe(c.grid_id);
        if (e.action === 'return') unitId = null;
        state = e.to_status as CaseState;
      }
      expect(state, c.case_no).toBe(c.status);
      if (c.unit_id !== null && c.status !== 'reported' && c.status !== 'merged' && c.status !== 'rejected' && c.status !== 'verifying' && c.status !== 'filed') expect(c.unit_id).toBe(unitId);
    }
  });

  it('keeps counts, flags and links in step with the events', () => {
    const mergedInto = new Map<number, number>();
    for (const c of cases) if (c.merged_into_id) mergedInto.set(c.merged_into_id, (mergedInto.get(c.merged_into_id) ?? 0) + 1);
    for (const c of cases) {
      const list = eventsOf.get(c.id)!;
      const count = (action: string) => list.filter((e) => e.action === action).length;
      expect(c.rework_count, c.case_no).toBe(count('fail_check'));
      expect(c.return_count, c.case_no).toBe(count('return'));
      expect(c.extension_count, c.case_no).toBe(count('approve_extension'));
      expect(c.reopen_count, c.case_no).toBe(count('reopen'));
      expect(c.merged_count, c.case_no).toBe(count('merged_in'));
      expect(c.merged_count, c.case_no).toBe(mergedInto.get(c.id) ?? 0);
      const transitions = list.filter((e) => e.from_status !== null && !isIntakeRow(c, e)).length;
      expect(c.version, c.case_no).toBe(1 + transitions + count('merged_in'));
      expect(c.updated_at, c.case_no).toBe(list.filter((e) => e.action !== 'rebound').reduce((m, e) => (e.at > m ? e.at : m), c.created_at));
      const supervise = list.filter((e) => e.action === 'supervise');
      expect(c.supervised, c.case_no).toBe(supervise.length ? 1 : 0);
      expect(c.supervised_at).toBe(supervise.length ? supervise[supervise.length - 1].at : null);
      const feedback = list.filter((e) => e.action === 'feedback').pop();
      if (c.handled_at) {
        expect(c.handled_at).toBe(feedback!.at);
        expect(c.handled_on_time, c.case_no).toBe(!feedback!.deadline || feedback!.at <= feedback!.deadline ? 1 : 0);
      }
      if (c.status === 'closed') {
        const pass = list.filter((e) => e.action === 'pass_check').pop()!;
        expect(c.closed_at).toBe(pass.at);
        expect(c.checker_id).toBe(pass.actor_id);
        expect(c.closed_on_time).toBe(c.handled_on_time);
      } else expect(c.closed_at).toBeNull();
      const merge = list.find((e) => e.action === 'merge');
      expect(c.merged_into_id).toBe(merge ? (dataOf(merge).targetCaseId as number) : null);
      if (merge) expect(byId.get(c.merged_into_id!)!.category_code).toBe(c.category_code);
      const rebound = list.find((e) => e.action === 'rebound');
      expect(c.is_rebound, c.case_no).toBe(rebound ? 1 : 0);
      if (rebound) {
        const data = dataOf(rebound);
        const earlier = byId.get(c.rebound_of_id!)!;
        expect(data.ofCaseId).toBe(earlier.id);
        expect(c.rebound_unit_id).toBe(data.unitId);
        expect(earlier.category_code).toBe(c.category_code);
        // Closed before this report, within the rebound window; still closed then (a later reopen is possible).
        const closes = eventsOf.get(earlier.id)!.filter((e) => e.action === 'pass_check' && e.at < c.created_at);
        expect(closes.length).toBeGreaterThan(0);
        expect(Date.parse(c.created_at) - Date.parse(closes[closes.length - 1].at)).toBeLessThanOrEqual(30 * DAY);
      } else expect(c.rebound_of_id).toBeNull();
    }
  });

  it('counts rebound spots and flags the ones that keep coming back', async () => {
    const spots = await t.deps.db.selectFrom('rebound_spots').selectAll().execute();
    const reboundEvents = events.filter((e) => e.action === 'rebound');
    expect(spots.reduce((n, s) => n + s.rebound_count, 0)).toBe(reboundEvents.length);
    expect(spots.every((s) => s.flagged === (s.rebound_count >= 2 ? 1 : 0))).toBe(true);
    for (const s of spots) {
      const last = dataOf(reboundEvents.filter((e) => dataOf(e).spotId === s.id).pop()!);
      expect(last.spotCount).toBe(s.rebound_count);
    }
    const flagged = spots.filter((s) => s.flagged === 1).length;
    expect(flagged).toBeGreaterThanOrEqual(4);
    expect(flagged).toBeLessThan(spots.length);
  });

  it('puts every case inside its grid, micro-grid and community', () => {
    for (const c of cases) {
      const place = world.locate(c.lng, c.lat);
      expect(place, c.case_no).not.toBeNull();
      expect({ grid: c.grid_id, micro: c.micro_grid_id, community: c.community_id, path: c.org_path }).toEqual({
        grid: place!.gridId,
        micro: place!.microGridId,
        community: place!.communityId,
        path: place!.gridPath,
      });
    }
  });

  it('sets every deadline by the work calendar and the category limit', () => {
    for (const c of cases) {
      const limit = world.categories.get(c.category_code)!.timeLimit!;
      let deadline: string | null = null;
      for (const e of eventsOf.get(c.id)!) {
        const fresh = ['dispatch', 'fail_check', 'reopen'].includes(e.action) || (e.action === 'start' && e.from_status === 'hung');
        if (fresh) expect(e.deadline, `${c.case_no} ${e.action}`).toBe(computeDeadline(world.calendar, e.at, limit).deadline.toISOString());
        if (e.action === 'approve_extension') expect(e.deadline).toBe(dataOf(e).newDeadline);
        if (['return', 'hang'].includes(e.action)) expect(e.deadline).toBeNull();
        if (e.from_status !== null) deadline = e.deadline;
      }
      expect(c.deadline, c.case_no).toBe(deadline);
      if (['dispatched', 'processing', 'extension_requested'].includes(c.status)) {
        expect(c.overdue, c.case_no).toBe(Date.parse(c.deadline!) < NOW.getTime() ? 1 : 0);
      }
      if (c.handled_on_time === 0) expect(c.overdue, c.case_no).toBe(1);
    }
  });

  it('leaves work open on every workbench', () => {
    const statuses = new Set(cases.map((c) => c.status));
    for (const s of ['reported', 'verifying', 'filed', 'dispatched', 'returned', 'processing', 'extension_requested', 'hung', 'feedback', 'closed', 'rejected', 'merged']) {
      expect(statuses.has(s), s).toBe(true);
    }
    const user = (name: string) => [...roleOf.values()].find((u) => u.username === name)!;
    const queue = ['dispatched', 'processing', 'extension_requested'];
    for (const name of ['unit', 'community']) {
      const mine = cases.filter((c) => c.unit_id === user(name).orgId && queue.includes(c.status));
      expect(mine.length, name).toBeGreaterThanOrEqual(3);
      expect(mine.some((c) => c.overdue === 1), `${name} has overdue work`).toBe(true);
    }
    const grid = user('grid').orgId;
    expect(cases.filter((c) => c.grid_id === grid && ['reported', 'verifying'].includes(c.status) && c.source === 'hotline').length).toBeGreaterThanOrEqual(2);
    expect(cases.filter((c) => c.grid_id === grid && c.status === 'feedback').length).toBeGreaterThanOrEqual(1);
    expect(cases.some((c) => c.supervised === 1 && !['closed', 'rejected', 'merged'].includes(c.status))).toBe(true);
  });

  it('reads like the campaign: sources, categories, lateness, rework and returns', () => {
    const share = (f: (c: CaseRow) => boolean, of: CaseRow[] = cases) => of.filter(f).length / of.length;
    const bySource = (s: string) => cases.filter((c) => c.source === s);
    expect(share((c) => c.source === 'patrol')).toBeGreaterThan(0.35);
    for (const s of ['supervision', 'hotline', 'citizen_patrol', 'office', 'media', 'leader']) expect(bySource(s).length, s).toBeGreaterThan(5);
    expect(bySource('supervision').every((c) => ['city', 'district', 'street'].includes(c.source_level!) && /〔\d{4}〕专?\d+号$/.test(c.source_ref!))).toBe(true);
    expect(bySource('hotline').every((c) => /^1[358]\d{9}$/.test(c.reporter_phone!) && !!c.reporter_name)).toBe(true);
    const top = ['1401', '1402', '1101', '1103', '1201'];
    expect(share((c) => top.includes(c.category_code))).toBeGreaterThan(0.45);
    expect(cases.some((c) => c.category_code === '1109')).toBe(true);
    const closed = cases.filter((c) => c.status === 'closed');
    expect(share((c) => c.closed_on_time === 0, closed)).toBeGreaterThan(0.08);
    expect(share((c) => c.closed_on_time === 0, closed)).toBeLessThan(0.18);
    expect(share((c) => c.rework_count === 1, closed)).toBeGreaterThan(0.05);
    expect(closed.some((c) => c.rework_count === 2)).toBe(true);
    expect(share((c) => c.return_count > 0)).toBeGreaterThan(0.02);
    expect(cases.some((c) => c.mark === 'commitment') && cases.some((c) => c.mark === 'coordination')).toBe(true);
    expect(events.some((e) => e.action === 'deny_extension')).toBe(true);
    expect(events.filter((e) => e.action === 'feedback').every((e) => typeof dataOf(e).measures === 'string' && e.note === dataOf(e).measures)).toBe(true);
    expect(cases.some((c) => c.is_rebound === 1)).toBe(true);
    expect(cases.some((c) => c.merged_count > 0)).toBe(true);
  });

  it('serves the history through the case list, scoped to who asks', async () => {
    const app: FastifyInstance = await buildApp(t.deps, { serveWeb: false });
    await app.ready();
    try {
      const csrf = new Map<string, string>();
      const login = async (username: string) => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
        expect(res.statusCode).toBe(200);
        const cookie = String(res.headers['set-cookie']).split(';')[0];
        csrf.set(cookie, res.json().csrfToken);
        return cookie;
      };
      const post = (cookie: string, url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: { cookie, 'x-csrf-token': csrf.get(cookie)! } });
      const office = await login('office');
      const all = (await app.inject({ method: 'GET', url: '/api/v1/cases?pageSize=50', headers: { cookie: office } })).json();
      expect(all.total).toBe(cases.length);
      expect(all.items).toHaveLength(50);
      const community = await login('community');
      const communityOrg = [...roleOf.values()].find((u) => u.username === 'community')!.orgId;
      const scoped = (await app.inject({ method: 'GET', url: '/api/v1/cases?pageSize=200', headers: { cookie: community } })).json();
      expect(scoped.total).toBeGreaterThan(0);
      expect(scoped.total).toBeLessThan(cases.length);
      expect(scoped.items.every((c: { communityId: number; unitId: number | null }) => c.communityId === communityOrg || c.unitId === communityOrg)).toBe(true);
      const search = (await app.inject({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent('飞线充电')}`, headers: { cookie: office } })).json();
      expect(search.total).toBeGreaterThan(0);
      const todo = (await app.inject({ method: 'GET', url: '/api/v1/cases?queue=unit', headers: { cookie: community } })).json();
      expect(todo.total).toBeGreaterThan(0);
      const detail = (await app.inject({ method: 'GET', url: `/api/v1/cases/${todo.items[0].id}`, headers: { cookie: community } })).json();
      expect(detail.events.length).toBeGreaterThan(1);

      // The rows behave like real ones: a demo case moves on with its stored version, and new cases follow the history.
      const fresh = todo.items.find((c: { status: string }) => c.status === 'dispatched');
      const started = await post(community, `/api/v1/cases/${fresh.id}/transitions`, { action: 'start', version: fresh.version });
      expect(started.statusCode).toBe(200);
      const after = (await app.inject({ method: 'GET', url: `/api/v1/cases/${fresh.id}`, headers: { cookie: community } })).json();
      expect(after).toMatchObject({ status: 'processing', version: fresh.version + 1 });
      expect(after.events.at(-1)).toMatchObject({ action: 'start', fromStatus: 'dispatched', toStatus: 'processing' });
      const gridWorker = await login('grid');
      const gridOrg = [...roleOf.values()].find((u) => u.username === 'grid')!.orgId;
      const point = (await t.deps.db.selectFrom('points').select(['lat', 'lng']).where('grid_id', '=', gridOrg).orderBy('id').executeTakeFirstOrThrow());
      const reported = await post(gridWorker, '/api/v1/cases', { source: 'patrol', categoryCode: '1201', lat: point.lat, lng: point.lng, description: '测试：新上报的小广告' });
      expect(reported.statusCode).toBe(201);
      expect(reported.json().id).toBe(cases[cases.length - 1].id + 1);
    } finally {
      await app.close();
    }
  });
});
