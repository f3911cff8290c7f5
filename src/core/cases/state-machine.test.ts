import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../roles.js';
import {
  ACTION_RULES,
  CASE_ACTIONS,
  CASE_ACTION_LABELS,
  CASE_STATES,
  CASE_STATE_LABELS,
  type CaseAction,
  type CaseState,
  OPEN_STATES,
  type TransitionContext,
  type TransitionEffects,
  type TransitionInput,
  allowedActions,
  isOpen,
  ledgerResult,
  planTransition,
  rolesFor,
  toOpen311Status,
} from './state-machine.js';

// The design, written out by hand: every legal (state, action) pair and where it leads. Every pair not listed
// here must be refused as illegal_state.
const LEGAL: Record<CaseState, Partial<Record<CaseAction, CaseState>>> = {
  reported: { verify: 'verifying', file: 'filed', reject: 'rejected', merge: 'merged', supervise: 'reported' },
  verifying: { file: 'filed', reject: 'rejected', merge: 'merged', supervise: 'verifying' },
  filed: { merge: 'merged', dispatch: 'dispatched', supervise: 'filed' },
  rejected: {},
  merged: {},
  dispatched: { return: 'returned', start: 'processing', feedback: 'feedback', supervise: 'dispatched' },
  returned: { dispatch: 'dispatched', supervise: 'returned' },
  processing: {
    request_extension: 'extension_requested',
    hang: 'hung',
    feedback: 'feedback',
    supervise: 'processing',
  },
  extension_requested: { approve_extension: 'processing', deny_extension: 'processing', supervise: 'extension_requested' },
  hung: { dispatch: 'dispatched', start: 'processing', supervise: 'hung' },
  feedback: { pass_check: 'closed', fail_check: 'processing', supervise: 'feedback' },
  closed: { reopen: 'dispatched' },
};

// A role that may take each action from every one of its states.
const ACTOR: Record<CaseAction, Role> = {
  verify: 'dispatcher',
  file: 'dispatcher',
  reject: 'dispatcher',
  merge: 'dispatcher',
  dispatch: 'dispatcher',
  return: 'unit',
  start: 'unit',
  request_extension: 'unit',
  approve_extension: 'leader',
  deny_extension: 'leader',
  hang: 'dispatcher',
  feedback: 'unit',
  pass_check: 'grid_worker',
  fail_check: 'inspector',
  reopen: 'citizen_patrol',
  supervise: 'leader',
};

const VALID_INPUT: Record<CaseAction, TransitionInput> = {
  verify: {},
  file: {},
  reject: { reason: '重复上报，不属实' },
  merge: { targetCaseId: 1001 },
  dispatch: { unitId: 42 },
  return: { reason: '不属于本单位职责' },
  start: {},
  request_extension: { reason: '需协调物业', extensionHours: 8 },
  approve_extension: {},
  deny_extension: { reason: '时限充足' },
  hang: { reason: '涉及产权纠纷，暂无法整改' },
  feedback: { photoIds: ['p-1'], measures: '已清理暴露垃圾' },
  pass_check: {},
  fail_check: { reason: '现场仍有垃圾' },
  reopen: { reason: '市民不满意' },
  supervise: { note: '请加快办理' },
};

const PAIRS = CASE_STATES.flatMap((state) => CASE_ACTIONS.map((action) => [state, action] as const));

describe('every (state, action) pair', () => {
  it.each(PAIRS)('%s + %s', (state, action) => {
    const plan = planTransition(state, action, ACTOR[action], VALID_INPUT[action]);
    const to = LEGAL[state][action];
    if (to === undefined) {
      expect(plan).toMatchObject({ ok: false, reason: 'illegal_state' });
    } else {
      expect(plan).toMatchObject({ ok: true, from: state, to });
    }
  });

  it('ACTION_RULES covers exactly the legal pairs', () => {
    for (const [state, action] of PAIRS) {
      expect(ACTION_RULES[action].from.includes(state), `${state} + ${action}`).toBe(LEGAL[state][action] !== undefined);
    }
  });
});

