// One step of the loop on one case: the pure state machine decides, this applies its effects, the case version
// guards against concurrent edits (the second writer gets 409), and the event row is written in the same transaction.
import type { Actor, Deps } from '../../lib/context.js';
import type { CaseRow } from '../../db/schema.js';
import { Problem, conflict } from '../../errors.js';
import { planTransition, type CaseAction, type CaseState, type TransitionInput } from '../../../core/cases/index.js';
import { computeDeadline, type TimeLimit } from '../../../core/calendar/index.js';
import { resolveResponsibleUnit } from '../routing/service.js';
import { findCategoryByCode } from '../categories/service.js';
import { linkPhotos } from '../photos/service.js';
import { caseRepo } from './repo.js';
import { workCalendar } from './calendar.js';
import { actorEventFields } from './intake.js';
import { canSeeCase } from './access.js';

export interface TransitionRequest extends TransitionInput {
  action: CaseAction;
  version: number;
}

/** Actions a unit takes on its own cases: only people of the responsible unit (or the office on its behalf). */
const UNIT_ACTIONS: readonly CaseAction[] = ['start', 'return', 'request_extension', 'feedback'];
const OFFICE_ROLES = ['admin', 'office', 'dispatcher'];

const FIELD_LIMITS: Partial<Record<keyof TransitionInput, number>> = { reason: 500, note: 1000, measures: 2000 };

