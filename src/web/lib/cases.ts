// Rules the case screens share: how urgent a case looks, how work time reads, which fields each action's form
// asks for, which sources a role may report from. Pure (no React), so they are tested on their own.
import { CASE_ACTIONS, SOURCES_REQUIRING_VERIFICATION, type CaseAction, type CaseState } from '../../core/cases/index.js';
import type { Role } from '../../core/roles.js';
import type { CaseItem, CaseSource } from '../api/cases.js';

// ---- Time left -----------------------------------------------------------------------------------------------

/** One work day is 8 work hours (08:00–12:00, 14:00–18:00), as the calendar counts it. */
export const WORK_DAY_MINUTES = 8 * 60;
/** Under this much work time left a case turns amber even before the 80 % reminder. */
export const URGENT_MINUTES = 60;

export type Urgency = 'overdue' | 'urgent' | 'normal' | 'none';

/**
 * Red when late (the job's overdue flag or no time left), amber once the 80 % reminder went out or less than an
 * hour of work time is left, green otherwise; grey when the case runs against no deadline.
 */
export function urgencyOf(c: Pick<CaseItem, 'overdue' | 'remainingMinutes' | 'reminderLevel'>): Urgency {
  if (c.remainingMinutes === null || c.remainingMinutes === undefined) return c.overdue ? 'overdue' : 'none';
  if (c.overdue || c.remainingMinutes < 0) return 'overdue';
  if (c.reminderLevel >= 2 || c.remainingMinutes <= URGENT_MINUTES) return 'urgent';
  return 'normal';
}

export const URGENCY_COLOURS: Record<Urgency, string> = {
  overdue: '#cf1322',
  urgent: '#d48806',
  normal: '#389e0d',
  none: '#8c8c8c',
};

/** Work minutes as "1 个工作日 2 小时" / "3 小时 20 分钟" / "45 分钟" (sign dropped; the caller says late or left). */
export function formatWorkDuration(minutes: number, lang: 'zh-CN' | 'en-US'): string {
  const total = Math.round(Math.abs(minutes));
  const days = Math.floor(total / WORK_DAY_MINUTES);
  const hours = Math.floor((total % WORK_DAY_MINUTES) / 60);
  const mins = total % 60;
  const zh = lang === 'zh-CN';
  const parts: string[] = [];
  if (days) parts.push(zh ? `${days} 个工作日` : `${days} work day${days > 1 ? 's' : ''}`);
  if (hours) parts.push(zh ? `${hours} 小时` : `${hours} h`);
  // Minutes only matter while the time is short.
  if (mins && !days) parts.push(zh ? `${mins} 分钟` : `${mins} min`);
  if (!parts.length) return zh ? '0 分钟' : '0 min';
  return parts.join(' ');
}

// ---- Status colours ------------------------------------------------------------------------------------------

/** Tag colour (antd preset) and map colour (hex) per state; finished states are grey. */
export const STATUS_COLOURS: Record<CaseState, { tag: string; hex: string }> = {
  reported: { tag: 'gold', hex: '#d4a106' },
  verifying: { tag: 'orange', hex: '#fa8c16' },
  filed: { tag: 'cyan', hex: '#13a8a8' },
  dispatched: { tag: 'blue', hex: '#1677ff' },
  returned: { tag: 'magenta', hex: '#eb2f96' },
  processing: { tag: 'geekblue', hex: '#2f54eb' },
  extension_requested: { tag: 'purple', hex: '#722ed1' },
  hung: { tag: 'volcano', hex: '#d4380d' },
  feedback: { tag: 'lime', hex: '#7cb305' },
  closed: { tag: 'green', hex: '#389e0d' },
  rejected: { tag: 'default', hex: '#8c8c8c' },
  merged: { tag: 'default', hex: '#bfbfbf' },
};

// ---- Action forms --------------------------------------------------------------------------------------------