// Who may do what: [action, state, roles allowed there].
const ROLE_TABLE: [CaseAction, CaseState, Role[]][] = [
  ['verify', 'reported', ['admin', 'office', 'dispatcher', 'grid_worker']],
  ['file', 'reported', ['admin', 'office', 'dispatcher']],
  ['file', 'verifying', ['admin', 'office', 'dispatcher', 'grid_worker']],
  ['reject', 'reported', ['admin', 'office', 'dispatcher']],
  ['reject', 'verifying', ['admin', 'office', 'dispatcher', 'grid_worker']],
  ['merge', 'reported', ['admin', 'office', 'dispatcher']],
  ['merge', 'verifying', ['admin', 'office', 'dispatcher']],
  ['merge', 'filed', ['admin', 'office', 'dispatcher']],
  ['dispatch', 'filed', ['admin', 'office', 'dispatcher']],
  ['dispatch', 'returned', ['admin', 'office', 'dispatcher']],
  ['dispatch', 'hung', ['admin', 'office', 'dispatcher']],
  ['return', 'dispatched', ['unit']],
  ['start', 'dispatched', ['unit']],
  ['start', 'hung', ['admin', 'office', 'dispatcher', 'unit']],
  ['request_extension', 'processing', ['unit']],
  ['approve_extension', 'extension_requested', ['admin', 'leader', 'office', 'dispatcher']],
  ['deny_extension', 'extension_requested', ['admin', 'leader', 'office', 'dispatcher']],
  ['hang', 'processing', ['admin', 'leader', 'office', 'dispatcher']],
  ['feedback', 'dispatched', ['unit']],
  ['feedback', 'processing', ['unit']],
  ['pass_check', 'feedback', ['admin', 'office', 'dispatcher', 'grid_worker', 'inspector']],
  ['fail_check', 'feedback', ['admin', 'office', 'dispatcher', 'grid_worker', 'inspector']],
  ['reopen', 'closed', ['admin', 'leader', 'office', 'dispatcher', 'inspector', 'citizen_patrol']],
  ['supervise', 'processing', ['admin', 'leader', 'office']],
  ['supervise', 'reported', ['admin', 'leader', 'office']],
];

describe('roles', () => {
  const cases = ROLE_TABLE.flatMap(([action, state, allowed]) =>
    ROLES.map((role) => [action, state, role, allowed.includes(role)] as const),
  );

  it.each(cases)('%s from %s by %s: allowed=%s', (action, state, role, allowed) => {
    const plan = planTransition(state, action, role, VALID_INPUT[action]);
    if (allowed) expect(plan.ok).toBe(true);
    else expect(plan).toMatchObject({ ok: false, reason: 'forbidden_role' });
  });

  it.each(ROLE_TABLE)('rolesFor(%s, %s)', (action, state, allowed) => {
    expect([...rolesFor(action, state)].sort()).toEqual([...allowed].sort());
  });

  it('the table covers every legal pair', () => {
    const covered = new Set(ROLE_TABLE.map(([action, state]) => `${state}:${action}`));
    for (const [state, action] of PAIRS) {
      if (LEGAL[state][action] !== undefined && action !== 'supervise') expect(covered).toContain(`${state}:${action}`);
    }
  });

  it('volunteers take no action on cases', () => {
    for (const state of CASE_STATES) expect(allowedActions(state, 'volunteer')).toEqual([]);
  });

  it('a role that may never take the action is forbidden whatever the state', () => {
    expect(planTransition('closed', 'dispatch', 'unit')).toMatchObject({ ok: false, reason: 'forbidden_role' });
  });
});

describe('allowedActions', () => {
  it.each<[CaseState, Role, TransitionContext, CaseAction[]]>([
    ['reported', 'dispatcher', {}, ['verify', 'file', 'reject', 'merge']],
    ['reported', 'dispatcher', { source: 'citizen' }, ['verify', 'reject', 'merge']],
    ['reported', 'office', { source: 'patrol' }, ['verify', 'file', 'reject', 'supervise', 'merge']],
    ['reported', 'grid_worker', {}, ['verify']],
    ['verifying', 'grid_worker', { source: 'citizen' }, ['file', 'reject']],
    ['dispatched', 'unit', {}, ['return', 'start', 'feedback']],
    ['processing', 'unit', {}, ['request_extension', 'feedback']],
    ['processing', 'leader', {}, ['hang', 'supervise']],
    ['hung', 'dispatcher', {}, ['dispatch', 'start']],
    ['feedback', 'grid_worker', {}, ['pass_check', 'fail_check']],
    ['feedback', 'unit', {}, []],
    ['closed', 'leader', {}, ['reopen']],
    ['closed', 'unit', {}, []],
    ['rejected', 'admin', {}, []],
    ['merged', 'admin', {}, []],
  ])('%s, %s, %o', (state, role, context, expected) => {
    expect(allowedActions(state, role, context)).toEqual(expected);
  });

  it('lists the allowed actions on a refusal', () => {
    expect(planTransition('dispatched', 'pass_check', 'unit')).toEqual({
      ok: false,
      reason: 'forbidden_role',
      allowed: ['return', 'start', 'feedback'],
    });
    expect(planTransition('closed', 'feedback', 'unit', VALID_INPUT.feedback)).toEqual({
      ok: false,
      reason: 'illegal_state',
      allowed: [],
    });
  });
});

