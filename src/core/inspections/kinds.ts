// 测评计划 (inspection plans): kinds, statuses, the small state machine of a plan, and the human plan number.
// Pure: the server stores plans, the web shows them.

/** 模拟测评 mock test · 督查 supervision · 市民巡访 citizen patrol · 回头看 revisit of open problems. */
export const PLAN_KINDS = ['mock', 'supervision', 'citizen_patrol', 'revisit'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export const PLAN_KIND_LABELS: Record<PlanKind, { zh: string; en: string }> = {
  mock: { zh: '模拟测评', en: 'Mock test' },
  supervision: { zh: '督查', en: 'Supervision' },
  citizen_patrol: { zh: '市民巡访', en: 'Citizen patrol' },
  revisit: { zh: '回头看', en: 'Revisit' },
};

/** draft: points, inspectors and dates are edited · active: inspectors submit · closed: read only (通报 final). */
export const PLAN_STATUSES = ['draft', 'active', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_STATUS_LABELS: Record<PlanStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  active: { zh: '进行中', en: 'Active' },
  closed: { zh: '已结束', en: 'Closed' },
};

/** Actions of `POST /inspections/plans/{id}/transitions`: names are an API contract. */
export const PLAN_ACTIONS = ['activate', 'close', 'reopen'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export const PLAN_ACTION_LABELS: Record<PlanAction, { zh: string; en: string }> = {
  activate: { zh: '启动', en: 'Activate' },
  close: { zh: '结束', en: 'Close' },
  reopen: { zh: '重新开启', en: 'Reopen' },
};

/** The whole state machine: from which statuses an action may start, and where it leads. */
export const PLAN_TRANSITIONS: Record<PlanAction, { from: readonly PlanStatus[]; to: PlanStatus }> = {
  activate: { from: ['draft'], to: 'active' },
  close: { from: ['active'], to: 'closed' },
  reopen: { from: ['closed'], to: 'active' },
};

/** The status an action leads to from `status`, or null when it is not allowed there. */
export function nextPlanStatus(status: PlanStatus, action: PlanAction): PlanStatus | null {
  const t = PLAN_TRANSITIONS[action];
  return t && t.from.includes(status) ? t.to : null;
}

/** Actions available in a status, in PLAN_ACTIONS order. */
export function planActionsFor(status: PlanStatus): PlanAction[] {
  return PLAN_ACTIONS.filter((a) => nextPlanStatus(status, a) !== null);
}

/** What may be changed in a status. */
export const PLAN_EDITS: Record<PlanStatus, { details: boolean; points: boolean; inspectors: boolean; reassign: boolean; results: boolean }> = {
  draft: { details: true, points: true, inspectors: true, reassign: true, results: false },
  active: { details: true, points: false, inspectors: false, reassign: true, results: true },
  closed: { details: false, points: false, inspectors: false, reassign: false, results: false },
};

export interface ActivationFacts {
  points: number;
  inspectors: number;
  /** Points without an inspector. */
  unassigned: number;
  startsOn: string;
  endsOn: string;
}

/** Why a draft cannot be activated yet (empty when it can), zh and en. */
export function activationProblems(f: ActivationFacts): { zh: string; en: string }[] {
  const out: { zh: string; en: string }[] = [];
  if (f.points < 1) out.push({ zh: '计划中还没有点位', en: 'the plan has no points' });
  if (f.inspectors < 1) out.push({ zh: '计划还没有测评员', en: 'the plan has no inspectors' });
  if (f.unassigned > 0) out.push({ zh: `${f.unassigned} 个点位未分配测评员`, en: `${f.unassigned} point(s) have no inspector` });
  if (f.endsOn < f.startsOn) out.push({ zh: '结束日期早于开始日期', en: 'the end date is before the start date' });
  return out;
}

/** 计划编号: JC-2026-0001 (检查), numbered per year. */
export const PLAN_NO_PATTERN = /^JC-(\d{4})-(\d{4,})$/;

export function planNumber(year: number, seq: number): string {
  return `JC-${year}-${String(seq).padStart(4, '0')}`;
}

/** The sequence number of a plan number of that year, or null. */
export function planNumberSeq(planNo: string, year: number): number | null {
  const m = PLAN_NO_PATTERN.exec(planNo);
  return m && Number(m[1]) === year ? Number(m[2]) : null;
}

/** A date 'YYYY-MM-DD' that exists on the calendar. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
