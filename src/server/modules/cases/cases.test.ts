import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
});
afterAll(async () => t?.close());

// Inside 东风社区第1网格 (community A) and 西苑社区第1网格 (community B) of the fixture street.
const IN_A1 = { lat: 36.805, lng: 118.005 };
const IN_B1 = { lat: 36.805, lng: 118.035 };
let seq = 0;
const spot = (base: { lat: number; lng: number }) => ({ lat: base.lat + (++seq % 50) * 0.001 * 0.09, lng: base.lng + Math.floor(seq / 50) * 0.0008 });

const countCases = async () => Number((await t.db.deps.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const countEvents = async () => Number((await t.db.deps.db.selectFrom('case_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function report(username: string, body: Record<string, unknown>) {
  const c = await t.as(username);
  return c.post('/api/v1/cases', { source: 'patrol', categoryCode: '1401', description: '人行道上停了三辆车', ...spot(IN_A1), ...body });
}

async function act(username: string, id: number, action: string, extra: Record<string, unknown> = {}) {
  const c = await t.as(username);
  const current = (await (await t.as('office')).get(`/api/v1/cases/${id}`)).json();
  return c.post(`/api/v1/cases/${id}/transitions`, { action, version: current.version, ...extra });
}

/** Intake answers from what it wrote: the same view GET /cases/:id gives, plus `duplicates` and `rebound`. */
async function expectAnswerAsRead(username: string, answer: Record<string, unknown>) {
  const read = (await (await t.as(username)).get(`/api/v1/cases/${answer.id}`)).json();
  const { duplicates: _d, rebound: _r, remainingMinutes: leftThen, ...rest } = answer;
  const { remainingMinutes: leftNow, ...readRest } = read;
  expect(rest).toEqual(readRest);
  if (leftThen === null) expect(leftNow).toBeNull();
  else expect(Math.abs((leftThen as number) - leftNow)).toBeLessThanOrEqual(1);
}

describe('intake', () => {
  it('answers a dispatched report as GET /cases/:id shows it, with the open case next to it offered as a duplicate', async () => {
    const here = { lat: 36.8072, lng: 118.0072 };
    const first = (await report('office', { ...here, source: 'office', categoryCode: '1101', dispatch: true, address: '东风路 3 号' })).json();
    await expectAnswerAsRead('office', first);
    const second = (await report('office', { ...here, lat: here.lat + 0.00005, source: 'hotline', sourceRef: 'GD-0001', reporterName: '张三', reporterPhone: '13800001111', categoryCode: '1101' })).json();
    expect(second.duplicates.map((d: { id: number }) => d.id)).toContain(first.id);
    expect(second.events.map((e: { action: string }) => e.action)).toEqual(['report']);
    await expectAnswerAsRead('office', second);
    await expectAnswerAsRead('dispatcher', (await report('dispatcher', { ...here, lng: here.lng + 0.0002, source: 'office', categoryCode: '1101' })).json());
  });

  it('files a patrol report in its grid with the unit proposed by the 责任清单 and a first event', async () => {
    const res = await report('gridA1', { address: '东风路 12 号' });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ status: 'reported', source: 'patrol', categoryCode: '1401', categoryKind: 'event', gridId: t.fx.gridA1.id, communityId: t.fx.communityA.id, unitId: t.fx.dept.id, unitName: '城管科', version: 1 });
    expect(c.caseNo).toMatch(/^WM\d{6}\d{6}$/);
    expect(c.events).toHaveLength(1);
    expect(c.events[0]).toMatchObject({ action: 'report', toStatus: 'reported', actorName: '测试gridA1' });
    expect(c.actions).toEqual(['verify']);
    const asDispatcher = (await (await t.as('dispatcher')).get(`/api/v1/cases/${c.id}`)).json();
    expect(asDispatcher.actions).toEqual(expect.arrayContaining(['file', 'reject', 'merge']));
  });

  it('files and dispatches at once for the office, with a deadline in work hours', async () => {
    const res = await report('office', { source: 'supervision', sourceLevel: 'city', sourceRef: '淄创城通〔2026〕18号', dispatch: true });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.status).toBe('dispatched');
    expect(c.deadline).toEqual(expect.any(String));
    expect(new Date(c.deadline).getTime()).toBeGreaterThan(Date.now());
    expect(c.events.map((e: { action: string }) => e.action)).toEqual(['report', 'file', 'dispatch']);
  });

  it.each([
    [{ categoryCode: '9999' }, 400, 'VALIDATION_FAILED', 'categoryCode'],
    [{ categoryCode: '14' }, 400, 'VALIDATION_FAILED', 'categoryCode'],
    [{ lat: 'north' }, 400, 'VALIDATION_FAILED', 'lat'],
    [{ lat: 91 }, 400, 'VALIDATION_FAILED', 'lat'],
    [{ lat: 36.9, lng: 118.3 }, 400, 'OUTSIDE_GRIDS', 'lat'],
    [{ description: '' }, 400, 'VALIDATION_FAILED', 'description'],
    [{ description: 'x'.repeat(2001) }, 400, 'VALIDATION_FAILED', 'description'],
    [{ source: 'rumour' }, 400, 'VALIDATION_FAILED', 'source'],
    [{ source: 'supervision' }, 403, 'FORBIDDEN', undefined],
    [{ photoIds: [999999] }, 400, 'VALIDATION_FAILED', 'photoIds'],
    [{ pointId: 424242 }, 400, 'VALIDATION_FAILED', 'pointId'],
  ])('rejects %j from a grid worker without writing anything', async (body, status, code, field) => {
    const [cases, events] = [await countCases(), await countEvents()];
    const res = await report('gridA1', body);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    if (field) expect(res.json().field).toBe(field);
    expect(await countCases()).toBe(cases);
    expect(await countEvents()).toBe(events);
  });

  it('asks supervision notices for their level and refuses dispatch-now for reports that need verification', async () => {
    expect((await report('office', { source: 'supervision' })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'sourceLevel' });
    expect((await report('office', { source: 'hotline', dispatch: true })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'dispatch' });
  });

  it('returns the same case for a retried idempotency key', async () => {
    const key = 'retry-key-0001';
    const a = await report('gridA1', { idempotencyKey: key });
    const b = await report('gridA1', { idempotencyKey: key });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json().id).toBe(a.json().id);
  });

  it('stores one case for retries racing with the same idempotency key, and answers each with it', async () => {
    const key = 'race-key-0001';
    const before = await countCases();
    const answers = await Promise.all([1, 2, 3].map(() => report('gridA1', { idempotencyKey: key, description: '同一次上报的重试' })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((r) => r.json().id)).size).toBe(1);
    expect(await countCases()).toBe(before + 1);
  });

  it('offers open cases of the same category nearby, and merges a duplicate into the first report', async () => {
    const here = { lat: 36.8071, lng: 118.0071 };
    const first = (await report('gridA1', { ...here, categoryCode: '1201', description: '电线杆上贴满小广告' })).json();
    const nearby = await (await t.as('gridA1')).get(`/api/v1/cases/nearby?categoryCode=1201&lat=${here.lat + 0.0001}&lng=${here.lng}`);
    expect(nearby.json().items.map((c: { id: number }) => c.id)).toContain(first.id);
    const second = await report('office', { ...here, lat: here.lat + 0.0001, categoryCode: '1201', source: 'office', description: '小广告又有人报' });
    expect(second.json().duplicates.map((d: { id: number }) => d.id)).toContain(first.id);
    const merged = await report('patrol', { ...here, categoryCode: '1201', source: 'citizen_patrol', description: '同一处小广告', mergeIntoId: first.id });
    expect(merged.statusCode).toBe(201);
    expect(merged.json()).toMatchObject({ status: 'merged', mergedIntoId: first.id });
    const target = (await (await t.as('office')).get(`/api/v1/cases/${first.id}`)).json();
    expect(target.mergedCount).toBe(1);
    expect(target.mergedCases[0]).toMatchObject({ id: merged.json().id, source: 'citizen_patrol' });
    expect(target.reporterName).toBe('测试gridA1'); // the first reporter keeps the credit
  });
});

