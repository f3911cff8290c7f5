// Use cases of problem categories (事件/部件 大类 and 小类): the campaign office keeps the list; everybody reads it;
// the case intake asks `findCategoryByCode` for the limit and kind of a reported problem.
import ExcelJS from 'exceljs';
import type { Insertable } from 'kysely';
import type { Actor, Deps, Executor } from '../../lib/context.js';
import type { CategoryTable } from '../../db/schema.js';
import { Problem, conflict, notFound, type Lang } from '../../errors.js';
import { assertCan } from '../../lib/scope.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../../db/database.js';
import { readSheet, RowErrors, type ColumnSpec } from '../../lib/imports.js';
import {
  CATEGORY_KIND_LABELS,
  CATEGORY_KINDS,
  CATEGORY_SEED,
  TIME_LIMIT_UNITS,
  categoryLevel,
  checkCategoryDraft,
  effectiveTimeLimit,
  formatTimeLimit,
  parentCodeOf,
  type CategoryKind,
  type FieldProblem,
  type TimeLimit,
  type TimeLimitUnit,
} from '../../../core/categories.js';
import { categoryRepo, isUniqueViolation, type CategoryListFilter, type CategoryWithParent } from './repo.js';

const limitOf = (unit: string | null, value: number | null): TimeLimit | null =>
  unit && value !== null && value !== undefined ? { unit: unit as TimeLimitUnit, value: Number(value) } : null;

export function presentCategory(row: CategoryWithParent, lang: Lang = 'zh-CN') {
  const own = limitOf(row.limit_unit, row.limit_value);
  const effective = effectiveTimeLimit(own, limitOf(row.parent_limit_unit, row.parent_limit_value));
  return {
    id: row.id,
    kind: row.kind,
    code: row.code,
    level: categoryLevel(row.code) ?? 'major',
    parentId: row.parent_id,
    parentCode: row.parent_code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    filingCondition: row.filing_condition,
    closingCondition: row.closing_condition,
    timeLimit: own,
    effectiveTimeLimit: effective,
    timeLimitText: formatTimeLimit(effective, lang),
    urgent: row.urgent === 1,
    defaultUnitType: row.default_unit_type,
    citizenReportable: row.citizen_reportable === 1,
    active: row.active === 1,
    sort: row.sort,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type CategoryView = ReturnType<typeof presentCategory>;

/** What the case intake needs of a category: its kind, its effective time limit, urgency and default unit. */
export interface CategoryForCase {
  id: number;
  code: string;
  kind: CategoryKind;
  nameZh: string;
  nameEn: string;
  parentId: number | null;
  parentCode: string | null;
  /** Its own limit, else its 大类's; null only for a 大类 without a default. */
  timeLimit: TimeLimit | null;
  urgent: boolean;
  defaultUnitType: string | null;
  citizenReportable: boolean;
  active: boolean;
}

// Case intake asks for the same few categories thousands of times a minute: keep them briefly. Writes in this
// process drop the cache at once; other servers' edits show within the TTL.
const CATEGORY_TTL_MS = 2000;
const categoryCache = new Map<string, { at: number; value: CategoryForCase | null }>();

export function forgetCategoryCache(): void {
  categoryCache.clear();
}

/** The category with this code (active or not), or null. */
export async function findCategoryByCode(db: Executor, code: string): Promise<CategoryForCase | null> {
  const hit = categoryCache.get(code);
  if (hit && Date.now() - hit.at < CATEGORY_TTL_MS) return hit.value;
  const value = await loadCategoryForCase(db, code);
  categoryCache.set(code, { at: Date.now(), value });
  return value;
}

async function loadCategoryForCase(db: Executor, code: string): Promise<CategoryForCase | null> {
  const row = await categoryRepo.byCode(db, code);
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    kind: row.kind as CategoryKind,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    parentId: row.parent_id,
    parentCode: row.parent_code,
    timeLimit: effectiveTimeLimit(limitOf(row.limit_unit, row.limit_value), limitOf(row.parent_limit_unit, row.parent_limit_value)),
    urgent: row.urgent === 1,
    defaultUnitType: row.default_unit_type,
    citizenReportable: row.citizen_reportable === 1,
    active: row.active === 1,
  };
}

export async function listCategories(deps: Deps, actor: Actor, filter: CategoryListFilter) {
  assertCan(actor.user, 'category.read');
  const rows = await categoryRepo.list(deps.db, filter);
  return { items: rows.map((r) => presentCategory(r, actor.lang)), total: rows.length };
}

export async function getCategory(deps: Deps, actor: Actor, id: number) {
  assertCan(actor.user, 'category.read');
  const row = await categoryRepo.byId(deps.db, id);
  if (!row) throw notFound(`category ${id}`);
  return presentCategory(row, actor.lang);
}

function throwFirst(problems: FieldProblem[]) {
  const p = problems[0];
  if (!p) return;
  if (p.field === 'code') throw new Problem('INVALID_CODE', { field: 'code', reason: p.reason });
  throw new Problem('VALIDATION_FAILED', { field: p.field, reason: p.reason });
}

/** The 大类 a new 小类 goes under: it must exist, be active and be of the same kind. */
async function parentFor(db: Executor, kind: CategoryKind, code: string) {
  const parentCode = parentCodeOf(code);
  if (!parentCode) return null;
  const parent = await categoryRepo.byCode(db, parentCode);
  if (!parent) throw new Problem('VALIDATION_FAILED', { field: 'code', reason: `there is no 大类 ${parentCode}; create it first` });
  if (parent.kind !== kind) throw new Problem('VALIDATION_FAILED', { field: 'kind', reason: `the 大类 ${parentCode} is a ${parent.kind}, not a ${kind}` });
  if (parent.active !== 1) throw new Problem('VALIDATION_FAILED', { field: 'code', reason: `the 大类 ${parentCode} is inactive` });
  return parent;
}

export interface CreateCategoryInput {
  kind: CategoryKind;
  code: string;
  nameZh: string;
  nameEn?: string;
  filingCondition?: string;
  closingCondition?: string;
  timeLimit?: TimeLimit | null;
  urgent?: boolean;
  defaultUnitType?: string | null;
  citizenReportable?: boolean;
  sort?: number;
}

const blankToNull = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === '' ? null : s.trim());