/** Inputs an action dialog can show; each maps onto fields of the transition request. */
export type ActionField =
  | 'reason' // reason
  | 'note' // note
  | 'evidencePhotos' // photoIds, linked as evidence (核实 on site)
  | 'afterPhotos' // photoIds, linked as 整改后照片
  | 'measures' // measures (整改措施)
  | 'extension' // extensionHours or newDeadline, and mark (承诺件/协调件)
  | 'approveDeadline' // newDeadline granted instead of the one asked for
  | 'unit' // unitId (the 责任清单's unit by default)
  | 'target'; // targetCaseId (合并)

export interface ActionFormSpec {
  required: readonly ActionField[];
  optional: readonly ActionField[];
}

/** Exactly the fields each action asks for: required ones mirror ACTION_RULES in src/core/cases. */
export const ACTION_FORMS: Record<CaseAction, ActionFormSpec> = {
  verify: { required: [], optional: ['evidencePhotos', 'note'] },
  file: { required: [], optional: ['note'] },
  reject: { required: ['reason'], optional: [] },
  merge: { required: ['target'], optional: ['note'] },
  dispatch: { required: [], optional: ['unit', 'note'] },
  return: { required: ['reason'], optional: [] },
  start: { required: [], optional: [] },
  request_extension: { required: ['extension', 'reason'], optional: [] },
  approve_extension: { required: [], optional: ['approveDeadline', 'note'] },
  deny_extension: { required: ['reason'], optional: [] },
  feedback: { required: ['afterPhotos', 'measures'], optional: [] },
  pass_check: { required: [], optional: ['note'] },
  fail_check: { required: ['reason'], optional: [] },
  hang: { required: ['reason'], optional: [] },
  reopen: { required: ['reason'], optional: [] },
  supervise: { required: [], optional: ['note'] },
};

/** The request field(s) behind each dialog field, to check the dialogs against the state machine. */
export const ACTION_FIELD_REQUEST_KEYS: Record<ActionField, readonly string[]> = {
  reason: ['reason'],
  note: ['note'],
  evidencePhotos: ['photoIds'],
  afterPhotos: ['photoIds'],
  measures: ['measures'],
  extension: ['extensionHours', 'newDeadline', 'mark'],
  approveDeadline: ['newDeadline'],
  unit: ['unitId'],
  target: ['targetCaseId'],
};

/** Taken with one tap, no dialog: signing for an order should cost a unit nothing. */
export const ONE_TAP_ACTIONS: readonly CaseAction[] = ['start'];

export type ActionTone = 'primary' | 'danger' | 'default';

const PRIMARY: readonly CaseAction[] = ['file', 'dispatch', 'start', 'feedback', 'pass_check', 'approve_extension'];
const DANGER: readonly CaseAction[] = ['reject', 'return', 'fail_check', 'hang', 'deny_extension'];

export function actionTone(action: CaseAction): ActionTone {
  if (PRIMARY.includes(action)) return 'primary';
  if (DANGER.includes(action)) return 'danger';
  return 'default';
}

/**
 * Forward steps first, then sending a report for verification (the office's 核实: a detour through a grid
 * worker), then the refusals, then the rest, each group in the loop's order.
 */
export function orderActions(actions: readonly CaseAction[]): CaseAction[] {
  const rank = (a: CaseAction) => (actionTone(a) === 'primary' ? 0 : a === 'verify' ? 1 : actionTone(a) === 'danger' ? 2 : 3);
  return [...actions].sort((a, b) => rank(a) - rank(b) || CASE_ACTIONS.indexOf(a) - CASE_ACTIONS.indexOf(b));
}

/**
 * On site a grid worker verifies and decides in one go: "核实属实，立案" runs verify then file, "核实不属实" verify
 * then reject. Offered when the case waits for verification and the worker may take it up.
 */
export type CompositeAction = 'verify_file' | 'verify_reject';

export function compositeActionsFor(role: Role, status: CaseState, actions: readonly CaseAction[]): CompositeAction[] {
  if (role !== 'grid_worker' || status !== 'reported' || !actions.includes('verify')) return [];
  return ['verify_file', 'verify_reject'];
}

// ---- Sources -------------------------------------------------------------------------------------------------