describe('verification before filing (核实)', () => {
  it.each<[string | undefined, CaseState, boolean]>([
    ['citizen', 'reported', false],
    ['hotline', 'reported', false],
    ['media', 'reported', false],
    ['patrol', 'reported', true],
    ['office', 'reported', true],
    ['supervision', 'reported', true],
    ['inspection', 'reported', true],
    ['citizen_patrol', 'reported', true],
    [undefined, 'reported', true],
    ['citizen', 'verifying', true],
    ['hotline', 'verifying', true],
  ])('source %s from %s: may file=%s', (source, state, mayFile) => {
    const plan = planTransition(state, 'file', 'dispatcher', {}, source === undefined ? {} : { source });
    if (mayFile) expect(plan).toMatchObject({ ok: true, to: 'filed' });
    else expect(plan).toMatchObject({ ok: false, reason: 'illegal_state', detail: 'verification_required' });
  });

  it('a citizen report may still be rejected without verification', () => {
    expect(planTransition('reported', 'reject', 'dispatcher', { reason: '广告骚扰' }, { source: 'citizen' })).toMatchObject({
      ok: true,
      to: 'rejected',
    });
  });
});

describe('required fields', () => {
  it.each<[string, CaseState, CaseAction, TransitionInput, object]>([
    ['reject without reason', 'reported', 'reject', {}, { reason: 'missing_field', field: 'reason' }],
    ['reject with a blank reason', 'reported', 'reject', { reason: '   ' }, { reason: 'missing_field', field: 'reason' }],
    ['reject with a numeric reason', 'reported', 'reject', { reason: 42 as unknown as string }, { reason: 'invalid_field', field: 'reason' }],
    ['return without reason', 'dispatched', 'return', {}, { reason: 'missing_field', field: 'reason' }],
    ['fail_check without reason', 'feedback', 'fail_check', {}, { reason: 'missing_field', field: 'reason' }],
    ['hang without reason', 'processing', 'hang', {}, { reason: 'missing_field', field: 'reason' }],
    ['reopen without reason', 'closed', 'reopen', {}, { reason: 'missing_field', field: 'reason' }],
    ['deny_extension without reason', 'extension_requested', 'deny_extension', {}, { reason: 'missing_field', field: 'reason' }],
    ['feedback without photos', 'processing', 'feedback', { measures: '已清理' }, { reason: 'missing_field', field: 'photoIds' }],
    ['feedback with no photos', 'processing', 'feedback', { measures: '已清理', photoIds: [] }, { reason: 'missing_field', field: 'photoIds' }],
    ['feedback with an empty photo id', 'processing', 'feedback', { measures: '已清理', photoIds: [''] }, { reason: 'invalid_field', field: 'photoIds' }],
    ['feedback without measures', 'dispatched', 'feedback', { photoIds: ['p-1'] }, { reason: 'missing_field', field: 'measures' }],
    ['feedback with blank measures', 'dispatched', 'feedback', { photoIds: [7], measures: ' ' }, { reason: 'missing_field', field: 'measures' }],
    [
      'extension without hours or date',
      'processing',
      'request_extension',
      { reason: '需协调' },
      { reason: 'missing_field', field: 'extensionHours', fields: ['extensionHours', 'newDeadline'] },
    ],
    ['extension without reason', 'processing', 'request_extension', { extensionHours: 4 }, { reason: 'missing_field', field: 'reason' }],
    [
      'extension with negative hours',
      'processing',
      'request_extension',
      { reason: '需协调', extensionHours: -4 },
      { reason: 'invalid_field', field: 'extensionHours' },
    ],
    [
      'extension with an unreadable date',
      'processing',
      'request_extension',
      { reason: '需协调', newDeadline: 'next week' },
      { reason: 'invalid_field', field: 'newDeadline' },
    ],
    [
      '承诺件 needs a date, not hours',
      'processing',
      'request_extension',
      { reason: '书面承诺', extensionHours: 16, mark: 'commitment' },
      { reason: 'missing_field', field: 'newDeadline' },
    ],
    [
      'unknown mark',
      'processing',
      'request_extension',
      { reason: '需协调', extensionHours: 4, mark: 'urgent' as 'commitment' },
      { reason: 'invalid_field', field: 'mark' },
    ],
    [
      'approved deadline unreadable',
      'extension_requested',
      'approve_extension',
      { newDeadline: 'soon' },
      { reason: 'invalid_field', field: 'newDeadline' },
    ],
    ['merge without target', 'filed', 'merge', {}, { reason: 'missing_field', field: 'targetCaseId' }],
    ['dispatch to a malformed unit', 'filed', 'dispatch', { unitId: {} as unknown as string }, { reason: 'invalid_field', field: 'unitId' }],
  ])('%s', (_name, state, action, input, expected) => {
    expect(planTransition(state, action, ACTOR[action], input)).toMatchObject({ ok: false, ...expected });
  });

  it.each<[string, CaseState, CaseAction, TransitionInput]>([
    ['extension by date', 'processing', 'request_extension', { reason: '需协调', newDeadline: '2026-10-12T10:00:00+08:00' }],
    ['dispatch routed by the server', 'filed', 'dispatch', {}],
    ['approve with the requested deadline', 'extension_requested', 'approve_extension', {}],
    ['feedback with numeric photo ids', 'processing', 'feedback', { photoIds: [1, 2], measures: '已拆除' }],
  ])('accepts %s', (_name, state, action, input) => {
    expect(planTransition(state, action, ACTOR[action], input).ok).toBe(true);
  });
});

