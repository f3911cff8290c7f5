// Every action by every role through the API, on a case in each state the action starts from (and one it does
// not). The expected answer comes from the pure rules: org visibility first (404), then the state machine
// (403 role, 422 state, 400 field), then the unit-only rule (403). Anything else must succeed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { ACTION_RULES, CASE_ACTIONS, OPEN_STATES, planTransition, type CaseAction, type CaseState } from '../../../core/cases/index.js';
import type { Role } from '../../../core/roles.js';
import { canSeeCase } from './access.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
});
afterAll(async () => t?.close());

const USERS: [string, Role][] = [
  ['admin', 'admin'], ['office', 'office'], ['leader', 'leader'], ['dispatcher', 'dispatcher'], ['inspector', 'inspector'],
  ['unit', 'unit'], ['commA', 'unit'], ['commB', 'unit'], ['gridA1', 'grid_worker'], ['patrol', 'citizen_patrol'], ['volunteer', 'volunteer'],
];
const SETUP_STATES: CaseState[] = ['reported', 'verifying', 'filed', 'dispatched', 'returned', 'processing', 'extension_requested', 'hung', 'feedback', 'closed'];
let seq = 0;

async function photoOf(username: string): Promise<number> {
  const sharp = (await import('sharp')).default;
  const n = ++seq;
  const jpeg = await sharp({ create: { width: 24, height: 16, channels: 3, background: { r: n % 256, g: (n >> 8) % 256, b: 77 } } }).jpeg().toBuffer();
  const boundary = `----m${n}`;
  const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), jpeg, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const res = await (await t.as(username)).post('/api/v1/photos', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  if (res.statusCode !== 200) throw new Error(`upload ${res.statusCode} ${res.body}`);
  return res.json().id;
}

async function step(username: string, id: number, action: CaseAction, extra: Record<string, unknown> = {}) {
  const c = await t.as(username);
  const version = (await (await t.as('office')).get(`/api/v1/cases/${id}`)).json().version;
  const res = await c.post(`/api/v1/cases/${id}/transitions`, { action, version, ...extra });
  if (res.statusCode !== 200) throw new Error(`${username} ${action}: ${res.statusCode} ${res.body}`);
}

/** A case in grid A1, sent to community A when dispatched, brought to `state` by the people who normally act. */
async function caseIn(state: CaseState): Promise<{ id: number; source: string }> {
  const spot = { lat: 36.8 + 0.0005 + (++seq % 90) * 0.0001, lng: 118.0005 + Math.floor(seq / 90) * 0.0003 };
  const office = await t.as('office');
  const needsVerification = state === 'verifying';
  const dispatchNow = !['reported', 'verifying', 'filed'].includes(state);
  const res = await office.post('/api/v1/cases', { source: needsVerification ? 'hotline' : 'office', categoryCode: '1101', ...spot, description: `矩阵测试 ${state}`, ...(dispatchNow ? { dispatch: true, unitId: t.fx.communityA.id } : {}) });
  if (res.statusCode !== 201) throw new Error(res.body);
  const id = res.json().id as number;
  const source = res.json().source as string;
  if (state === 'verifying') await step('dispatcher', id, 'verify');
  if (state === 'filed') await step('dispatcher', id, 'file');
  if (state === 'returned') await step('commA', id, 'return', { reason: '不属于本单位' });
  if (['processing', 'extension_requested', 'hung', 'feedback', 'closed'].includes(state)) await step('commA', id, 'start');
  if (state === 'extension_requested') await step('commA', id, 'request_extension', { reason: '需协调', extensionHours: 4 });
  if (state === 'hung') await step('office', id, 'hang', { reason: '资金未到位' });
  if (state === 'feedback' || state === 'closed') await step('commA', id, 'feedback', { measures: '已清理', photoIds: [await photoOf('commA')] });
  if (state === 'closed') await step('gridA1', id, 'pass_check');
  return { id, source };
}

const PATHS: Record<string, string> = {};
beforeAll(async () => {
  for (const [username] of USERS) {
    const me = (await (await t.as(username)).get('/api/v1/me')).json().user;
    const org = await t.db.deps.db.selectFrom('orgs').select('path').where('id', '=', me.orgId).executeTakeFirstOrThrow();
    PATHS[username] = org.path;
  }
});

function expected(username: string, role: Role, state: CaseState, action: CaseAction, source: string, input: Record<string, unknown>, row: { org_path: string; unit_path: string | null; reporter_id: number | null }) {
  const userId = t.fx.users[username];
  if (!canSeeCase({ orgPath: PATHS[username], id: userId }, row)) return 404;
  const plan = planTransition(state, action, role, input as never, { source });
  if (!plan.ok) return plan.reason === 'forbidden_role' ? 403 : plan.reason === 'illegal_state' ? 422 : 400;
  const unitOnly = ['start', 'return', 'request_extension', 'feedback'].includes(action) && !['admin', 'office', 'dispatcher'].includes(role);
  if (unitOnly && (!row.unit_path || !PATHS[username].startsWith(row.unit_path))) return 403;
  return 200;
}

describe('every action by every role', { timeout: 600_000 }, () => {
  it.each(CASE_ACTIONS.map((a) => [a]))('%s', async (action) => {
    const rule = ACTION_RULES[action];
    const from = (rule.from as readonly CaseState[]).filter((s) => SETUP_STATES.includes(s));
    const illegal = SETUP_STATES.find((s) => !(rule.from as readonly string[]).includes(s) && s !== 'closed') ?? 'closed';
    const outcomes: string[] = [];
    for (const state of [...from, illegal]) {
      for (const [username, role] of USERS) {
        if (state === illegal && username !== 'office') continue;
        const { id, source } = await caseIn(state);
        const target = action === 'merge' ? (await caseIn('reported')).id : undefined;
        const input: Record<string, unknown> = { reason: '测试原因', note: '测试', measures: '已整改', extensionHours: 4, unitId: t.fx.communityA.id, ...(target ? { targetCaseId: target } : {}) };
        if (action === 'feedback' || action === 'verify') input.photoIds = [await photoOf(username)];
        if (action === 'dispatch' && state === 'returned') input.unitId = t.fx.communityA.id;
        const row = (await t.db.deps.db.selectFrom('cases').select(['org_path', 'unit_path', 'reporter_id', 'version']).where('id', '=', id).executeTakeFirstOrThrow())!;
        const want = expected(username, role, state, action, source, input, row);
        const res = await (await t.as(username)).post(`/api/v1/cases/${id}/transitions`, { action, version: row.version, ...input });
        outcomes.push(`${state}/${username}:${res.statusCode}`);
        expect(res.statusCode, `${action} on ${state} by ${username}: ${res.body.slice(0, 200)}`).toBe(want);
        if (want === 200) {
          const after = await t.db.deps.db.selectFrom('case_events').select('action').where('case_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow();
          expect(after.action).toBe(action); // the step wrote its event
        }
      }
    }
    expect(outcomes.some((o) => o.endsWith(':200')) || from.length === 0, `${action} succeeded for nobody: ${outcomes.join(' ')}`).toBe(true);
  });

  it('covers every open state with 督办', () => {
    expect(OPEN_STATES.length).toBeGreaterThan(5);
  });
});