// SOURCE_ROLES and DISPATCH_NOW_ROLES are the server's own rules, from src/core/cases.
export { DISPATCH_NOW_ROLES, SOURCE_ROLES } from '../../core/cases/index.js';
import { DISPATCH_NOW_ROLES, SOURCE_ROLES } from '../../core/cases/index.js';

/** Office entry order: the sources the 创城办 types in most often first. */
const SOURCE_ORDER: readonly CaseSource[] = ['office', 'supervision', 'hotline', 'media', 'leader', 'citizen', 'patrol', 'citizen_patrol', 'inspection'];

export function sourcesFor(role: Role): CaseSource[] {
  return SOURCE_ORDER.filter((s) => SOURCE_ROLES[s].includes(role));
}

export function defaultSourceFor(role: Role): CaseSource | null {
  switch (role) {
    case 'grid_worker':
      return 'patrol';
    case 'inspector':
      return 'inspection';
    case 'citizen_patrol':
      return 'citizen_patrol';
    case 'leader':
      return 'leader';
    default:
      return sourcesFor(role)[0] ?? null;
  }
}

/** Roles that enter problems at a desk with the full office form (source, notice number, 立即派遣). */
export const OFFICE_ROLES: readonly Role[] = ['admin', 'office', 'dispatcher', 'leader'];

export function mayDispatchNow(role: Role, source: CaseSource): boolean {
  return DISPATCH_NOW_ROLES.includes(role) && !SOURCES_REQUIRING_VERIFICATION.includes(source);
}

/** Sources whose reporter is an outside person whose name and phone are kept (热线, 市民). */
export function sourceHasCitizen(source: CaseSource): boolean {
  return source === 'hotline' || source === 'citizen';
}

/** Sources that carry a document number: 通报编号, 工单编号, 报道出处. */
export function sourceHasRef(source: CaseSource): boolean {
  return source === 'supervision' || source === 'hotline' || source === 'media' || source === 'leader';
}

// ---- Categories ----------------------------------------------------------------------------------------------

/** The problems inspections find most (the speech: 车辆乱停乱放, 乱扔垃圾, 乱贴小广告), offered first. */
export const TOP_CATEGORY_CODES: readonly string[] = ['1401', '1101', '1201', '1402', '1109', '1407'];

/** Recently used first, no repeats, at most `max`. */
export function pushRecent(list: readonly string[], code: string, max = 6): string[] {
  return [code, ...list.filter((c) => c !== code)].slice(0, max);
}

/** Quick choices: the person's recent categories, then the top problems, without repeats. */
export function quickCategoryCodes(recent: readonly string[], available: ReadonlySet<string>, max = 6): string[] {
  const out: string[] = [];
  for (const code of [...recent, ...TOP_CATEGORY_CODES]) {
    if (available.has(code) && !out.includes(code)) out.push(code);
    if (out.length >= max) break;
  }
  return out;
}

// ---- Identity of a submission --------------------------------------------------------------------------------

/**
 * A key that makes a report idempotent: a double tap or a retry after a lost answer returns the case already made.
 * randomUUID needs a secure context (https or localhost); a phone on the street office's LAN over http gets the
 * same shape from getRandomValues.
 */
export function newIdempotencyKey(cryptoImpl: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = globalThis.crypto): string {
  if (typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID();
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Metres as "35 米" / "1.2 公里". */
export function formatDistance(metres: number, lang: 'zh-CN' | 'en-US'): string {
  if (metres < 1000) return lang === 'zh-CN' ? `${Math.round(metres)} 米` : `${Math.round(metres)} m`;
  const km = (metres / 1000).toFixed(1);
  return lang === 'zh-CN' ? `${km} 公里` : `${km} km`;
}

/** Wall time since a report: "刚刚", "20 分钟", "5 小时", "3 天". */
export function formatAge(fromIso: string, now: number, lang: 'zh-CN' | 'en-US'): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60_000));
  const zh = lang === 'zh-CN';
  if (minutes < 1) return zh ? '刚刚' : 'just now';
  if (minutes < 60) return zh ? `${minutes} 分钟` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return zh ? `${hours} 小时` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return zh ? `${days} 天` : `${days} d`;
}