export async function transitionCase(deps: Deps, actor: Actor, caseId: number, req: TransitionRequest) {
  const before = await caseRepo.byId(deps.db, caseId);
  if (!before || !canSeeCase(actor.user, before)) throw new Problem('NOT_FOUND', { what: `case ${caseId}` });
  for (const [field, max] of Object.entries(FIELD_LIMITS)) {
    const v = (req as unknown as Record<string, unknown>)[field];
    if (typeof v === 'string' && v.length > max!) throw new Problem('VALIDATION_FAILED', { field, reason: `at most ${max} characters` });
  }
  // A stale version is a conflict whatever the action: the client acted on a case that has moved on.
  if (req.version !== before.version) throw conflict();
  const plan = planTransition(before.status as CaseState, req.action, actor.user.role, req, { source: before.source });
  if (!plan.ok) {
    if (plan.reason === 'forbidden_role') throw new Problem('FORBIDDEN', {}, { allowed: plan.allowed });
    if (plan.reason === 'illegal_state') throw new Problem('ILLEGAL_TRANSITION', {}, { status: before.status, allowed: plan.allowed, detail: plan.detail });
    throw new Problem('VALIDATION_FAILED', { field: plan.field ?? plan.fields?.[0] ?? 'action', reason: plan.reason === 'missing_field' ? 'is required' : (plan.detail ?? 'is invalid') }, { allowed: plan.allowed, fields: plan.fields });
  }
  if (UNIT_ACTIONS.includes(req.action) && !OFFICE_ROLES.includes(actor.user.role)) {
    if (!before.unit_path || !actor.user.orgPath.startsWith(before.unit_path)) throw new Problem('FORBIDDEN');
  }
  const fx = plan.effects;
  const category = fx.needsDeadline || fx.assignsUnit ? await findCategoryByCode(deps.db, before.category_code) : null;
  const calendar = fx.needsDeadline || fx.extendsDeadline || fx.handled || req.action === 'request_extension' ? await workCalendar(deps.db) : null;
  const now = new Date();
  const at = now.toISOString();

  await deps.db.transaction().execute(async (trx) => {
    const patch: Partial<CaseRow> = { status: plan.to, updated_at: at };
    const data: Record<string, unknown> = {};
    let deadline = before.deadline;

    if (fx.assignsUnit) {
      let unitId = req.unitId !== undefined && req.unitId !== null && req.unitId !== '' ? Number(req.unitId) : null;
      let routing: string | null = 'manual';
      if (unitId === null) {
        // A re-dispatch after a return goes elsewhere than the unit that returned it: ask the 责任清单 afresh.
        const r = await resolveResponsibleUnit(trx, { categoryCode: before.category_code, pointId: before.point_id, location: { gridId: before.grid_id, microGridId: before.micro_grid_id, communityId: before.community_id, streetId: before.street_id, gridPath: before.org_path } });
        unitId = r.unit?.id ?? before.unit_id;
        routing = r.level ? `${r.level}${r.ruleId ? `#${r.ruleId}` : ''}` : null;
        patch.routing_rule_id = r.ruleId;
      }
      const unit = unitId ? await caseRepo.orgPath(trx, unitId) : null;
      if (!unit || !unit.active || !['community', 'department', 'stationed_unit', 'property_company', 'grid', 'street'].includes(unit.kind)) {
        throw new Problem('VALIDATION_FAILED', { field: 'unitId', reason: 'no such responsible unit' });
      }
      if (!unit.path.startsWith(actor.user.orgPath) && !actor.user.orgPath.startsWith(unit.path)) throw new Problem('VALIDATION_FAILED', { field: 'unitId', reason: 'no such responsible unit' });
      patch.unit_id = unit.id;
      patch.unit_path = unit.path;
      patch.routing_note = routing;
      patch.dispatched_at = at;
      data.unitId = unit.id;
      data.unitName = unit.name;
      data.routing = routing;
    }
    if (fx.clearsUnit) {
      data.returnedBy = before.unit_id;
      patch.unit_id = null;
      patch.unit_path = null;
    }
    if (fx.needsDeadline) {
      const limit: TimeLimit | null = category?.timeLimit ?? null;
      if (limit && calendar) {
        const d = computeDeadline(calendar, now, limit);
        deadline = d.deadline.toISOString();
        patch.deadline_warning = d.warnings.map((w) => w.messageZh).join('；') || null;
      } else deadline = null;
      patch.deadline = deadline;
      patch.overdue = 0;
      patch.reminder_level = 0;
      patch.escalation_level = 0;
    }
    if (fx.clearsDeadline) {
      deadline = null;
      patch.deadline = null;
      patch.overdue = 0;
    }
    if (req.action === 'request_extension') {
      let asked: string | null = req.newDeadline ?? null;
      if (!asked && req.extensionHours && calendar && before.deadline) {
        asked = computeDeadline(calendar, before.deadline, { unit: 'work_hours', value: req.extensionHours }).deadline.toISOString();
      }
      if (asked && before.deadline && asked <= before.deadline) throw new Problem('VALIDATION_FAILED', { field: 'newDeadline', reason: 'must be later than the current deadline' });
      patch.pending_extension = JSON.stringify({ newDeadline: asked, extensionHours: req.extensionHours ?? null, mark: req.mark ?? null, reason: req.reason ?? null, requestedAt: at });
      data.newDeadline = asked;
    }
    if (fx.extendsDeadline) {
      const pending = before.pending_extension ? (JSON.parse(before.pending_extension) as { newDeadline: string | null }) : null;
      const granted = req.newDeadline ?? pending?.newDeadline ?? null;
      if (!granted || Number.isNaN(Date.parse(granted))) throw new Problem('VALIDATION_FAILED', { field: 'newDeadline', reason: 'is required' });
      deadline = new Date(granted).toISOString();
      patch.deadline = deadline;
      patch.overdue = deadline < at ? 1 : 0;
      patch.reminder_level = 0;
      patch.extension_count = before.extension_count + 1;
      patch.pending_extension = null;
      data.newDeadline = deadline;
    }
    if (req.action === 'deny_extension') patch.pending_extension = null;
    if (fx.mark) patch.mark = fx.mark;
    if (fx.countsAsReturn) patch.return_count = before.return_count + 1;
    if (fx.handled) {
      patch.handled_at = at;
      patch.handled_on_time = before.deadline ? (at <= before.deadline ? 1 : 0) : 1;
      data.measures = req.measures;
    }
    if (fx.rework) patch.rework_count = before.rework_count + 1;
    if (fx.closes) {
      patch.closed_at = at;
      patch.closed_on_time = before.handled_on_time ?? (before.deadline ? (at <= before.deadline ? 1 : 0) : 1);
      patch.checker_id = actor.user.id;
    }
    if (req.action === 'pass_check' || req.action === 'fail_check') patch.checker_id = actor.user.id;
    if (fx.reopened) {
      patch.reopen_count = before.reopen_count + 1;
      patch.closed_at = null;
      patch.closed_on_time = null;
      patch.handled_at = null;
      patch.handled_on_time = null;
    }
    if (fx.supervised) {
      patch.supervised = 1;
      patch.supervised_at = at;
    }
    if (fx.merges) {
      const targetId = Number(req.targetCaseId);
      const target = await caseRepo.byId(trx, targetId);
      if (!target || target.id === before.id || target.street_id !== before.street_id || ['closed', 'rejected', 'merged'].includes(target.status) || !canSeeCase(actor.user, target)) {
        throw new Problem('VALIDATION_FAILED', { field: 'targetCaseId', reason: 'not an open case of this street' });
      }
      patch.merged_into_id = target.id;
      await caseRepo.bumpMergedCount(trx, target.id, at);
      await caseRepo.insertEvent(trx, { caseId: target.id, at, ...actorEventFields(actor), action: 'merged_in', from: null, to: null, data: { caseId: before.id, caseNo: before.case_no, source: before.source } });
      data.targetCaseId = target.id;
    }
    if (!(await caseRepo.update(trx, before.id, before.version, patch))) throw conflict();
    if (fx.handled && req.photoIds?.length) await linkPhotos(trx, req.photoIds.map(Number), 'case', before.id, 'after', actor);
    if (req.action === 'verify' && req.photoIds?.length) await linkPhotos(trx, req.photoIds.map(Number), 'case', before.id, 'evidence', actor);
    if (req.mark) data.mark = req.mark;
    if (fx.rework) data.rework = true;
    await caseRepo.insertEvent(trx, {
      caseId: before.id,
      at,
      ...actorEventFields(actor),
      action: req.action,
      from: before.status,
      to: plan.to,
      note: req.reason ?? req.note ?? req.measures ?? null,
      data: Object.keys(data).length ? data : undefined,
      deadline: patch.deadline !== undefined ? patch.deadline : before.deadline,
    });
  });
  deps.notify('cases.changed', { caseId, action: req.action });
  return caseId;
}