function rowValues(input: CreateCategoryInput, parentId: number | null, now: string): Insertable<CategoryTable> {
  return {
    kind: input.kind,
    code: input.code,
    parent_id: parentId,
    name_zh: input.nameZh.trim(),
    name_en: (input.nameEn ?? '').trim(),
    filing_condition: (input.filingCondition ?? '').trim(),
    closing_condition: (input.closingCondition ?? '').trim(),
    limit_unit: input.timeLimit?.unit ?? null,
    limit_value: input.timeLimit?.value ?? null,
    urgent: input.urgent ? 1 : 0,
    default_unit_type: blankToNull(input.defaultUnitType),
    citizen_reportable: input.citizenReportable === false ? 0 : 1,
    sort: input.sort ?? 0,
    active: 1,
    created_at: now,
    updated_at: now,
    version: 1,
  };
}

export async function createCategory(deps: Deps, actor: Actor, input: CreateCategoryInput) {
  assertCan(actor.user, 'category.write');
  throwFirst(checkCategoryDraft({ kind: input.kind, code: input.code, nameZh: input.nameZh, timeLimit: input.timeLimit ?? null, urgent: input.urgent ?? false, defaultUnitType: blankToNull(input.defaultUnitType) }));
  const row = await deps.db
    .transaction()
    .execute(async (trx) => {
      if (await categoryRepo.byCode(trx, input.code)) throw new Problem('DUPLICATE', { what: `code ${input.code}`, field: 'code' });
      const parent = await parentFor(trx, input.kind, input.code);
      const id = await categoryRepo.insert(trx, rowValues(input, parent?.id ?? null, nowIso()));
      await audit(trx, actor, { action: 'category.create', targetType: 'category', targetId: id, detail: input });
    forgetCategoryCache();
      return (await categoryRepo.byId(trx, id))!;
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new Problem('DUPLICATE', { what: `code ${input.code}`, field: 'code' });
      throw err;
    });
  deps.notify('categories.changed');
  return presentCategory(row, actor.lang);
}

