import { describe, expect, it } from 'vitest';
import { createWorkCalendar, elapsedFraction, type TimeLimitUnit } from '../../../core/calendar/index.js';
import { planDeadlineStep, type CaseClock } from '../../jobs/deadlines.js';
import { audiencesFor, beijingShort, messageFor, pickRecipients, type Audience, type EventFacts } from './rules.js';

describe('audiences of each step', () => {
  it.each<[string, Record<string, unknown> | null, Audience[]]>([
    ['dispatch', null, ['unit']],
    ['reopen', null, ['unit']],
    ['fail_check', null, ['unit']],
    ['approve_extension', null, ['unit']],
    ['deny_extension', null, ['unit']],
    ['remind', { level: 1 }, ['unit']],
    ['feedback', null, ['grid', 'office']],
    ['return', null, ['desk']],
    ['request_extension', null, ['desk']],
    ['supervise', null, ['unit', 'office']],
    ['overdue', null, ['unit', 'desk']],
    ['escalate', { level: 1, fromLevel: 0 }, ['unit']],
    ['escalate', { level: 2, fromLevel: 1 }, ['leaders', 'office']],
    ['escalate', { level: 2, fromLevel: 0 }, ['unit', 'leaders', 'office']],
    ['pass_check', null, ['reporter']],
    ['reject', null, ['reporter']],
    ['report', null, []],
    ['file', null, []],
    ['start', null, []],
    ['merged_in', null, []],
  ])('%s %j → %j', (action, data, expected) => {
    expect(audiencesFor(action, data)).toEqual(expected);
  });
});

describe('recipients', () => {
  // Street /1/2/, community A /1/2/3/ with grid /1/2/3/5/, community B /1/2/4/, department /1/2/9/.
  const people = [
    { id: 1, role: 'unit', org_id: 3, path: '/1/2/3/' }, // community A officer
    { id: 2, role: 'unit', org_id: 4, path: '/1/2/4/' }, // community B officer
    { id: 3, role: 'unit', org_id: 9, path: '/1/2/9/' }, // department
    { id: 4, role: 'grid_worker', org_id: 5, path: '/1/2/3/5/' }, // grid A1
    { id: 5, role: 'grid_worker', org_id: 6, path: '/1/2/3/6/' }, // grid A2
    { id: 6, role: 'office', org_id: 2, path: '/1/2/' },
    { id: 7, role: 'dispatcher', org_id: 2, path: '/1/2/' },
    { id: 8, role: 'leader', org_id: 2, path: '/1/2/' },
    { id: 9, role: 'office', org_id: 10, path: '/1/10/' }, // another street's office
  ];
  const facts = (over: Partial<EventFacts> = {}): EventFacts => ({
    actor_id: null,
    org_path: '/1/2/3/5/',
    unit_path: '/1/2/3/',
    grid_id: 5,
    micro_grid_id: null,
    reporter_id: null,
    unitPath: '/1/2/3/',
    streetPath: '/1/2/',
    ...over,
  });
  const ids = (audiences: Audience[], over: Partial<EventFacts> = {}, reporter: (typeof people)[number] | null = null) =>
    pickRecipients(facts(over), audiences, people, reporter)
      .map((p) => p.id)
      .sort((a, b) => a - b);

  it.each<[string, Audience[], Partial<EventFacts>, number[]]>([
    ['the unit', ['unit'], {}, [1]],
    ['the grid workers of the grid', ['grid'], {}, [4]],
    ['the office of the street only', ['office'], {}, [6]],
    ['the dispatch desk', ['desk'], {}, [6, 7]],
    ['the leaders', ['leaders'], {}, [8]],
    ['never the actor', ['desk'], { actor_id: 7 }, [6]],
    ['nobody when the unit is gone', ['unit'], { unitPath: null }, []],
    ['a unit that can no longer see the case', ['unit'], { unitPath: '/1/2/9/', unit_path: null, org_path: '/1/2/4/7/' }, []],
  ])('%s', (_, audiences, over, expected) => {
    expect(ids(audiences, over)).toEqual(expected);
  });

  it('reaches the reporter, who always sees their own report', () => {
    const reporter = { id: 20, role: 'citizen_patrol', org_id: 2, path: '/1/2/' };
    expect(pickRecipients(facts({ reporter_id: 20 }), ['reporter'], people, reporter).map((p) => p.id)).toEqual([20]);
    expect(pickRecipients(facts({ reporter_id: 20, actor_id: 20 }), ['reporter'], people, reporter)).toEqual([]);
  });
});

