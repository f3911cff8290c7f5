import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { multipart, xlsx } from '../../../../tests/helpers/upload.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const countUsers = async () => Number((await t.db.deps.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('people', () => {
  it('lists people in scope with phones masked for a community officer', async () => {
    const office = (await (await t.as('office')).get('/api/v1/users?pageSize=100')).json();
    expect(office.total).toBe(11);
    expect(office.items.find((u: { username: string }) => u.username === 'gridA1').phone).toBe('13800138000');
    const comm = (await (await t.as('commA')).get('/api/v1/users?pageSize=100')).json();
    expect(comm.items.map((u: { username: string }) => u.username).sort()).toEqual(['commA', 'gridA1', 'volunteer']);
    expect(comm.items.find((u: { username: string }) => u.username === 'gridA1').phone).toBe('138****8000');
    expect(comm.items.find((u: { username: string }) => u.username === 'commA').phone).toBe('13800138000');
  });

  it('hides people of another community by id', async () => {
    expect((await (await t.as('commB')).get(`/api/v1/users/${t.fx.users.gridA1}`)).statusCode).toBe(404);
  });

  it('refuses people listing to roles that do not manage people', async () => {
    expect((await (await t.as('gridA1')).get('/api/v1/users')).statusCode).toBe(403);
  });

  it('creates a person with a temporary password that must be changed', async () => {
    const c = await t.as('office');
    const res = await c.post('/api/v1/users', { username: 'wangfang', displayName: '王芳', phone: '13900001111', role: 'grid_worker', orgId: t.fx.gridA2.id });
    expect(res.statusCode).toBe(200);
    const { temporaryPassword } = res.json();
    expect(temporaryPassword).toMatch(/^[a-z0-9]{10}$/);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'wangfang', password: temporaryPassword } });
    expect(login.json().user).toMatchObject({ mustChangePassword: true, orgName: '东风社区第2网格' });
  });

  it.each([
    [{ username: 'a b', displayName: 'x', role: 'unit' }, 'username'],
    [{ username: 'ok1', displayName: 'x', role: 'emperor' }, 'role'],
    [{ username: 'ok2', role: 'unit' }, 'displayName'],
    [{ username: 'ok3', displayName: 'x', role: 'unit', phone: 'abc' }, 'phone'],
    [{ username: 'ok4', displayName: 'x', role: 'unit', password: 'short' }, undefined],
  ])('rejects %j', async (body, field) => {
    const before = await countUsers();
    const res = await (await t.as('office')).post('/api/v1/users', { orgId: t.fx.dept.id, ...body });
    expect(res.statusCode).toBe(400);
    if (field) expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
    else expect(res.json().code).toBe('WEAK_PASSWORD');
    expect(await countUsers()).toBe(before);
  });

  it('refuses duplicate usernames and admin creation by the office', async () => {
    const c = await t.as('office');
    expect((await c.post('/api/v1/users', { username: 'commA', displayName: 'x', role: 'unit', orgId: t.fx.dept.id })).json().code).toBe('DUPLICATE');
    expect((await c.post('/api/v1/users', { username: 'sneaky', displayName: 'x', role: 'admin', orgId: t.fx.street.id })).statusCode).toBe(403);
  });

  it('edits with versions and ends sessions when the role changes', async () => {
    const c = await t.as('office');
    const volunteer = await t.as('volunteer');
    const u = (await c.get(`/api/v1/users/${t.fx.users.volunteer}`)).json();
    const ok = await c.patch(`/api/v1/users/${u.id}`, { version: u.version, role: 'citizen_patrol' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().role).toBe('citizen_patrol');
    expect((await c.patch(`/api/v1/users/${u.id}`, { version: u.version, displayName: 'stale' })).statusCode).toBe(409);
    expect((await volunteer.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('resets a password and prints it once', async () => {
    const res = await (await t.as('admin')).post(`/api/v1/users/${t.fx.users.patrol}/reset-password`);
    expect(res.statusCode).toBe(200);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'patrol', password: res.json().temporaryPassword } });
    expect(login.statusCode).toBe(200);
  });

  it('imports people all-or-nothing with a row report', async () => {
    const c = await t.as('office');
    const bad = await xlsx([
      ['用户名', '姓名', '手机', '角色', '所属组织编码或名称'],
      ['lisi', '李四', '13900002222', '网格员', '370303012001001'],
      ['lisi', '李四二', '', '网格员', '370303012001001'],
      ['zhaoliu', '赵六', '', '国王', '东风社区'],
      ['qianqi', '钱七', '', '志愿者', '火星社区'],
    ]);
    const before = await countUsers();
    const broken = multipart(bad);
    const garbled = await c.post('/api/v1/users/import', broken.body, { 'content-type': 'multipart/form-data; boundary=nope' });
    expect(garbled.statusCode).toBe(400);
    const r1 = await c.post('/api/v1/users/import', broken.body, broken.headers);
    expect(r1.statusCode).toBe(400);
    expect(r1.json().details.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, column: '用户名' }),
        expect.objectContaining({ row: 4, column: '角色' }),
        expect.objectContaining({ row: 5, column: '所属组织编码或名称' }),
      ]),
    );
    expect(await countUsers()).toBe(before);
    const good = await xlsx([
      ['用户名', '姓名', '手机', '角色', '所属组织编码或名称'],
      ['lisi', '李四', '13900002222', '网格员', '370303012001001'],
      ['zhaoliu', '赵六', '', 'volunteer', '东风社区'],
    ]);
    const m = multipart(good);
    const r2 = await c.post('/api/v1/users/import', m.body, m.headers);
    expect(r2.statusCode).toBe(200);
    expect(r2.json().imported).toBe(2);
    expect(r2.json().accounts).toHaveLength(2);
    expect(await countUsers()).toBe(before + 2);
  });
});