export interface UpdateCategoryInput extends Partial<Omit<CreateCategoryInput, 'kind' | 'code'>> {
  version: number;
  active?: boolean;
}

export async function updateCategory(deps: Deps, actor: Actor, id: number, input: UpdateCategoryInput) {
  assertCan(actor.user, 'category.write');
  const row = await deps.db.transaction().execute(async (trx) => {
    const current = await categoryRepo.byId(trx, id);
    if (!current) throw notFound(`category ${id}`);
    if (current.version !== input.version) throw conflict();
    const merged = {
      kind: current.kind as CategoryKind,
      code: current.code,
      nameZh: input.nameZh ?? current.name_zh,
      timeLimit: input.timeLimit !== undefined ? input.timeLimit : limitOf(current.limit_unit, current.limit_value),
      urgent: input.urgent ?? current.urgent === 1,
      defaultUnitType: input.defaultUnitType !== undefined ? blankToNull(input.defaultUnitType) : current.default_unit_type,
    };
    throwFirst(checkCategoryDraft(merged));
    if (input.active === false && current.active === 1 && (await categoryRepo.countActiveChildren(trx, id)) > 0) {
      throw new Problem('IN_USE', { what: 'active 小类', field: 'active' });
    }
    if (input.active === true && current.parent_id !== null) {
      const parent = await categoryRepo.byId(trx, current.parent_id);
      if (parent?.active !== 1) throw new Problem('VALIDATION_FAILED', { field: 'active', reason: `the 大类 ${current.parent_code} is inactive` });
    }
    const patch: Record<string, unknown> = { updated_at: nowIso() };
    if (input.nameZh !== undefined) patch.name_zh = input.nameZh.trim();
    if (input.nameEn !== undefined) patch.name_en = input.nameEn.trim();
    if (input.filingCondition !== undefined) patch.filing_condition = input.filingCondition.trim();
    if (input.closingCondition !== undefined) patch.closing_condition = input.closingCondition.trim();
    if (input.timeLimit !== undefined) {
      patch.limit_unit = input.timeLimit?.unit ?? null;
      patch.limit_value = input.timeLimit?.value ?? null;
    }
    if (input.urgent !== undefined) patch.urgent = input.urgent ? 1 : 0;
    if (input.defaultUnitType !== undefined) patch.default_unit_type = merged.defaultUnitType;
    if (input.citizenReportable !== undefined) patch.citizen_reportable = input.citizenReportable ? 1 : 0;
    if (input.sort !== undefined) patch.sort = input.sort;
    if (input.active !== undefined) patch.active = input.active ? 1 : 0;
    if (!(await categoryRepo.update(trx, id, input.version, patch))) throw conflict();
    const action = input.active === false && current.active === 1 ? 'category.deactivate' : 'category.update';
    await audit(trx, actor, { action, targetType: 'category', targetId: id, detail: { code: current.code, ...input } });
    forgetCategoryCache();
    return (await categoryRepo.byId(trx, id))!;
  });
  deps.notify('categories.changed');
  return presentCategory(row, actor.lang);
}

export async function deactivateCategory(deps: Deps, actor: Actor, id: number, version: number) {
  return updateCategory(deps, actor, id, { version, active: false });
}

// ---- seed ------------------------------------------------------------------------------------------------------

/**
 * Inserts the seed categories of domain.md whose code is not in the table yet. Idempotent and safe to run on
 * every boot and from several servers at once: existing rows (the office's edits, deactivations, own codes)
 * are never touched.
 */
