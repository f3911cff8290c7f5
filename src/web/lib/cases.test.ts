import { describe, expect, it } from 'vitest';
import { ACTION_RULES, CASE_ACTIONS, CASE_STATES, allowedActions, type CaseAction } from '../../core/cases/index.js';
import { ROLES, type Role } from '../../core/roles.js';
import { CASE_SOURCES } from '../api/cases.js';
import {
  ACTION_FIELD_REQUEST_KEYS, ACTION_FORMS, SOURCE_ROLES, STATUS_COLOURS, compositeActionsFor, defaultSourceFor, formatDistance,
  formatAge, formatWorkDuration, mayDispatchNow, newIdempotencyKey, orderActions, pushRecent, quickCategoryCodes, sourcesFor, urgencyOf,
} from './cases.js';

describe('urgencyOf', () => {
  it.each([
    [{ overdue: false, remainingMinutes: null, reminderLevel: 0 }, 'none'],
    [{ overdue: true, remainingMinutes: null, reminderLevel: 0 }, 'overdue'],
    [{ overdue: false, remainingMinutes: -5, reminderLevel: 0 }, 'overdue'],
    [{ overdue: true, remainingMinutes: 300, reminderLevel: 0 }, 'overdue'],
    [{ overdue: false, remainingMinutes: 0, reminderLevel: 0 }, 'urgent'],
    [{ overdue: false, remainingMinutes: 60, reminderLevel: 0 }, 'urgent'],
    [{ overdue: false, remainingMinutes: 400, reminderLevel: 2 }, 'urgent'],
    [{ overdue: false, remainingMinutes: 61, reminderLevel: 1 }, 'normal'],
    [{ overdue: false, remainingMinutes: 2000, reminderLevel: 0 }, 'normal'],
  ] as const)('%j → %s', (c, expected) => {
    expect(urgencyOf(c)).toBe(expected);
  });
});

describe('formatWorkDuration', () => {
  it.each([
    [0, '0 分钟', '0 min'],
    [45, '45 分钟', '45 min'],
    [-45, '45 分钟', '45 min'],
    [200, '3 小时 20 分钟', '3 h 20 min'],
    [480, '1 个工作日', '1 work day'],
    [600, '1 个工作日 2 小时', '1 work day 2 h'],
    [1000, '2 个工作日', '2 work days'],
  ])('%i minutes', (minutes, zh, en) => {
    expect(formatWorkDuration(minutes, 'zh-CN')).toBe(zh);
    expect(formatWorkDuration(minutes, 'en-US')).toBe(en);
  });
});

