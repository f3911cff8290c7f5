// The case state machine: GB/T 30428's seven steps 信息收集 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案, with the
// detours a street really takes (核实, 退回, 延期, 挂账, 返工, 重新办理, 合并, 督办). Pure rules only: the server
// checks org scope and the case version, writes the event row and applies the effects this module names.
import type { Role } from '../roles.js';

export const CASE_STATES = [
  'reported', // 已上报 (信息收集: a report waiting for the dispatcher)
  'verifying', // 核实中 (a grid worker checks on site)
  'filed', // 已立案
  'rejected', // 不予立案/作废
  'merged', // 已合并 (a duplicate folded into another case)
  'dispatched', // 已派遣 (with a responsible unit and a deadline)
  'returned', // 已退回 (the unit says it is not its remit)
  'processing', // 处置中
  'extension_requested', // 延期申请中
  'hung', // 挂账 (unsolvable for now, kept visible on the backlog)
  'feedback', // 已反馈 (handled, waiting for 核查)
  'closed', // 已结案/已销号
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Actions of `POST /api/v1/cases/{id}/transitions`: names are an API contract. */
export const CASE_ACTIONS = [
  'verify', // 核实 (send to / take up on-site verification)
  'file', // 立案
  'reject', // 不予立案/作废
  'dispatch', // 派遣 (also re-route after a return, or send a 挂账 case out again)
  'return', // 退回
  'start', // 签收/开始处置 (also resume a 挂账 case)
  'request_extension', // 申请延期 (optionally as 承诺件 or 协调件)
  'approve_extension', // 批准延期
  'deny_extension', // 驳回延期
  'feedback', // 反馈 (after-photos and measures)
  'pass_check', // 核查通过 → 结案
  'fail_check', // 核查不通过 → 返工
  'hang', // 挂账
  'reopen', // 重新办理 (citizen unsatisfied, failed 回头看)
  'supervise', // 督办
  'merge', // 合并 (duplicate)
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** States in which a case is finished: 不予立案, 已合并, 已结案. Only a closed case can come back (reopen). */
export const FINISHED_STATES: readonly CaseState[] = ['rejected', 'merged', 'closed'];
export const OPEN_STATES: readonly CaseState[] = CASE_STATES.filter((s) => !FINISHED_STATES.includes(s));

export function isOpen(state: CaseState): boolean {
  return OPEN_STATES.includes(state);
}

/**
 * Sources whose reports must be verified on site before filing (核实): the reporter is not one of ours.
 * Patrol, office, supervision notices, inspections and citizen patrol may be filed directly.
 */
export const SOURCES_REQUIRING_VERIFICATION: readonly string[] = ['citizen', 'hotline', 'media'];

/** Flags a unit can put on an extension request. */
export const CASE_MARKS = [
  'commitment', // 承诺件: the unit commits in writing to finish by `newDeadline`
  'coordination', // 协调件: other departments must act too; the office coordinates
] as const;
export type CaseMark = (typeof CASE_MARKS)[number];

/** What a caller may send with an action (besides `action` and `version`, which the server handles). */
export interface TransitionInput {
  /** Why: required for reject, return, deny_extension, fail_check, hang, reopen. */
  reason?: string;
  /** Free note, kept on the event row. */
  note?: string;
  /** feedback: ids of uploaded after-photos (整改后照片), at least one. */
  photoIds?: readonly (string | number)[];
  /** feedback: measures taken (整改措施). */
  measures?: string;
  /** request_extension: more work hours asked for (either this or newDeadline). */
  extensionHours?: number;
  /** request_extension: the deadline asked for, ISO-8601 instant; approve_extension: the deadline granted instead. */
  newDeadline?: string;
  /** request_extension: 承诺件 (needs newDeadline) or 协调件. */
  mark?: CaseMark;
  /** dispatch: the responsible unit; when absent the server routes by the 责任清单. */
  unitId?: string | number;
  /** merge: the case this duplicate is merged into. */
  targetCaseId?: string | number;
}

/** Facts about the case that some rules depend on. */
export interface TransitionContext {
  /** The case's source, e.g. 'citizen', 'hotline', 'patrol'. Unknown source: filing without verification is allowed. */
  source?: string;
}

/** What the server must do besides setting the new state (absent flags are false). */
export interface TransitionEffects {
  /** Set the responsible unit: input.unitId, or routed by the 责任清单 (dispatch). */
  assignsUnit?: boolean;
  /** Clear the responsible unit (return). */
  clearsUnit?: boolean;
  /** Compute a fresh deadline from now with the category's time limit. */
  needsDeadline?: boolean;
  /** Set the deadline to the approved one: input.newDeadline, else the one requested (approve_extension). */
  extendsDeadline?: boolean;
  /** The case no longer runs against a deadline (return, hang): no reminders, not overdue. */
  clearsDeadline?: boolean;
  /** Count a return against the routing (退回次数). */
  countsAsReturn?: boolean;
  /** Handling is finished now (处置完成时间); on-time handling is judged against the deadline at this moment. */
  handled?: boolean;
  /** Count a rework (返工次数, 返工率). */
  rework?: boolean;
  /** Record the closing time (销号时间). */
  closes?: boolean;
  /** Count a reopening (重新办理). */
  reopened?: boolean;
  /** Flag the case 督办 and notify the unit. */
  supervised?: boolean;
  /** Link the case to input.targetCaseId as a duplicate; the first reporter keeps the credit. */
  merges?: boolean;
  /** Put a 承诺件/协调件 mark on the case. */
  mark?: CaseMark;
}

export type TransitionFailureReason =
  | 'illegal_state' // the action is not possible in this state (HTTP 422)
  | 'forbidden_role' // the role may not take this action here (HTTP 403)
  | 'missing_field' // a required field is absent or empty (HTTP 422)
  | 'invalid_field'; // a field is present but unusable (HTTP 422)

export type TransitionPlan =
  | { ok: true; from: CaseState; to: CaseState; effects: TransitionEffects }
  | {
      ok: false;
      reason: TransitionFailureReason;
      /** Actions this role may take in this state, for the error body and the UI. */
      allowed: CaseAction[];
      /** The first offending field; for a choice of fields, the first of them (see `fields`). */
      field?: string;
      /** For a choice of fields (one of them is required): all of them. */
      fields?: string[];
      /** Finer cause, e.g. 'verification_required' when a citizen report is filed without 核实. */
      detail?: string;
    };

export type FieldKind = 'text' | 'photos' | 'hours' | 'instant' | 'id';

export interface FieldRequirement {
  /** The field, or several when any one of them will do. */
  fields: readonly (keyof TransitionInput)[];
  kind: FieldKind;
}

export interface ActionRule {
  from: readonly CaseState[];
  /** 'unchanged' for actions that only flag the case (supervise). */
  to: CaseState | 'unchanged';
  roles: readonly Role[];
  /** Roles that may take the action only from some of its from-states. */
  rolesOnlyFrom?: Partial<Record<Role, readonly CaseState[]>>;
  required: readonly FieldRequirement[];
}

// The street side: 创城办 runs the loop and the system admin may stand in for it.
const OFFICE: readonly Role[] = ['admin', 'office', 'dispatcher'];
const CHECKERS: readonly Role[] = [...OFFICE, 'grid_worker', 'inspector'];
const DECIDERS: readonly Role[] = [...OFFICE, 'leader'];

const REASON: FieldRequirement = { fields: ['reason'], kind: 'text' };

export const ACTION_RULES: Record<CaseAction, ActionRule> = {
  verify: { from: ['reported'], to: 'verifying', roles: [...OFFICE, 'grid_worker'], required: [] },
  file: {
    from: ['reported', 'verifying'],
    to: 'filed',
    roles: [...OFFICE, 'grid_worker'],
    // A grid worker files only the report they verified on site (核实属实).
    rolesOnlyFrom: { grid_worker: ['verifying'] },
    required: [],
  },
  reject: {
    from: ['reported', 'verifying'],
    to: 'rejected',
    roles: [...OFFICE, 'grid_worker'],
    rolesOnlyFrom: { grid_worker: ['verifying'] },
    required: [REASON],
  },
  merge: {
    from: ['reported', 'verifying', 'filed'],
    to: 'merged',
    roles: OFFICE,
    required: [{ fields: ['targetCaseId'], kind: 'id' }],
  },
  dispatch: { from: ['filed', 'returned', 'hung'], to: 'dispatched', roles: OFFICE, required: [] },
  return: { from: ['dispatched'], to: 'returned', roles: ['unit'], required: [REASON] },
  start: {
    from: ['dispatched', 'hung'],
    to: 'processing',
    roles: ['unit', ...OFFICE],
    // The office may take a 挂账 case off the backlog; only the unit signs for a fresh order.
    rolesOnlyFrom: { admin: ['hung'], office: ['hung'], dispatcher: ['hung'] },
    required: [],
  },
  request_extension: {
    from: ['processing'],
    to: 'extension_requested',
    roles: ['unit'],
    required: [REASON, { fields: ['extensionHours', 'newDeadline'], kind: 'hours' }],
  },
  approve_extension: { from: ['extension_requested'], to: 'processing', roles: DECIDERS, required: [] },
  deny_extension: { from: ['extension_requested'], to: 'processing', roles: DECIDERS, required: [REASON] },
  hang: { from: ['processing'], to: 'hung', roles: DECIDERS, required: [REASON] },
  feedback: {
    from: ['dispatched', 'processing'],
    to: 'feedback',
    roles: ['unit'],
    required: [
      { fields: ['photoIds'], kind: 'photos' },
      { fields: ['measures'], kind: 'text' },
    ],
  },
  pass_check: { from: ['feedback'], to: 'closed', roles: CHECKERS, required: [] },
  fail_check: { from: ['feedback'], to: 'processing', roles: CHECKERS, required: [REASON] },
  reopen: {
    from: ['closed'],
    // Back to the same unit as a fresh order: it signs again (start), or returns it if the problem turns out
    // to be someone else's.
    to: 'dispatched',
    roles: [...DECIDERS, 'inspector', 'citizen_patrol'],
    required: [REASON],
  },
  supervise: { from: OPEN_STATES, to: 'unchanged', roles: ['admin', 'office', 'leader'], required: [] },
};

function roleMayActFrom(rule: ActionRule, role: Role, state: CaseState): boolean {
  if (!rule.roles.includes(role)) return false;
  const only = rule.rolesOnlyFrom?.[role];
  return only === undefined || only.includes(state);
}

function needsVerificationFirst(action: CaseAction, state: CaseState, context: TransitionContext): boolean {
  return (
    action === 'file' &&
    state === 'reported' &&
    context.source !== undefined &&
    SOURCES_REQUIRING_VERIFICATION.includes(context.source)
  );
}

/** Actions `role` may take on a case in `state`, in CASE_ACTIONS order. */
export function allowedActions(state: CaseState, role: Role, context: TransitionContext = {}): CaseAction[] {
  return CASE_ACTIONS.filter((action) => {
    const rule = ACTION_RULES[action];
    return (
      rule.from.includes(state) && roleMayActFrom(rule, role, state) && !needsVerificationFirst(action, state, context)
    );
  });
}

/** Roles that may take `action` from `state` (empty when the action is illegal there). */
export function rolesFor(action: CaseAction, state: CaseState): Role[] {
  const rule = ACTION_RULES[action];
  if (!rule.from.includes(state)) return [];
  return rule.roles.filter((role) => roleMayActFrom(rule, role, state));
}

/**
 * Decide a transition: the new state and its effects, or why not. Checks, in order: the role may take the
 * action at all (else forbidden_role), the state allows it (else illegal_state), the role may take it from this
 * state (else forbidden_role), verification before filing (illegal_state, detail 'verification_required'),
 * then the fields.
 */
export function planTransition(
  state: CaseState,
  action: CaseAction,
  role: Role,
  input: TransitionInput = {},
  context: TransitionContext = {},
): TransitionPlan {
  const allowed = () => allowedActions(state, role, context);
  const rule = ACTION_RULES[action];
  if (!rule) return { ok: false, reason: 'illegal_state', allowed: allowed() };
  if (!rule.roles.includes(role)) return { ok: false, reason: 'forbidden_role', allowed: allowed() };
  if (!rule.from.includes(state)) return { ok: false, reason: 'illegal_state', allowed: allowed() };
  if (!roleMayActFrom(rule, role, state)) return { ok: false, reason: 'forbidden_role', allowed: allowed() };
  if (needsVerificationFirst(action, state, context)) {
    return { ok: false, reason: 'illegal_state', allowed: allowed(), detail: 'verification_required' };
  }
  for (const requirement of rule.required) {
    const problem = checkRequirement(requirement, input);
    if (problem) return { ok: false, allowed: allowed(), ...problem };
  }
  const extra = checkActionSpecific(action, input);
  if (extra) return { ok: false, allowed: allowed(), ...extra };
  return { ok: true, from: state, to: rule.to === 'unchanged' ? state : rule.to, effects: effectsOf(action, state, input) };
}

type FieldProblem = { reason: 'missing_field' | 'invalid_field'; field: string; fields?: string[] };

function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function isValidInstant(value: unknown): boolean {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

function checkValue(field: keyof TransitionInput, value: unknown): boolean {
  switch (field) {
    case 'reason':
    case 'measures':
    case 'note':
      return typeof value === 'string';
    case 'photoIds':
      return (
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((id) => (typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id)))
      );
    case 'extensionHours':
      return typeof value === 'number' && Number.isFinite(value) && value > 0;
    case 'newDeadline':
      return isValidInstant(value);
    case 'unitId':
    case 'targetCaseId':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    case 'mark':
      return CASE_MARKS.includes(value as CaseMark);
  }
}

function checkRequirement(requirement: FieldRequirement, input: TransitionInput): FieldProblem | null {
  const present = requirement.fields.filter((field) => !isBlank(input[field]));
  const choice = requirement.fields.length > 1 ? { fields: [...requirement.fields] } : {};
  if (present.length === 0) return { reason: 'missing_field', field: requirement.fields[0], ...choice };
  const invalid = present.find((field) => !checkValue(field, input[field]));
  if (invalid) return { reason: 'invalid_field', field: invalid, ...choice };
  return null;
}

const INPUT_FIELDS: readonly (keyof TransitionInput)[] = [
  'reason',
  'note',
  'photoIds',
  'measures',
  'extensionHours',
  'newDeadline',
  'mark',
  'unitId',
  'targetCaseId',
];

function checkActionSpecific(action: CaseAction, input: TransitionInput): FieldProblem | null {
  // Optional fields must be usable when given, whatever the action.
  const invalid = INPUT_FIELDS.find((field) => !isBlank(input[field]) && !checkValue(field, input[field]));
  if (invalid) return { reason: 'invalid_field', field: invalid };
  // A 承诺件 is a written promise of a date, not a number of hours.
  if (action === 'request_extension' && input.mark === 'commitment' && isBlank(input.newDeadline)) {
    return { reason: 'missing_field', field: 'newDeadline' };
  }
  return null;
}

function effectsOf(action: CaseAction, from: CaseState, input: TransitionInput): TransitionEffects {
  switch (action) {
    case 'dispatch':
      return { assignsUnit: true, needsDeadline: true };
    case 'return':
      return { clearsUnit: true, clearsDeadline: true, countsAsReturn: true };
    case 'start':
      // Hanging cleared the deadline; resuming starts a fresh one. A dispatched case keeps its dispatch deadline.
      return from === 'hung' ? { needsDeadline: true } : {};
    case 'request_extension':
      return input.mark ? { mark: input.mark } : {};
    case 'approve_extension':
      return { extendsDeadline: true };
    case 'hang':
      return { clearsDeadline: true };
    case 'feedback':
      return { handled: true };
    case 'pass_check':
      return { closes: true };
    case 'fail_check':
      return { rework: true, needsDeadline: true };
    case 'reopen':
      return { reopened: true, needsDeadline: true };
    case 'supervise':
      return { supervised: true };
    case 'merge':
      return { merges: true };
    case 'verify':
    case 'file':
    case 'reject':
    case 'deny_extension':
      return {};
  }
}

export const CASE_STATE_LABELS: Record<CaseState, { zh: string; en: string }> = {
  reported: { zh: '已上报', en: 'Reported' },
  verifying: { zh: '核实中', en: 'Verifying' },
  filed: { zh: '已立案', en: 'Filed' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  merged: { zh: '已合并', en: 'Merged' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  returned: { zh: '已退回', en: 'Returned' },
  processing: { zh: '处置中', en: 'Processing' },
  extension_requested: { zh: '延期申请中', en: 'Extension requested' },
  hung: { zh: '挂账', en: 'On the backlog' },
  feedback: { zh: '待核查', en: 'Awaiting check' },
  closed: { zh: '已结案', en: 'Closed' },
};

export const CASE_ACTION_LABELS: Record<CaseAction, { zh: string; en: string }> = {
  verify: { zh: '核实', en: 'Verify' },
  file: { zh: '立案', en: 'File' },
  reject: { zh: '不予立案', en: 'Reject' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  return: { zh: '退回', en: 'Return' },
  start: { zh: '开始处置', en: 'Start' },
  request_extension: { zh: '申请延期', en: 'Request extension' },
  approve_extension: { zh: '批准延期', en: 'Approve extension' },
  deny_extension: { zh: '驳回延期', en: 'Deny extension' },
  feedback: { zh: '反馈', en: 'Feed back' },
  pass_check: { zh: '核查通过', en: 'Pass check' },
  fail_check: { zh: '核查不通过（返工）', en: 'Fail check (rework)' },
  hang: { zh: '挂账', en: 'Put on backlog' },
  reopen: { zh: '重新办理', en: 'Reopen' },
  supervise: { zh: '督办', en: 'Supervise' },
  merge: { zh: '合并', en: 'Merge' },
};

export const CASE_MARK_LABELS: Record<CaseMark, { zh: string; en: string }> = {
  commitment: { zh: '承诺件', en: 'Commitment' },
  coordination: { zh: '协调件', en: 'Needs coordination' },
};

/** Ledger column 整改结果: 已整改 / 整改中 / 挂账, or null for cases that never became a task. */
export function ledgerResult(state: CaseState): '已整改' | '整改中' | '挂账' | null {
  if (state === 'closed') return '已整改';
  if (state === 'hung') return '挂账';
  if (state === 'rejected' || state === 'merged' || state === 'reported' || state === 'verifying') return null;
  return '整改中';
}

/** Open311 GeoReport v2: `status` is only open/closed; the fine state goes to `status_notes`. */
export function toOpen311Status(state: CaseState): { status: 'open' | 'closed'; status_notes: string } {
  const label = CASE_STATE_LABELS[state];
  return {
    status: isOpen(state) ? 'open' : 'closed',
    status_notes: `${state.toUpperCase()}/${label.zh}`,
  };
}