export async function seedCategories(db: Executor): Promise<number> {
  const existing = new Map((await categoryRepo.codes(db)).map((r) => [r.code, r]));
  const missing = CATEGORY_SEED.map((seed, index) => ({ seed, sort: (index + 1) * 10 })).filter(({ seed }) => !existing.has(seed.code));
  if (!missing.length) return 0;
  const now = nowIso();
  const toRow = ({ seed, sort }: (typeof missing)[number], parentId: number | null): Insertable<CategoryTable> => ({
    ...rowValues(
      {
        kind: seed.kind,
        code: seed.code,
        nameZh: seed.zh,
        nameEn: seed.en,
        filingCondition: seed.filing,
        closingCondition: seed.closing,
        timeLimit: seed.limit ?? null,
        urgent: seed.urgent ?? false,
        defaultUnitType: seed.defaultUnit ?? null,
        citizenReportable: seed.citizen ?? true,
        sort,
      },
      parentId,
      now,
    ),
  });
  const majors = missing.filter(({ seed }) => categoryLevel(seed.code) === 'major');
  await categoryRepo.insertMissing(db, majors.map((m) => toRow(m, null)));
  const byCode = new Map((await categoryRepo.codes(db)).map((r) => [r.code, r]));
  const minors = missing
    .filter(({ seed }) => categoryLevel(seed.code) === 'minor')
    .filter(({ seed }) => byCode.get(parentCodeOf(seed.code)!)?.kind === seed.kind); // an office 大类 of the other kind took the code
  await categoryRepo.insertMissing(db, minors.map((m) => toRow(m, byCode.get(parentCodeOf(m.seed.code)!)!.id)));
  forgetCategoryCache();
  return majors.length + minors.length;
}

// ---- spreadsheet export and import -----------------------------------------------------------------------------

export const CATEGORY_COLUMNS: ColumnSpec[] = [
  { key: 'kind', headers: ['类型', 'kind'], required: true },
  { key: 'code', headers: ['编码', 'code'], required: true },
  { key: 'nameZh', headers: ['名称', 'name'], required: true },
  { key: 'nameEn', headers: ['英文名称', 'name_en'] },
  { key: 'filingCondition', headers: ['立案条件', 'filing condition'] },
  { key: 'closingCondition', headers: ['结案条件', 'closing condition'] },
  { key: 'limitValue', headers: ['处置时限', 'time limit'] },
  { key: 'limitUnit', headers: ['时限单位', 'time limit unit'] },
  { key: 'urgent', headers: ['紧急（全天候）', '紧急', 'urgent'] },
  { key: 'defaultUnitType', headers: ['默认责任单位类型', 'default unit type'] },
  { key: 'citizenReportable', headers: ['市民可上报', 'citizen reportable'] },
  { key: 'sort', headers: ['排序', 'sort'] },
  { key: 'active', headers: ['状态', 'active'] },
];

const UNIT_TEXT: Record<TimeLimitUnit, string> = { work_hours: '工作时', work_days: '工作日', clock_hours: '小时（全天候）' };

function parseUnit(text: string): TimeLimitUnit | null {
  const t = text.trim().replace(/\s/g, '').replace(/[()]/g, (c) => (c === '(' ? '（' : '）'));
  if ((TIME_LIMIT_UNITS as readonly string[]).includes(t)) return t as TimeLimitUnit;
  if (['工作时', '工作小时', '个工作时', 'workhours'].includes(t.toLowerCase())) return 'work_hours';
  if (['工作日', '个工作日', 'workdays'].includes(t.toLowerCase())) return 'work_days';
  if (['小时（全天候）', '小时', '自然小时', '全天候', '全天候小时'].includes(t)) return 'clock_hours';
  return null;
}

function parseKind(text: string): CategoryKind | null {
  const t = text.trim();
  if ((CATEGORY_KINDS as readonly string[]).includes(t)) return t as CategoryKind;
  return CATEGORY_KINDS.find((k) => CATEGORY_KIND_LABELS[k].zh === t || CATEGORY_KIND_LABELS[k].en.toLowerCase() === t.toLowerCase()) ?? null;
}

/** 是/否, yes/no, true/false, 1/0; null when blank, undefined when unreadable. */
function parseFlag(text: string, yes = ['是', 'y', 'yes', 'true', '1', '启用', 'active'], no = ['否', 'n', 'no', 'false', '0', '停用', 'inactive']): boolean | null | undefined {
  const t = text.trim().toLowerCase();
  if (!t) return null;
  if (yes.includes(t)) return true;
  if (no.includes(t)) return false;
  return undefined;
}

