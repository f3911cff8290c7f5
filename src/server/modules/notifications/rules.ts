// Who hears about which step of the loop, and what the inbox says. Pure: the fan-out job feeds it events and the
// people of the streets involved, and writes what it returns.
import { canSeeCase } from '../cases/access.js';
import { toEpochMs } from '../../../core/calendar/index.js';

/**
 * unit: the responsible unit's people (role unit in its subtree); grid: the grid workers of the case's grid or
 * micro-grid; office: the street's 创城办; desk: the street's dispatchers and 创城办 (they re-route and decide
 * extensions); leaders: the street's leaders; reporter: the staff member who reported the problem.
 */
export type Audience = 'unit' | 'grid' | 'office' | 'desk' | 'leaders' | 'reporter';

/** Roles that make up the street-level audiences. */
export const STREET_AUDIENCE_ROLES = { office: ['office'], desk: ['dispatcher', 'office'], leaders: ['leader'] } as const;
/** Every role the fan-out may look up under a street or unit. */
export const DIRECTORY_ROLES = ['unit', 'grid_worker', 'office', 'dispatcher', 'leader'] as const;

/** Overdue escalation: level 1 reaches the unit (its head), level 2 and beyond the street's leaders and office. */
export function escalationAudiences(level: number): Audience[] {
  return level <= 1 ? ['unit'] : ['leaders', 'office'];
}

/** Audiences of one event; escalate events name the levels they cover (fromLevel+1 … level). */
export function audiencesFor(action: string, data: Record<string, unknown> | null = null): Audience[] {
  switch (action) {
    case 'dispatch': // 派遣: a new order for the unit
    case 'reopen': // 重新办理: back to the unit as a fresh order
    case 'fail_check': // 返工
    case 'approve_extension':
    case 'deny_extension':
    case 'remind': // 催办
      return ['unit'];
    case 'feedback': // 反馈: waiting for 核查
      return ['grid', 'office'];
    case 'return': // 退回: to be re-routed
    case 'request_extension':
      return ['desk'];
    case 'supervise': // 督办
      return ['unit', 'office'];
    case 'overdue':
      return ['unit', 'desk'];
    case 'escalate': {
      const level = Number(data?.level ?? 1);
      const from = Number(data?.fromLevel ?? level - 1);
      const out = new Set<Audience>();
      for (let l = Math.max(1, from + 1); l <= level; l++) for (const a of escalationAudiences(l)) out.add(a);
      return [...out];
    }
    case 'pass_check': // 结案: tell whoever reported it
    case 'reject': // 不予立案
      return ['reporter'];
    default:
      return [];
  }
}

export interface DirectoryPerson {
  id: number;
  role: string;
  org_id: number;
  path: string;
}

export interface EventFacts {
  actor_id: number | null;
  org_path: string;
  unit_path: string | null;
  grid_id: number;
  micro_grid_id: number | null;
  reporter_id: number | null;
  /** The unit the event concerns (the one dispatched to, reminded …), falling back to the case's current unit. */
  unitPath: string | null;
  streetPath: string | null;
}

/**
 * The people an event reaches: by audience, never the actor, and only people who can see the case now (a unit
 * that returned a case, or one it was taken from, hears nothing more about it).
 */
export function pickRecipients<P extends DirectoryPerson>(facts: EventFacts, audiences: readonly Audience[], people: readonly P[], reporter: P | null): P[] {
  const chosen = new Map<number, P>();
  const inStreet = (p: P) => !!facts.streetPath && p.path.startsWith(facts.streetPath);
  for (const audience of audiences) {
    if (audience === 'reporter') {
      if (reporter) chosen.set(reporter.id, reporter);
      continue;
    }
    for (const p of people) {
      const hit =
        audience === 'unit'
          ? p.role === 'unit' && !!facts.unitPath && p.path.startsWith(facts.unitPath)
          : audience === 'grid'
            ? p.role === 'grid_worker' && (p.org_id === facts.grid_id || p.org_id === facts.micro_grid_id)
            : (STREET_AUDIENCE_ROLES[audience] as readonly string[]).includes(p.role) && inStreet(p);
      if (hit) chosen.set(p.id, p);
    }
  }
  const seeable = { org_path: facts.org_path, unit_path: facts.unit_path, reporter_id: facts.reporter_id };
  return [...chosen.values()].filter((p) => p.id !== facts.actor_id && canSeeCase({ id: p.id, orgPath: p.path }, seeable));
}