describe('messages', () => {
  const base = { case_no: 'WM261127000042', category_name: '暴露垃圾', description: '路边暴露垃圾一堆', note: null, deadline: '2026-03-09T04:00:00.000Z' };
  it.each<[string, Record<string, unknown> | null, RegExp, RegExp]>([
    ['dispatch', null, /^新派遣：WM261127000042$/, /暴露垃圾：路边暴露垃圾一堆；处置时限 3月9日 12:00/],
    ['remind', { percent: 80 }, /^催办：WM261127000042 时限已用 80%$/, /请于 3月9日 12:00 前处置完毕/],
    ['overdue', null, /^已超期：/, /已过/],
    ['escalate', { level: 2, overdueHours: 4.5 }, /超期升级督办（2级）/, /已超期 4.5 个工作小时/],
    ['escalate', { level: 1, overdueHours: 7, clock: true }, /（1级）/, /已超期 7 小时/],
    ['pass_check', null, /^已结案：/, /通过核查/],
  ])('%s %j', (action, data, title, body) => {
    const m = messageFor({ ...base, action }, data);
    expect(m.title).toMatch(title);
    expect(m.body).toMatch(body);
  });

  it('quotes the reason of a rework and clips long text', () => {
    const m = messageFor({ ...base, action: 'fail_check', note: '地面仍有残留'.repeat(30) }, null);
    expect(m.body).toContain('原因：地面仍有残留');
    expect(m.body).toContain('…');
  });

  it('writes Beijing time', () => {
    expect(beijingShort('2026-10-01T16:05:00Z')).toBe('10月2日 00:05');
    expect(beijingShort(null)).toBe('');
  });
});