export async function exportCategoriesXlsx(deps: Deps, actor: Actor, filter: CategoryListFilter): Promise<Buffer> {
  assertCan(actor.user, 'category.read');
  const rows = await categoryRepo.list(deps.db, filter);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题类别');
  ws.addRow(CATEGORY_COLUMNS.map((c) => c.headers[0]));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    ws.addRow([
      CATEGORY_KIND_LABELS[r.kind as CategoryKind]?.zh ?? r.kind,
      r.code,
      r.name_zh,
      r.name_en,
      r.filing_condition,
      r.closing_condition,
      r.limit_value ?? '',
      r.limit_unit ? UNIT_TEXT[r.limit_unit as TimeLimitUnit] ?? r.limit_unit : '',
      r.urgent ? '是' : '否',
      r.default_unit_type ?? '',
      r.citizen_reportable ? '是' : '否',
      r.sort,
      r.active ? '启用' : '停用',
    ]);
  }
  ws.getColumn(2).numFmt = '@';
  [8, 8, 18, 26, 40, 40, 10, 14, 12, 22, 12, 8, 8].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface ImportRow {
  row: number;
  input: CreateCategoryInput;
  active: boolean | null;
}

/**
 * Imports categories from a sheet laid out like the export. A row whose code exists updates that category; a new
 * code creates one (its 大类 may come earlier in the same sheet). Every row is checked first; one bad row imports
 * nothing.
 */