type Step = [CaseAction, Role, TransitionInput?, TransitionEffects?];

/** Walks a case through steps, checking each lands where LEGAL says, and returns the states and effects. */
function walk(start: CaseState, steps: Step[], context: TransitionContext = {}) {
  let state = start;
  const states: CaseState[] = [state];
  const effects: TransitionEffects[] = [];
  for (const [action, role, input = VALID_INPUT[action], expectedEffects] of steps) {
    const plan = planTransition(state, action, role, input, context);
    if (!plan.ok) throw new Error(`${action} by ${role} from ${state}: ${plan.reason} ${plan.field ?? ''}`);
    if (expectedEffects) expect(plan.effects, `${action} from ${state}`).toEqual(expectedEffects);
    state = plan.to;
    states.push(state);
    effects.push(plan.effects);
  }
  return { state, states, effects };
}

describe('paths through the loop', () => {
  it('happy path for a citizen report: 核实 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案', () => {
    const { states } = walk(
      'reported',
      [
        ['verify', 'dispatcher', {}, {}],
        ['file', 'grid_worker', {}, {}],
        ['dispatch', 'dispatcher', { unitId: 7 }, { assignsUnit: true, needsDeadline: true }],
        ['start', 'unit', {}, {}],
        ['feedback', 'unit', { photoIds: ['after-1'], measures: '已清运' }, { handled: true }],
        ['pass_check', 'grid_worker', {}, { closes: true }],
      ],
      { source: 'citizen' },
    );
    expect(states).toEqual(['reported', 'verifying', 'filed', 'dispatched', 'processing', 'feedback', 'closed']);
  });

  it('a patrol report is filed directly, and a quick fix feeds back without starting', () => {
    const { states } = walk(
      'reported',
      [
        ['file', 'dispatcher'],
        ['dispatch', 'dispatcher'],
        ['feedback', 'unit'],
        ['pass_check', 'inspector'],
      ],
      { source: 'patrol' },
    );
    expect(states).toEqual(['reported', 'filed', 'dispatched', 'feedback', 'closed']);
  });

  it('rework loop: a failed check goes back to processing, counted, until it passes', () => {
    const { states, effects } = walk('dispatched', [
      ['start', 'unit'],
      ['feedback', 'unit'],
      ['fail_check', 'grid_worker', { reason: '仍有小广告' }, { rework: true, needsDeadline: true }],
      ['feedback', 'unit'],
      ['fail_check', 'inspector', { reason: '未清理干净' }],
      ['feedback', 'unit'],
      ['pass_check', 'grid_worker'],
    ]);
    expect(states).toEqual(['dispatched', 'processing', 'feedback', 'processing', 'feedback', 'processing', 'feedback', 'closed']);
    expect(effects.filter((e) => e.rework).length).toBe(2);
  });

  it('return and re-route: the unit returns with a reason, the dispatcher routes again', () => {
    const { states } = walk('filed', [
      ['dispatch', 'dispatcher'],
      ['return', 'unit', { reason: '属于市场监管所职责' }, { clearsUnit: true, clearsDeadline: true, countsAsReturn: true }],
      ['dispatch', 'dispatcher', { unitId: 9 }, { assignsUnit: true, needsDeadline: true }],
      ['start', 'unit'],
    ]);
    expect(states).toEqual(['filed', 'dispatched', 'returned', 'dispatched', 'processing']);
  });

  it('extensions: a 承诺件 approved, a second request denied', () => {
    const { states } = walk('processing', [
      [
        'request_extension',
        'unit',
        { reason: '需订购井盖', newDeadline: '2026-10-16T18:00:00+08:00', mark: 'commitment' },
        { mark: 'commitment' },
      ],
      ['approve_extension', 'leader', {}, { extendsDeadline: true }],
      ['request_extension', 'unit', { reason: '需城管配合', extensionHours: 8, mark: 'coordination' }, { mark: 'coordination' }],
      ['deny_extension', 'dispatcher', { reason: '时限充足' }, {}],
      ['feedback', 'unit'],
    ]);
    expect(states).toEqual(['processing', 'extension_requested', 'processing', 'extension_requested', 'processing', 'feedback']);
  });

  it('挂账: hung with a reason, off the clock, then resumed with a fresh deadline or re-dispatched', () => {
    expect(walk('processing', [['hang', 'leader', undefined, { clearsDeadline: true }], ['start', 'unit', {}, { needsDeadline: true }]]).state).toBe(
      'processing',
    );
    expect(walk('processing', [['hang', 'office'], ['dispatch', 'dispatcher']]).state).toBe('dispatched');
  });

  it('reopen: a closed case goes back to its unit as a new order and runs the loop again', () => {
    const { states } = walk('closed', [
      ['reopen', 'citizen_patrol', { reason: '回头看：问题反弹' }, { reopened: true, needsDeadline: true }],
      ['start', 'unit'],
      ['feedback', 'unit'],
      ['pass_check', 'grid_worker'],
    ]);
    expect(states).toEqual(['closed', 'dispatched', 'processing', 'feedback', 'closed']);
  });

  it('merge: a duplicate is folded into another case and stays finished', () => {
    const { state } = walk('verifying', [['merge', 'dispatcher', { targetCaseId: 'c-1' }, { merges: true }]]);
    expect(state).toBe('merged');
    expect(allowedActions('merged', 'admin')).toEqual([]);
  });
});