/** `6月3日 14:30` in Beijing time. */
export function beijingShort(instant: string | null | undefined): string {
  if (!instant) return '';
  const ms = toEpochMs(instant);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export interface MessageFacts {
  action: string;
  case_no: string;
  category_name: string | null;
  description: string;
  note: string | null;
  deadline: string | null;
}

const clip = (text: string | null | undefined, n: number) => {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return [...t].length > n ? `${[...t].slice(0, n).join('')}…` : t;
};

/** Inbox title and body (zh-CN; the UI shows them as written). */
export function messageFor(e: MessageFacts, data: Record<string, unknown> | null): { title: string; body: string } {
  const what = [e.category_name, clip(e.description, 40)].filter(Boolean).join('：');
  const due = e.deadline ? `处置时限 ${beijingShort(e.deadline)}` : '';
  const reason = e.note ? `原因：${clip(e.note, 80)}` : '';
  const join = (...parts: string[]) => parts.filter(Boolean).join('；');
  switch (e.action) {
    case 'dispatch':
      return { title: `新派遣：${e.case_no}`, body: join(what, due) };
    case 'reopen':
      return { title: `重新办理：${e.case_no}`, body: join(what, reason, due) };
    case 'fail_check':
      return { title: `核查未通过，请返工：${e.case_no}`, body: join(what, reason, due) };
    case 'approve_extension':
      return { title: `延期已批准：${e.case_no}`, body: join(what, e.deadline ? `新的处置时限 ${beijingShort(e.deadline)}` : '') };
    case 'deny_extension':
      return { title: `延期未获批准：${e.case_no}`, body: join(what, reason, due) };
    case 'remind': {
      const percent = Number(data?.percent ?? 0);
      return { title: `催办：${e.case_no} 时限已用 ${percent}%`, body: join(what, e.deadline ? `请于 ${beijingShort(e.deadline)} 前处置完毕` : '') };
    }
    case 'overdue':
      return { title: `已超期：${e.case_no}`, body: join(what, e.deadline ? `处置时限 ${beijingShort(e.deadline)} 已过，请尽快处置并反馈` : '') };
    case 'escalate': {
      const level = Number(data?.level ?? 1);
      const hours = Number(data?.overdueHours ?? 0);
      const unit = data?.clock ? '小时' : '个工作小时';
      return { title: `超期升级督办（${level}级）：${e.case_no}`, body: join(what, `已超期 ${hours} ${unit}`) };
    }
    case 'supervise':
      return { title: `督办：${e.case_no}`, body: join(what, e.note ? `督办意见：${clip(e.note, 80)}` : '', due) };
    case 'feedback':
      return { title: `待核查：${e.case_no}`, body: join(what, e.note ? `整改措施：${clip(e.note, 80)}` : '') };
    case 'return':
      return { title: `退回待重新派遣：${e.case_no}`, body: join(what, reason) };
    case 'request_extension':
      return { title: `延期申请待审批：${e.case_no}`, body: join(what, reason, typeof data?.newDeadline === 'string' ? `申请延至 ${beijingShort(data.newDeadline)}` : '') };
    case 'pass_check':
      return { title: `已结案：${e.case_no}`, body: join(what, '您上报的问题已整改并通过核查') };
    case 'reject':
      return { title: `不予立案：${e.case_no}`, body: join(what, reason) };
    default:
      return { title: `${e.case_no} 有新动态`, body: what };
  }
}