describe('the loop', () => {
  it('walks a case from report to 销号 through a failed check and rework, writing an event per step', async () => {
    const id = (await report('gridA1', { categoryCode: '1101', description: '路边暴露垃圾一堆' })).json().id;
    expect((await act('dispatcher', id, 'file')).json().status).toBe('filed');
    const dispatched = (await act('dispatcher', id, 'dispatch', { unitId: t.fx.communityA.id })).json();
    expect(dispatched).toMatchObject({ status: 'dispatched', unitId: t.fx.communityA.id });
    expect(dispatched.deadline).toEqual(expect.any(String));
    expect((await act('commA', id, 'start')).json().status).toBe('processing');
    const noPhoto = await act('commA', id, 'feedback', { measures: '已清理' });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().field).toBe('photoIds');
    const photo = await uploadPhoto('commA');
    expect((await act('commA', id, 'feedback', { measures: '已清理干净', photoIds: [photo] })).json().status).toBe('feedback');
    const failed = await act('gridA1', id, 'fail_check', { reason: '地面仍有残留' });
    expect(failed.json()).toMatchObject({ status: 'processing', reworkCount: 1 });
    const photo2 = await uploadPhoto('commA');
    await act('commA', id, 'feedback', { measures: '冲洗地面', photoIds: [photo2] });
    const closed = (await act('gridA1', id, 'pass_check')).json();
    expect(closed).toMatchObject({ status: 'closed', reworkCount: 1 });
    expect(closed.closedAt).toEqual(expect.any(String));
    expect(closed.photos.before).toHaveLength(0);
    expect(closed.photos.after).toHaveLength(2);
    expect(closed.events.map((e: { action: string }) => e.action)).toEqual(['report', 'file', 'dispatch', 'start', 'feedback', 'fail_check', 'feedback', 'pass_check']);
  });

  it('answers an illegal action with 422 and the actions allowed', async () => {
    const id = (await report('gridA1', {})).json().id;
    const res = await act('dispatcher', id, 'pass_check');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { status: 'reported', allowed: expect.arrayContaining(['file', 'reject']) } });
  });

  it('requires a reason to reject and to return', async () => {
    const id = (await report('gridA1', {})).json().id;
    const res = await act('dispatcher', id, 'reject');
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('reason');
  });

  it('lets exactly one of two dispatchers win the same version', async () => {
    const id = (await report('gridA1', {})).json().id;
    const version = (await (await t.as('office')).get(`/api/v1/cases/${id}`)).json().version;
    const d1 = await t.as('dispatcher');
    const d2 = await t.as('office');
    const [a, b] = await Promise.all([
      d1.post(`/api/v1/cases/${id}/transitions`, { action: 'file', version }),
      d2.post(`/api/v1/cases/${id}/transitions`, { action: 'reject', version, reason: '重复' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const after = (await d1.get(`/api/v1/cases/${id}`)).json();
    expect(after.version).toBe(version + 1);
    expect(after.events).toHaveLength(2);
  });

  it('keeps unit actions to the unit the case was sent to', async () => {
    const id = (await report('office', { source: 'office', dispatch: true, unitId: t.fx.communityA.id })).json().id;
    expect((await act('commB', id, 'start')).statusCode).toBe(404); // not even visible
    expect((await act('unit', id, 'start')).statusCode).toBe(404);
    expect((await act('commA', id, 'start')).statusCode).toBe(200);
  });

  it('returns a case, re-routes it, and counts the return', async () => {
    const id = (await report('office', { source: 'office', dispatch: true })).json().id;
    const res = await act('unit', id, 'return', { reason: '属于社区职责' });
    expect(res.json()).toEqual({ id, visible: false }); // the unit no longer sees a case it returned
    const returned = (await (await t.as('dispatcher')).get(`/api/v1/cases/${id}`)).json();
    expect(returned).toMatchObject({ status: 'returned', unitId: null, returnCount: 1, deadline: null });
    const again = (await act('dispatcher', id, 'dispatch', { unitId: t.fx.communityA.id })).json();
    expect(again).toMatchObject({ status: 'dispatched', unitId: t.fx.communityA.id });
  });

  it('handles extension requests and 督办', async () => {
    const id = (await report('office', { source: 'office', dispatch: true })).json().id;
    await act('unit', id, 'start');
    const asked = (await act('unit', id, 'request_extension', { reason: '需协调交警', extensionHours: 8, mark: 'coordination' })).json();
    expect(asked).toMatchObject({ status: 'extension_requested', mark: 'coordination' });
    expect(asked.pendingExtension.newDeadline > asked.deadline).toBe(true);
    const approved = (await act('dispatcher', id, 'approve_extension')).json();
    expect(approved).toMatchObject({ status: 'processing', extensionCount: 1, deadline: asked.pendingExtension.newDeadline });
    const supervised = (await act('leader', id, 'supervise', { note: '请加快办理' })).json();
    expect(supervised).toMatchObject({ status: 'processing', supervised: true });
  });
});

describe('rebounds', () => {
  it('links a new report near a recently closed case of the same category and flags the spot after K rebounds', async () => {
    const here = { lat: 36.8081, lng: 118.0151 };
    const closeOne = async () => {
      const id = (await report('office', { ...here, source: 'office', categoryCode: '1402', dispatch: true, unitId: t.fx.communityA.id, description: '共享单车乱停' })).json().id;
      await act('commA', id, 'start');
      await act('commA', id, 'feedback', { measures: '已摆放整齐', photoIds: [await uploadPhoto('commA')] });
      await act('gridA1', id, 'pass_check');
      return id;
    };
    const firstId = await closeOne();
    const rebound = (await report('gridA1', { ...here, lat: here.lat + 0.0001, categoryCode: '1402', description: '单车又乱停了' })).json();
    expect(rebound).toMatchObject({ isRebound: true, reboundOfId: firstId, reboundOf: { id: firstId } });
    expect(rebound.rebound).toMatchObject({ ofCaseId: firstId, spotFlagged: false });
    await expectAnswerAsRead('gridA1', rebound);
    await closeOne();
    const second = (await report('gridA1', { ...here, categoryCode: '1402', description: '第三次乱停' })).json();
    expect(second.rebound.spotFlagged).toBe(true);
    const spots = (await (await t.as('office')).get('/api/v1/rebound-spots')).json();
    // The second closed case was itself a rebound of the first, so the spot has counted three.
    expect(spots.find((s: { categoryCode: string }) => s.categoryCode === '1402')).toMatchObject({ reboundCount: 3, flagged: true });
  });
});

describe('lists and scope', () => {
  it('shows a community officer only its community and the cases sent to it', async () => {
    const inB = (await report('office', { ...spot(IN_B1), source: 'office', description: '西苑社区的问题' })).json();
    const commA = await t.as('commA');
    expect((await commA.get(`/api/v1/cases/${inB.id}`)).statusCode).toBe(404);
    const list = (await commA.get('/api/v1/cases?pageSize=200')).json();
    expect(list.items.every((c: { communityId: number; unitId: number | null }) => c.communityId === t.fx.communityA.id || c.unitId === t.fx.communityA.id)).toBe(true);
    expect(list.total).toBe(list.items.length);
    const q = (await commA.get(`/api/v1/cases?q=${encodeURIComponent('西苑社区的问题')}`)).json();
    expect(q.total).toBe(0);
  });

  it('searches descriptions and addresses, short queries included', async () => {
    await report('gridA1', { description: '华光路烧烤摊油烟扰民', categoryCode: '1405', address: '华光路 88 号' });
    const c = await t.as('office');
    expect((await c.get(`/api/v1/cases?q=${encodeURIComponent('烧烤摊油烟')}`)).json().total).toBe(1);
    expect((await c.get(`/api/v1/cases?q=${encodeURIComponent('88')}`)).json().total).toBeGreaterThanOrEqual(1);
    expect((await c.get(`/api/v1/cases?q=${encodeURIComponent('火星人')}`)).json().total).toBe(0);
  });

  it('serves the unit to-do list sorted by time remaining and the dispatcher queue', async () => {
    const unitList = (await (await t.as('commA')).get('/api/v1/cases?queue=unit')).json();
    const deadlines = unitList.items.map((c: { deadline: string | null }) => c.deadline).filter(Boolean);
    expect([...deadlines].sort()).toEqual(deadlines);
    expect(unitList.items.every((c: { unitId: number }) => c.unitId === t.fx.communityA.id)).toBe(true);
    const queue = (await (await t.as('dispatcher')).get('/api/v1/cases?queue=dispatch&pageSize=200')).json();
    expect(queue.items.every((c: { status: string }) => ['reported', 'verifying', 'filed', 'returned', 'extension_requested'].includes(c.status))).toBe(true);
    expect(queue.total).toBeGreaterThan(0);
  });

  it('validates list filters', async () => {
    const c = await t.as('office');
    expect((await c.get('/api/v1/cases?status=lost')).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'status' });
    expect((await c.get('/api/v1/cases?pageSize=5000')).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'pageSize' });
    expect((await c.get('/api/v1/cases?from=yesterday')).statusCode).toBe(400);
  });
});

async function uploadPhoto(username: string): Promise<number> {
  const sharp = (await import('sharp')).default;
  const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: Math.floor(Math.random() * 256), g: Math.floor(Math.random() * 256), b: 90 } } }).jpeg().toBuffer();
  const boundary = '----casephoto' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="after.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    jpeg,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await (await t.as(username)).post('/api/v1/photos', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  if (res.statusCode >= 300) throw new Error(`upload failed ${res.statusCode} ${res.body}`);
  const json = res.json();
  return (Array.isArray(json) ? json[0] : json.items?.[0] ?? json).id;
}