describe('action forms', () => {
  it('give every state a colour', () => {
    for (const s of CASE_STATES) expect(STATUS_COLOURS[s].hex).toMatch(/^#[0-9a-f]{6}$/);
  });

  it.each(CASE_ACTIONS.map((a) => [a]))('%s asks for every field the state machine requires', (action: CaseAction) => {
    const asked = new Set(ACTION_FORMS[action].required.flatMap((f) => ACTION_FIELD_REQUEST_KEYS[f]));
    for (const requirement of ACTION_RULES[action].required) {
      // A choice of fields (hours or date) is satisfied when the dialog offers any of them.
      expect(requirement.fields.some((f) => asked.has(f))).toBe(true);
    }
  });

  it('marks as required only what the state machine requires', () => {
    for (const action of CASE_ACTIONS) {
      const requiredKeys = new Set(ACTION_RULES[action].required.flatMap((r) => r.fields as readonly string[]));
      for (const field of ACTION_FORMS[action].required) {
        expect(ACTION_FIELD_REQUEST_KEYS[field].some((k) => requiredKeys.has(k))).toBe(true);
      }
    }
  });

  it('orders forward steps before detours', () => {
    expect(orderActions(['supervise', 'fail_check', 'pass_check'])).toEqual(['pass_check', 'fail_check', 'supervise']);
    expect(orderActions(['merge', 'reject', 'file', 'verify'])).toEqual(['file', 'verify', 'reject', 'merge']);
    expect(orderActions(['verify', 'reject', 'merge'])).toEqual(['verify', 'reject', 'merge']);
  });

  it('offers a grid worker verify-and-decide only while the report waits for verification', () => {
    expect(compositeActionsFor('grid_worker', 'reported', allowedActions('reported', 'grid_worker'))).toEqual(['verify_file', 'verify_reject']);
    expect(compositeActionsFor('grid_worker', 'verifying', allowedActions('verifying', 'grid_worker'))).toEqual([]);
    expect(compositeActionsFor('dispatcher', 'reported', allowedActions('reported', 'dispatcher'))).toEqual([]);
  });
});

describe('sources', () => {
  it.each<[Role, string | null]>([
    ['grid_worker', 'patrol'],
    ['inspector', 'inspection'],
    ['citizen_patrol', 'citizen_patrol'],
    ['office', 'office'],
    ['dispatcher', 'office'],
    ['leader', 'leader'],
    ['unit', null],
    ['volunteer', null],
  ])('%s reports from %s by default', (role, source) => {
    expect(defaultSourceFor(role)).toBe(source);
    if (source) expect(sourcesFor(role)).toContain(source);
  });

  it('lists for every role only sources it may use', () => {
    for (const role of ROLES) for (const s of sourcesFor(role)) expect(SOURCE_ROLES[s]).toContain(role);
    expect(new Set(Object.keys(SOURCE_ROLES))).toEqual(new Set(CASE_SOURCES));
  });

  it('refuses 立即派遣 for reports that must be verified on site', () => {
    expect(mayDispatchNow('office', 'supervision')).toBe(true);
    expect(mayDispatchNow('office', 'hotline')).toBe(false);
    expect(mayDispatchNow('leader', 'leader')).toBe(false);
  });
});

describe('category choices', () => {
  it('keeps recent ones first without repeats', () => {
    expect(pushRecent(['1101', '1401'], '1401')).toEqual(['1401', '1101']);
    expect(pushRecent(['a', 'b', 'c'], 'd', 3)).toEqual(['d', 'a', 'b']);
  });

  it('fills quick choices with the top problems that exist', () => {
    const available = new Set(['1101', '1201', '1401', '0101']);
    expect(quickCategoryCodes(['0101'], available, 3)).toEqual(['0101', '1401', '1101']);
    expect(quickCategoryCodes(['9999'], available)).toEqual(['1401', '1101', '1201']);
  });
});

describe('newIdempotencyKey', () => {
  it('makes UUID-shaped keys the server accepts, also without randomUUID', () => {
    const fallback = newIdempotencyKey({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => globalThis.crypto.getRandomValues(a as never) as T });
    for (const key of [newIdempotencyKey(), fallback]) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});

describe('formatDistance', () => {
  it.each([
    [12.4, '12 米', '12 m'],
    [1234, '1.2 公里', '1.2 km'],
  ])('%f m', (m, zh, en) => {
    expect(formatDistance(m, 'zh-CN')).toBe(zh);
    expect(formatDistance(m, 'en-US')).toBe(en);
  });
});

describe('formatAge', () => {
  const now = Date.parse('2026-05-08T10:00:00Z');
  it.each([
    ['2026-05-08T09:59:40Z', '刚刚', 'just now'],
    ['2026-05-08T09:40:00Z', '20 分钟', '20 min'],
    ['2026-05-08T05:00:00Z', '5 小时', '5 h'],
    ['2026-05-05T09:00:00Z', '3 天', '3 d'],
    ['2026-05-08T10:05:00Z', '刚刚', 'just now'],
  ])('%s', (at, zh, en) => {
    expect(formatAge(at, now, 'zh-CN')).toBe(zh);
    expect(formatAge(at, now, 'en-US')).toBe(en);
  });
});