describe('督办 (supervise)', () => {
  it.each(CASE_STATES)('from %s', (state) => {
    const plan = planTransition(state, 'supervise', 'leader', { note: '限期办结' });
    if (isOpen(state)) expect(plan).toEqual({ ok: true, from: state, to: state, effects: { supervised: true } });
    else expect(plan).toMatchObject({ ok: false, reason: 'illegal_state' });
  });
});

describe('open states, labels, ledger and Open311', () => {
  it.each<[CaseState, boolean, 'open' | 'closed', string, string | null]>([
    ['reported', true, 'open', 'REPORTED/已上报', null],
    ['verifying', true, 'open', 'VERIFYING/核实中', null],
    ['filed', true, 'open', 'FILED/已立案', '整改中'],
    ['rejected', false, 'closed', 'REJECTED/不予立案', null],
    ['merged', false, 'closed', 'MERGED/已合并', null],
    ['dispatched', true, 'open', 'DISPATCHED/已派遣', '整改中'],
    ['returned', true, 'open', 'RETURNED/已退回', '整改中'],
    ['processing', true, 'open', 'PROCESSING/处置中', '整改中'],
    ['extension_requested', true, 'open', 'EXTENSION_REQUESTED/延期申请中', '整改中'],
    ['hung', true, 'open', 'HUNG/挂账', '挂账'],
    ['feedback', true, 'open', 'FEEDBACK/待核查', '整改中'],
    ['closed', false, 'closed', 'CLOSED/已结案', '已整改'],
  ])('%s: open=%s, Open311 %s %s, ledger %s', (state, open, status, notes, ledger) => {
    expect(isOpen(state)).toBe(open);
    expect(OPEN_STATES.includes(state)).toBe(open);
    expect(toOpen311Status(state)).toEqual({ status, status_notes: notes });
    expect(ledgerResult(state)).toBe(ledger);
  });

  it('labels every state and action in both languages', () => {
    for (const state of CASE_STATES) expect(CASE_STATE_LABELS[state].zh && CASE_STATE_LABELS[state].en).toBeTruthy();
    for (const action of CASE_ACTIONS) expect(CASE_ACTION_LABELS[action].zh && CASE_ACTION_LABELS[action].en).toBeTruthy();
  });

  it('keeps the API action names', () => {
    expect(CASE_ACTIONS).toEqual([
      'verify',
      'file',
      'reject',
      'dispatch',
      'return',
      'start',
      'request_extension',
      'approve_extension',
      'deny_extension',
      'feedback',
      'pass_check',
      'fail_check',
      'hang',
      'reopen',
      'supervise',
      'merge',
    ]);
  });
});