describe('the deadline clock', () => {
  const calendar = createWorkCalendar();
  const rules = { reminderFractions: [0.5, 0.8, 1], escalationHours: [0, 4] };
  // Monday 2026-03-09, 08:00 Beijing: 4 work hours end at 12:00 (04:00Z).
  const clock = (over: Partial<CaseClock> = {}): CaseClock => ({
    start: '2026-03-09T00:00:00Z',
    deadline: '2026-03-09T04:00:00Z',
    reminderLevel: 0,
    overdue: 0,
    escalationLevel: 0,
    unit: 'work_hours' as TimeLimitUnit,
    ...over,
  });
  type Row = [string, Partial<CaseClock>, string, { reminderLevel: number; overdue: number; escalationLevel: number; events: string[] } | null];

  it.each<Row>([
    ['25 % used: nothing', {}, '2026-03-09T01:00:00Z', null],
    ['50 %: first reminder', {}, '2026-03-09T02:00:00Z', { reminderLevel: 1, overdue: 0, escalationLevel: 0, events: ['remind:50'] }],
    ['80 % after the first', { reminderLevel: 1 }, '2026-03-09T03:12:00Z', { reminderLevel: 2, overdue: 0, escalationLevel: 0, events: ['remind:80'] }],
    ['80 % straight away: one reminder, the highest', {}, '2026-03-09T03:12:00Z', { reminderLevel: 2, overdue: 0, escalationLevel: 0, events: ['remind:80'] }],
    ['reminded already: nothing', { reminderLevel: 2 }, '2026-03-09T03:30:00Z', null],
    ['deadline: overdue and escalated to the unit', { reminderLevel: 2 }, '2026-03-09T04:00:00Z', { reminderLevel: 3, overdue: 1, escalationLevel: 1, events: ['overdue', 'escalate:1'] }],
    ['lunch break does not count', { reminderLevel: 3, overdue: 1, escalationLevel: 1 }, '2026-03-09T06:00:00Z', null],
    ['4 work hours late: to the leaders', { reminderLevel: 3, overdue: 1, escalationLevel: 1 }, '2026-03-09T10:00:00Z', { reminderLevel: 3, overdue: 1, escalationLevel: 2, events: ['escalate:2'] }],
    ['fully escalated: nothing', { reminderLevel: 3, overdue: 1, escalationLevel: 2 }, '2026-03-12T10:00:00Z', null],
    ['a missed day at once', {}, '2026-03-10T04:00:00Z', { reminderLevel: 3, overdue: 1, escalationLevel: 2, events: ['overdue', 'escalate:2'] }],
    // Friday 2026-03-13 18:00 deadline: the weekend is not late.
    ['weekend is not late', { start: '2026-03-13T06:00:00Z', deadline: '2026-03-13T10:00:00Z', reminderLevel: 3, overdue: 1, escalationLevel: 1 }, '2026-03-14T08:00:00Z', null],
    ['Monday noon after it is', { start: '2026-03-13T06:00:00Z', deadline: '2026-03-13T10:00:00Z', reminderLevel: 3, overdue: 1, escalationLevel: 1 }, '2026-03-16T04:00:00Z', { reminderLevel: 3, overdue: 1, escalationLevel: 2, events: ['escalate:2'] }],
    // Urgent categories count round the clock, weekends too (Saturday 2026-03-14).
    ['round the clock', { start: '2026-03-14T00:00:00Z', deadline: '2026-03-14T06:00:00Z', unit: 'clock_hours' }, '2026-03-14T03:00:00Z', { reminderLevel: 1, overdue: 0, escalationLevel: 0, events: ['remind:50'] }],
    // After an extension the case is due again: the old escalation does not hold it back.
    ['overdue again after an extension', { reminderLevel: 0, overdue: 0, escalationLevel: 2 }, '2026-03-09T04:30:00Z', { reminderLevel: 3, overdue: 1, escalationLevel: 1, events: ['overdue', 'escalate:1'] }],
    ['no clock start: only the deadline counts', { start: null }, '2026-03-09T03:00:00Z', null],
  ])('%s', (_, over, now, expected) => {
    const step = planDeadlineStep(clock(over), now, calendar, rules);
    if (expected === null) {
      expect(step).toBeNull();
      return;
    }
    expect(step).not.toBeNull();
    const { events, ...levels } = step!;
    expect({ ...levels, events: events.map((e) => (e.action === 'remind' ? `remind:${e.data.percent}` : e.action === 'escalate' ? `escalate:${e.data.level}` : e.action)) }).toEqual(expected);
  });

  it('waits the configured hours before each escalation level', () => {
    const spaced = { reminderFractions: [0.5, 0.8, 1], escalationHours: [2, 4] };
    const at = (now: string, over: Partial<CaseClock> = {}) => planDeadlineStep(clock({ reminderLevel: 2, ...over }), now, calendar, spaced);
    expect(at('2026-03-09T04:00:00Z')).toMatchObject({ overdue: 1, escalationLevel: 0 });
    // 14:00–16:00 Beijing: 2 work hours late.
    expect(at('2026-03-09T08:00:00Z', { reminderLevel: 3, overdue: 1 })).toMatchObject({ escalationLevel: 1 });
    expect(at('2026-03-10T02:00:00Z', { reminderLevel: 3, overdue: 1, escalationLevel: 1 })).toMatchObject({ escalationLevel: 2 });
  });

  // The job plans from dispatched_at first and looks up the true (later) start only when that plan reminds:
  // sound because a later start never raises the used share before the deadline.
  it('never raises the used share by starting the clock later', () => {
    let x = 7;
    const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const from = Date.parse('2026-09-20T00:00:00Z'); // across National Day and its make-up days
    for (let i = 0; i < 2000; i++) {
      const [s, s2, now, d] = Array.from({ length: 4 }, () => from + Math.floor(rand() * 30 * 86400_000)).sort((a, b) => a - b);
      for (const unit of ['work_hours', 'clock_hours'] as const) {
        const early = elapsedFraction(calendar, s, d, now, unit);
        const late = elapsedFraction(calendar, s2, d, now, unit);
        expect(early + 1e-12).toBeGreaterThanOrEqual(late);
      }
    }
  });
});