export async function importCategories(deps: Deps, actor: Actor, buffer: Buffer) {
  assertCan(actor.user, 'category.write');
  const rows = await readSheet(buffer, CATEGORY_COLUMNS);
  const errors = new RowErrors();
  const existing = new Map((await categoryRepo.list(deps.db)).map((r) => [r.code, r]));
  const pending: ImportRow[] = [];
  const inSheet = new Map<string, ImportRow>();
  const header = (key: string) => CATEGORY_COLUMNS.find((c) => c.key === key)!.headers[0];
  for (const r of rows) {
    const v = r.values;
    const kindText = errors.requireValue(r, 'kind', header('kind'));
    const code = errors.requireValue(r, 'code', header('code'))?.replace(/\s/g, '') ?? null;
    const nameZh = errors.requireValue(r, 'nameZh', header('nameZh'));
    const kind = kindText ? parseKind(kindText) : null;
    if (kindText && !kind) errors.add(r.row, header('kind'), `未知类型 / unknown kind "${kindText}" (事件/部件)`);
    if (nameZh && nameZh.length > 50) errors.add(r.row, header('nameZh'), '超过 50 字 / longer than 50 characters');
    for (const key of ['filingCondition', 'closingCondition'] as const) {
      if (v[key].length > 500) errors.add(r.row, header(key), '超过 500 字 / longer than 500 characters');
    }
    if (v.nameEn.length > 100) errors.add(r.row, header('nameEn'), '超过 100 字 / longer than 100 characters');
    let timeLimit: TimeLimit | null = null;
    if (v.limitValue || v.limitUnit) {
      const value = Number(v.limitValue);
      const unit = parseUnit(v.limitUnit);
      if (!v.limitValue || !Number.isFinite(value)) errors.add(r.row, header('limitValue'), '应为数字 / must be a number');
      if (!unit) errors.add(r.row, header('limitUnit'), `未知单位 / unknown unit "${v.limitUnit}" (工作时/工作日/小时（全天候）)`);
      if (unit && Number.isFinite(value) && v.limitValue) timeLimit = { unit, value };
    }
    const urgent = parseFlag(v.urgent);
    if (urgent === undefined) errors.add(r.row, header('urgent'), '应为 是/否 / must be yes or no');
    const citizen = parseFlag(v.citizenReportable);
    if (citizen === undefined) errors.add(r.row, header('citizenReportable'), '应为 是/否 / must be yes or no');
    const active = parseFlag(v.active);
    if (active === undefined) errors.add(r.row, header('active'), '应为 启用/停用 / must be active or inactive');
    const sort = v.sort ? Number(v.sort) : undefined;
    if (sort !== undefined && (!Number.isInteger(sort) || sort < 0 || sort > 100000)) errors.add(r.row, header('sort'), '应为 0–100000 的整数 / must be a whole number 0–100000');
    if (!kind || !code || !nameZh) continue;
    const input: CreateCategoryInput = {
      kind,
      code,
      nameZh,
      nameEn: v.nameEn,
      filingCondition: v.filingCondition,
      closingCondition: v.closingCondition,
      timeLimit,
      urgent: urgent ?? false,
      defaultUnitType: blankToNull(v.defaultUnitType),
      citizenReportable: citizen ?? true,
      sort,
    };
    for (const p of checkCategoryDraft({ kind, code, nameZh, timeLimit, urgent: urgent ?? false, defaultUnitType: input.defaultUnitType ?? null })) {
      const column = p.field.startsWith('timeLimit') ? header(p.field === 'timeLimit.unit' ? 'limitUnit' : 'limitValue') : header(p.field);
      errors.add(r.row, column, p.reason);
    }
    if (inSheet.has(code)) errors.add(r.row, header('code'), `编码在表中重复 / code repeated in the sheet: ${code}`);
    const current = existing.get(code);
    if (current && current.kind !== kind) errors.add(r.row, header('kind'), `编码 ${code} 已是${CATEGORY_KIND_LABELS[current.kind as CategoryKind]?.zh ?? current.kind} / code ${code} is already a ${current.kind}`);
    const parentCode = parentCodeOf(code);
    if (parentCode) {
      const parentKind = inSheet.get(parentCode)?.input.kind ?? existing.get(parentCode)?.kind;
      if (!parentKind) errors.add(r.row, header('code'), `找不到大类 / no 大类 ${parentCode}`);
      else if (parentKind !== kind) errors.add(r.row, header('kind'), `大类 ${parentCode} 的类型不同 / the 大类 ${parentCode} is a ${parentKind}`);
    }
    const item: ImportRow = { row: r.row, input, active: active ?? null };
    inSheet.set(code, item);
    pending.push(item);
  }
  if (!rows.length) errors.add(2, header('code'), '表格没有数据行 / the sheet has no data rows');
  // After the import no active 小类 may sit under an inactive 大类.
  const finalActive = new Map<string, boolean>([...existing.values()].map((c) => [c.code, c.active === 1]));
  for (const p of pending) finalActive.set(p.input.code, p.active ?? existing.get(p.input.code)?.active !== 0);
  for (const p of pending) {
    const parentCode = parentCodeOf(p.input.code);
    if (parentCode && finalActive.get(p.input.code) && finalActive.get(parentCode) === false) {
      errors.add(p.row, header('active'), `大类 ${parentCode} 已停用 / the 大类 ${parentCode} is inactive`);
    }
    if (!parentCode && !finalActive.get(p.input.code)) {
      const activeChild = [...finalActive.entries()].find(([code, on]) => on && parentCodeOf(code) === p.input.code);
      if (activeChild) errors.add(p.row, header('active'), `小类 ${activeChild[0]} 仍在启用 / the 小类 ${activeChild[0]} is still active`);
    }
  }
  errors.throwIfAny();

  // 大类 first, so the 小类 of the same sheet find their parent.
  pending.sort((a, b) => a.input.code.length - b.input.code.length || a.row - b.row);
  const result = await deps.db.transaction().execute(async (trx) => {
    let created = 0;
    let updated = 0;
    const now = nowIso();
    for (const p of pending) {
      const current = await categoryRepo.byCode(trx, p.input.code);
      if (!current) {
        const parentCode = parentCodeOf(p.input.code);
        const parent = parentCode ? await categoryRepo.byCode(trx, parentCode) : null;
        await categoryRepo.insert(trx, { ...rowValues(p.input, parent?.id ?? null, now), active: p.active === false ? 0 : 1 });
        created++;
      } else {
        const patch = rowValues(p.input, current.parent_id, now);
        delete (patch as Partial<typeof patch>).created_at;
        delete (patch as Partial<typeof patch>).version;
        if (p.input.sort === undefined) delete (patch as Partial<typeof patch>).sort;
        patch.active = p.active === null ? current.active : p.active ? 1 : 0;
        if (!(await categoryRepo.update(trx, current.id, current.version, patch as Record<string, unknown>))) throw conflict();
        updated++;
      }
    }
    await audit(trx, actor, { action: 'category.import', targetType: 'category', detail: { created, updated } });
    forgetCategoryCache();
    return { imported: created + updated, created, updated };
  });
  deps.notify('categories.changed');
  return result;
}
