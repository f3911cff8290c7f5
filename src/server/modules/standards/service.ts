// Use cases of the 测评体系 (assessment standard). Everybody reads; the 创城办 edits drafts and publishes them.
// A published version never changes again: editing starts a new draft copied from it, and an inspection keeps the
// id of the version it was scored with (part 2+ of issue 4 read `getChecklist` with that id).
import type { Insertable } from 'kysely';
import type { Actor, Deps, Executor } from '../../lib/context.js';
import type { StandardItemRow, StandardItemTable, StandardNodeRow, StandardVersionRow } from '../../db/schema.js';
import { Problem, conflict, notFound, type Lang } from '../../errors.js';
import { assertCan } from '../../lib/scope.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../../db/database.js';
import {
  SEED_STANDARD_CODE,
  SEED_STANDARD_TITLE,
  STANDARD_SEED_ITEMS,
  STANDARD_SEED_NODES,
  checkItem,
  checkNode,
  checkStandard,
  checklistFor,
  compareCodes,
  describeRule,
  parentNodeCode,
  parseRule,
  type FieldProblem,
  type NodeLevel,
  type ScoringRule,
  type StandardItem,
  type StandardMethod,
  type StandardNode,
  type VersionStatus,
} from '../../../core/standards/index.js';
import { standardRepo } from './repo.js';
import { categoryForItemText } from '../../../core/inspections/categories.js';
import { isUniqueViolation } from '../categories/repo.js';

export const DEFAULT_STANDARD_CODE = SEED_STANDARD_CODE;

// ---- presenters ------------------------------------------------------------------------------------------------

export function presentVersion(row: StandardVersionRow & { item_count?: number }) {
  return {
    id: row.id,
    standardCode: row.standard_code,
    versionNo: row.version_no,
    title: row.title,
    note: row.note,
    status: row.status as VersionStatus,
    basedOnId: row.based_on_id,
    publishedAt: row.published_at,
    itemCount: row.item_count ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}
export type VersionView = ReturnType<typeof presentVersion>;

export function presentNode(row: StandardNodeRow) {
  return { id: row.id, parentId: row.parent_id, level: row.level as NodeLevel, code: row.code, name: row.name, sort: row.sort, version: row.version };
}
export type NodeView = ReturnType<typeof presentNode>;

/** The stored item as the core type (JSON columns parsed). */
export function itemOf(row: StandardItemRow): StandardItem {
  return {
    code: row.code,
    text: row.text,
    methods: JSON.parse(row.methods) as StandardMethod[],
    pointTypes: JSON.parse(row.point_types) as string[],
    rule: JSON.parse(row.rule) as ScoringRule,
    sort: row.sort,
    categoryCode: row.category_code ?? null,
  };
}

export function presentItem(row: StandardItemRow, lang: Lang = 'zh-CN') {
  const item = itemOf(row);
  return {
    id: row.id,
    versionId: row.version_id,
    nodeId: row.node_id,
    code: item.code,
    number: Number(item.code.slice(item.code.indexOf('-') + 1)),
    text: item.text,
    methods: item.methods,
    pointTypes: item.pointTypes,
    points: item.rule.points,
    rule: item.rule,
    ruleText: describeRule(item.rule, lang),
    categoryCode: item.categoryCode ?? null,
    sort: row.sort,
    version: row.version,
  };
}
export type ItemView = ReturnType<typeof presentItem>;

const byCode = <T extends { code: string }>(a: T, b: T) => compareCodes(a.code, b.code);

// ---- reads -----------------------------------------------------------------------------------------------------

export async function listVersions(deps: Deps, actor: Actor, standardCode?: string) {
  assertCan(actor.user, 'standard.read');
  const rows = await standardRepo.listVersions(deps.db, standardCode);
  return { items: rows.map(presentVersion), total: rows.length };
}

async function versionOr404(db: Executor, id: number) {
  const row = await standardRepo.versionById(db, id);
  if (!row) throw notFound(`standard version ${id}`);
  return row;
}

async function currentOr404(db: Executor, standardCode: string) {
  const row = await standardRepo.current(db, standardCode);
  if (!row) throw notFound(`published standard ${standardCode}`);
  return row;
}

async function treeOf(db: Executor, row: StandardVersionRow, lang: Lang) {
  const [nodes, items] = await Promise.all([standardRepo.nodes(db, row.id), standardRepo.items(db, row.id)]);
  return {
    version: presentVersion({ ...row, item_count: items.length }),
    nodes: nodes.map(presentNode).sort(byCode),
    items: items.map((i) => presentItem(i, lang)).sort(byCode),
  };
}

/** A version with its whole tree: nodes and items in code order (build the tree from parentId / nodeId). */
export async function getVersionTree(deps: Deps, actor: Actor, id: number) {
  assertCan(actor.user, 'standard.read');
  return treeOf(deps.db, await versionOr404(deps.db, id), actor.lang);
}

export async function getCurrentTree(deps: Deps, actor: Actor, standardCode = DEFAULT_STANDARD_CODE) {
  assertCan(actor.user, 'standard.read');
  return treeOf(deps.db, await currentOr404(deps.db, standardCode), actor.lang);
}

/**
 * The 实地考察 checklist of one point type in a version (the current one when `versionId` is absent): the items an
 * inspector scores at such a point, each with the names of its Ⅰ/Ⅱ/Ⅲ ancestors, and the points possible.
 */
export async function getChecklist(deps: Deps, actor: Actor, input: { pointType: string; versionId?: number; standardCode?: string }) {
  assertCan(actor.user, 'standard.read');
  const types = await standardRepo.pointTypes(deps.db);
  const type = types.find((t) => t.code === input.pointType);
  if (!type) throw new Problem('VALIDATION_FAILED', { field: 'pointType', reason: `unknown point type ${input.pointType}` });
  const row = input.versionId ? await versionOr404(deps.db, input.versionId) : await currentOr404(deps.db, input.standardCode ?? DEFAULT_STANDARD_CODE);
  const [nodes, items] = await Promise.all([standardRepo.nodes(deps.db, row.id), standardRepo.items(deps.db, row.id)]);
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const list = checklistFor(items.map((i) => ({ ...presentItem(i, actor.lang) })), input.pointType).map((item) => {
    const content = nodeById.get(item.nodeId);
    const indicator = content?.parent_id ? nodeById.get(content.parent_id) : undefined;
    const project = indicator?.parent_id ? nodeById.get(indicator.parent_id) : undefined;
    return { ...item, path: { project: project?.name ?? '', indicator: indicator?.name ?? '', content: content?.name ?? '' } };
  });
  const possible = list.reduce((s, i) => s + Math.round(i.points * 10000), 0) / 10000;
  return { version: presentVersion({ ...row, item_count: items.length }), pointType: { code: type.code, nameZh: type.name_zh, nameEn: type.name_en }, items: list, possible };
}

// ---- writing whole trees (copy, import, seed) --------------------------------------------------------------------

/** Inserts nodes (parents before children) and items into an empty version. Inputs must be valid (checkStandard). */
async function writeTree(db: Executor, versionId: number, nodes: StandardNode[], items: StandardItem[]): Promise<void> {
  const ids = new Map<string, number>();
  const ordered = [...nodes].sort((a, b) => a.level - b.level || compareCodes(a.code, b.code));
  for (const [index, n] of ordered.entries()) {
    const parent = parentNodeCode(n.code);
    const id = await standardRepo.insertNode(db, {
      version_id: versionId,
      parent_id: parent ? ids.get(parent)! : null,
      level: n.level,
      code: n.code,
      name: n.name.trim(),
      sort: n.sort ?? (index + 1) * 10,
      version: 1,
    });
    ids.set(n.code, id);
  }
  await standardRepo.insertItems(
    db,
    items.map((it, index) => itemValues(versionId, ids.get(it.code.slice(0, it.code.indexOf('-')))!, { ...it, sort: it.sort ?? (index + 1) * 10 })),
  );
}

function itemValues(versionId: number, nodeId: number, it: StandardItem): Insertable<StandardItemTable> {
  return {
    version_id: versionId,
    node_id: nodeId,
    code: it.code,
    text: it.text.trim(),
    methods: JSON.stringify(it.methods),
    point_types: JSON.stringify(it.pointTypes),
    points: it.rule.points,
    rule: JSON.stringify(it.rule),
    category_code: it.categoryCode ?? null,
    sort: it.sort ?? 0,
    version: 1,
  };
}

async function knownPointTypes(db: Executor): Promise<Set<string>> {
  return new Set((await standardRepo.pointTypes(db)).map((t) => t.code));
}

/** Creates a draft holding the given tree (the next version number of the standard). */
async function insertDraft(
  trx: Executor,
  actor: Actor | null,
  init: { standardCode: string; title: string; note?: string | null; basedOnId?: number | null; status?: VersionStatus },
  nodes: StandardNode[],
  items: StandardItem[],
): Promise<number> {
  const now = nowIso();
  const status = init.status ?? 'draft';
  const id = await standardRepo.insertVersion(trx, {
    standard_code: init.standardCode,
    version_no: await standardRepo.nextVersionNo(trx, init.standardCode),
    title: init.title.trim(),
    note: init.note ?? null,
    status,
    based_on_id: init.basedOnId ?? null,
    published_at: status === 'published' ? now : null,
    published_by: status === 'published' ? actor?.user.id ?? null : null,
    created_by: actor?.user.id ?? null,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  await writeTree(trx, id, nodes, items);
  return id;
}

const duplicateVersion = (err: unknown) => {
  // Two people creating a version of the same standard at once race for the same number.
  if (isUniqueViolation(err)) throw conflict();
  throw err;
};

// ---- versions ----------------------------------------------------------------------------------------------------

export interface CreateDraftInput {
  /** Copy this version (any status); absent: the current published version of `standardCode`, else an empty draft. */
  fromVersionId?: number;
  standardCode?: string;
  title?: string;
  note?: string | null;
}

export async function createDraft(deps: Deps, actor: Actor, input: CreateDraftInput) {
  assertCan(actor.user, 'standard.write');
  const id = await deps.db
    .transaction()
    .execute(async (trx) => {
      const source = input.fromVersionId
        ? await versionOr404(trx, input.fromVersionId)
        : await standardRepo.current(trx, input.standardCode ?? DEFAULT_STANDARD_CODE);
      const standardCode = source?.standard_code ?? input.standardCode ?? DEFAULT_STANDARD_CODE;
      const [nodes, items] = source ? await Promise.all([standardRepo.nodes(trx, source.id), standardRepo.items(trx, source.id)]) : [[], []];
      const title = input.title?.trim() || source?.title || SEED_STANDARD_TITLE;
      const id = await insertDraft(
        trx,
        actor,
        { standardCode, title, note: input.note ?? null, basedOnId: source?.id ?? null },
        nodes.map((n) => ({ level: n.level as NodeLevel, code: n.code, name: n.name, sort: n.sort })),
        items.map(itemOf),
      );
      await audit(trx, actor, { action: 'standard.draft', targetType: 'standard_version', targetId: id, detail: { standardCode, fromVersionId: source?.id ?? null } });
      return id;
    })
    .catch(duplicateVersion);
  deps.notify('standards.changed');
  return getVersionTree(deps, actor, id);
}

function assertDraft(row: StandardVersionRow) {
  if (row.status !== 'draft') {
    throw new Problem('ILLEGAL_TRANSITION', {}, { reason: `version ${row.version_no} is ${row.status}; a published version never changes: create a draft from it` });
  }
}

export async function updateDraftVersion(deps: Deps, actor: Actor, id: number, input: { version: number; title?: string; note?: string | null }) {
  assertCan(actor.user, 'standard.write');
  await deps.db.transaction().execute(async (trx) => {
    const row = await versionOr404(trx, id);
    assertDraft(row);
    if (row.version !== input.version) throw conflict();
    const patch: Partial<StandardVersionRow> = { updated_at: nowIso() };
    if (input.title !== undefined) patch.title = input.title.trim();
    if (input.note !== undefined) patch.note = input.note;
    if (!(await standardRepo.updateVersion(trx, id, input.version, patch))) throw conflict();
    await audit(trx, actor, { action: 'standard.update', targetType: 'standard_version', targetId: id, detail: input });
  });
  deps.notify('standards.changed');
  return presentVersion((await standardRepo.versionById(deps.db, id))!);
}

export async function deleteDraft(deps: Deps, actor: Actor, id: number, version: number) {
  assertCan(actor.user, 'standard.write');
  await deps.db.transaction().execute(async (trx) => {
    const row = await versionOr404(trx, id);
    assertDraft(row);
    if (row.version !== version) throw conflict();
    await standardRepo.deleteVersion(trx, id);
    await audit(trx, actor, { action: 'standard.discard', targetType: 'standard_version', targetId: id, detail: { versionNo: row.version_no } });
  });
  deps.notify('standards.changed');
  return { deleted: true };
}

/** Problems of a whole version as `{field, reason}`, the field naming the node or item code. */
function standardProblems(nodes: StandardNode[], items: StandardItem[], known: Set<string>): FieldProblem[] {
  return checkStandard(nodes, items, known).map((p) => ({ field: p.code ? `${p.code}.${p.field}` : p.field, reason: p.reason }));
}

/** Publishes a draft: it becomes the current version and the previous current one is retired. */
export async function publishVersion(deps: Deps, actor: Actor, id: number, version: number) {
  assertCan(actor.user, 'standard.write');
  await deps.db.transaction().execute(async (trx) => {
    const row = await versionOr404(trx, id);
    assertDraft(row);
    if (row.version !== version) throw conflict();
    const [nodes, items] = await Promise.all([standardRepo.nodes(trx, id), standardRepo.items(trx, id)]);
    const problems = standardProblems(
      nodes.map((n) => ({ level: n.level as NodeLevel, code: n.code, name: n.name })),
      items.map(itemOf),
      await knownPointTypes(trx),
    );
    if (problems.length) throw new Problem('VALIDATION_FAILED', { field: problems[0]!.field, reason: problems[0]!.reason }, { problems: problems.slice(0, 100) });
    const now = nowIso();
    await standardRepo.retireCurrent(trx, row.standard_code, now);
    if (!(await standardRepo.updateVersion(trx, id, version, { status: 'published', published_at: now, published_by: actor.user.id, updated_at: now }))) throw conflict();
    await audit(trx, actor, { action: 'standard.publish', targetType: 'standard_version', targetId: id, detail: { standardCode: row.standard_code, versionNo: row.version_no } });
  }).catch(duplicateVersion);
  deps.notify('standards.changed');
  return presentVersion((await standardRepo.versionById(deps.db, id))!);
}

// ---- nodes -------------------------------------------------------------------------------------------------------

function throwFirst(problems: FieldProblem[]) {
  const p = problems[0];
  if (p) throw new Problem('VALIDATION_FAILED', { field: p.field, reason: p.reason });
}

/** The next free number under a parent: "1.2" with children 1.2.1, 1.2.3 → 4. */
const nextNumber = (codes: string[]) => codes.reduce((max, c) => Math.max(max, Number(c.split(/[.-]/).pop())), 0) + 1;

async function draftForEdit(trx: Executor, versionId: number) {
  const row = await versionOr404(trx, versionId);
  assertDraft(row);
  return row;
}

export interface CreateNodeInput {
  parentId?: number | null;
  /** Its number under the parent (1.2.<number>); next free when absent. */
  number?: number;
  name: string;
  sort?: number;
}

export async function createNode(deps: Deps, actor: Actor, versionId: number, input: CreateNodeInput) {
  assertCan(actor.user, 'standard.write');
  const node = await deps.db
    .transaction()
    .execute(async (trx) => {
      await draftForEdit(trx, versionId);
      const parent = input.parentId ? await standardRepo.nodeById(trx, input.parentId) : null;
      if (input.parentId && (!parent || parent.version_id !== versionId)) throw new Problem('VALIDATION_FAILED', { field: 'parentId', reason: 'no such node in this version' });
      if (parent && parent.level >= 3) throw new Problem('VALIDATION_FAILED', { field: 'parentId', reason: 'a 测评内容 (level 3) holds items, not nodes' });
      const siblings = await standardRepo.childCodes(trx, versionId, parent?.id ?? null);
      const number = input.number ?? nextNumber(siblings);
      const code = parent ? `${parent.code}.${number}` : String(number);
      const level = ((parent?.level ?? 0) + 1) as NodeLevel;
      throwFirst(checkNode({ level, code, name: input.name }));
      if (siblings.includes(code)) throw new Problem('DUPLICATE', { what: `node ${code}`, field: 'number' });
      const id = await standardRepo.insertNode(trx, { version_id: versionId, parent_id: parent?.id ?? null, level, code, name: input.name.trim(), sort: input.sort ?? number * 10, version: 1 });
      await standardRepo.touchVersion(trx, versionId, nowIso());
      await audit(trx, actor, { action: 'standard.node.create', targetType: 'standard_node', targetId: id, detail: { versionId, code, name: input.name } });
      return (await standardRepo.nodeById(trx, id))!;
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new Problem('DUPLICATE', { what: 'node code', field: 'number' });
      throw err;
    });
  deps.notify('standards.changed');
  return presentNode(node);
}

export async function updateNode(deps: Deps, actor: Actor, id: number, input: { version: number; name?: string; sort?: number }) {
  assertCan(actor.user, 'standard.write');
  const node = await deps.db.transaction().execute(async (trx) => {
    const current = await standardRepo.nodeById(trx, id);
    if (!current) throw notFound(`standard node ${id}`);
    await draftForEdit(trx, current.version_id);
    if (current.version !== input.version) throw conflict();
    if (input.name !== undefined) throwFirst(checkNode({ code: current.code, name: input.name }));
    const patch: Partial<Pick<StandardNodeRow, 'name' | 'sort'>> = {};
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.sort !== undefined) patch.sort = input.sort;
    if (!(await standardRepo.updateNode(trx, id, input.version, patch))) throw conflict();
    await standardRepo.touchVersion(trx, current.version_id, nowIso());
    await audit(trx, actor, { action: 'standard.node.update', targetType: 'standard_node', targetId: id, detail: { code: current.code, ...input } });
    return (await standardRepo.nodeById(trx, id))!;
  });
  deps.notify('standards.changed');
  return presentNode(node);
}

export async function deleteNode(deps: Deps, actor: Actor, id: number, version: number) {
  assertCan(actor.user, 'standard.write');
  await deps.db.transaction().execute(async (trx) => {
    const current = await standardRepo.nodeById(trx, id);
    if (!current) throw notFound(`standard node ${id}`);
    await draftForEdit(trx, current.version_id);
    if (current.version !== version) throw conflict();
    if ((await standardRepo.countUnder(trx, id)) > 0) throw new Problem('IN_USE', { what: `node ${current.code} still has nodes or items`, field: 'id' });
    if (!(await standardRepo.deleteNode(trx, id, version))) throw conflict();
    await standardRepo.touchVersion(trx, current.version_id, nowIso());
    await audit(trx, actor, { action: 'standard.node.delete', targetType: 'standard_node', targetId: id, detail: { code: current.code } });
  });
  deps.notify('standards.changed');
  return { deleted: true };
}

// ---- items -------------------------------------------------------------------------------------------------------

export interface ItemInput {
  text: string;
  methods: StandardMethod[];
  pointTypes: string[];
  rule: unknown;
  sort?: number;
  /** 小类 a failed item files its case under; null: the default inspection category. */
  categoryCode?: string | null;
}

/** A category an item may file under: an active 小类. */
async function checkItemCategory(db: Executor, code: string | null | undefined): Promise<void> {
  if (code === undefined || code === null) return;
  const row = await db.selectFrom('categories').select(['code', 'active']).where('code', '=', code).executeTakeFirst();
  if (!row || row.active !== 1 || code.length !== 4) throw new Problem('VALIDATION_FAILED', { field: 'categoryCode', reason: `${code} is not an active 小类` });
}

/** The rule reduced to its kind's fields, or a 400 naming the rule field. */
function ruleOr400(rule: unknown): ScoringRule {
  const parsed = parseRule(rule);
  if (!parsed.rule) throwFirst(parsed.problems);
  return parsed.rule!;
}

export async function createItem(deps: Deps, actor: Actor, versionId: number, input: ItemInput & { nodeId: number; number?: number }) {
  assertCan(actor.user, 'standard.write');
  const row = await deps.db
    .transaction()
    .execute(async (trx) => {
      await draftForEdit(trx, versionId);
      const node = await standardRepo.nodeById(trx, input.nodeId);
      if (!node || node.version_id !== versionId) throw new Problem('VALIDATION_FAILED', { field: 'nodeId', reason: 'no such node in this version' });
      if (node.level !== 3) throw new Problem('VALIDATION_FAILED', { field: 'nodeId', reason: 'items go under a 测评内容 (level 3)' });
      const existing = await standardRepo.itemCodes(trx, node.id);
      const code = `${node.code}-${input.number ?? nextNumber(existing)}`;
      const rule = ruleOr400(input.rule);
      const item: StandardItem = { code, text: input.text, methods: input.methods, pointTypes: input.pointTypes, rule, sort: input.sort, categoryCode: input.categoryCode ?? null };
      throwFirst(checkItem(item, await knownPointTypes(trx)));
      await checkItemCategory(trx, item.categoryCode);
      if (existing.includes(code)) throw new Problem('DUPLICATE', { what: `item ${code}`, field: 'number' });
      const id = await standardRepo.insertItem(trx, itemValues(versionId, node.id, { ...item, sort: input.sort ?? (existing.length + 1) * 10 }));
      await standardRepo.touchVersion(trx, versionId, nowIso());
      await audit(trx, actor, { action: 'standard.item.create', targetType: 'standard_item', targetId: id, detail: { versionId, ...item } });
      return (await standardRepo.itemById(trx, id))!;
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new Problem('DUPLICATE', { what: 'item code', field: 'number' });
      throw err;
    });
  deps.notify('standards.changed');
  return presentItem(row, actor.lang);
}

export async function updateItem(deps: Deps, actor: Actor, id: number, input: Partial<ItemInput> & { version: number }) {
  assertCan(actor.user, 'standard.write');
  const row = await deps.db.transaction().execute(async (trx) => {
    const current = await standardRepo.itemById(trx, id);
    if (!current) throw notFound(`standard item ${id}`);
    await draftForEdit(trx, current.version_id);
    if (current.version !== input.version) throw conflict();
    const was = itemOf(current);
    const merged: StandardItem = {
      code: was.code,
      text: input.text ?? was.text,
      methods: input.methods ?? was.methods,
      pointTypes: input.pointTypes ?? was.pointTypes,
      rule: input.rule !== undefined ? ruleOr400(input.rule) : was.rule,
      sort: input.sort ?? was.sort,
      categoryCode: input.categoryCode !== undefined ? input.categoryCode : was.categoryCode,
    };
    throwFirst(checkItem(merged, await knownPointTypes(trx)));
    if (input.categoryCode !== undefined) await checkItemCategory(trx, merged.categoryCode);
    const values = itemValues(current.version_id, current.node_id, merged);
    const patch = { text: values.text, methods: values.methods, point_types: values.point_types, points: values.points, rule: values.rule, sort: values.sort, category_code: values.category_code ?? null };
    if (!(await standardRepo.updateItem(trx, id, input.version, patch))) throw conflict();
    await standardRepo.touchVersion(trx, current.version_id, nowIso());
    await audit(trx, actor, { action: 'standard.item.update', targetType: 'standard_item', targetId: id, detail: { code: was.code, ...input } });
    return (await standardRepo.itemById(trx, id))!;
  });
  deps.notify('standards.changed');
  return presentItem(row, actor.lang);
}

export async function deleteItem(deps: Deps, actor: Actor, id: number, version: number) {
  assertCan(actor.user, 'standard.write');
  await deps.db.transaction().execute(async (trx) => {
    const current = await standardRepo.itemById(trx, id);
    if (!current) throw notFound(`standard item ${id}`);
    await draftForEdit(trx, current.version_id);
    if (current.version !== version) throw conflict();
    if (!(await standardRepo.deleteItem(trx, id, version))) throw conflict();
    await standardRepo.touchVersion(trx, current.version_id, nowIso());
    await audit(trx, actor, { action: 'standard.item.delete', targetType: 'standard_item', targetId: id, detail: { code: current.code } });
  });
  deps.notify('standards.changed');
  return { deleted: true };
}

// ---- export and import (formats in exchange.ts) ------------------------------------------------------------------

export async function loadStandardForExport(deps: Deps, actor: Actor, id: number) {
  assertCan(actor.user, 'standard.read');
  const row = await versionOr404(deps.db, id);
  const [nodes, items, types] = await Promise.all([standardRepo.nodes(deps.db, id), standardRepo.items(deps.db, id), standardRepo.pointTypes(deps.db)]);
  return {
    version: row,
    nodes: nodes.map((n) => ({ level: n.level as NodeLevel, code: n.code, name: n.name, sort: n.sort })).sort(byCode),
    items: items.map(itemOf).sort(byCode),
    pointTypes: types,
  };
}

/** Writes an imported standard (already checked row by row) as a new draft, all or nothing. */
export async function saveImportedDraft(
  deps: Deps,
  actor: Actor,
  init: { standardCode: string; title: string; note?: string | null; source: string },
  nodes: StandardNode[],
  items: StandardItem[],
) {
  assertCan(actor.user, 'standard.write');
  const id = await deps.db
    .transaction()
    .execute(async (trx) => {
      const id = await insertDraft(trx, actor, init, nodes, items);
      await audit(trx, actor, { action: 'standard.import', targetType: 'standard_version', targetId: id, detail: { source: init.source, nodes: nodes.length, items: items.length } });
      return id;
    })
    .catch(duplicateVersion);
  deps.notify('standards.changed');
  return { ...presentVersion({ ...(await standardRepo.versionById(deps.db, id))!, item_count: items.length }), nodeCount: nodes.length };
}

export { knownPointTypes };

// ---- seed --------------------------------------------------------------------------------------------------------

/** The seed items, each field item with the case category the keyword table gives its text. */
function seedItemsWithCategories(): StandardItem[] {
  return STANDARD_SEED_ITEMS.map((it) => ({ ...it, categoryCode: it.categoryCode ?? (it.methods.includes('field') ? categoryForItemText(it.text) : null) }));
}

/**
 * Loads the seed standard as published v1 when the installation has no version of it yet. Idempotent, and safe from
 * several servers at once (the loser of the race hits the unique version number and leaves the winner's copy).
 */
export async function seedStandard(db: Executor): Promise<boolean> {
  if ((await standardRepo.listVersions(db, SEED_STANDARD_CODE)).length) return false;
  const problems = checkStandard(STANDARD_SEED_NODES, STANDARD_SEED_ITEMS, await knownPointTypes(db));
  if (problems.length) throw new Error(`seed standard is invalid: ${JSON.stringify(problems.slice(0, 3))}`);
  try {
    const write = async (trx: Executor) =>
      insertDraft(trx, null, { standardCode: SEED_STANDARD_CODE, title: SEED_STANDARD_TITLE, note: '种子数据：据 domain.md 各点位类型实地考察清单整理', status: 'published' }, STANDARD_SEED_NODES, seedItemsWithCategories());
    if ('isTransaction' in db && db.isTransaction) await write(db);
    else await (db as Exclude<Executor, { isTransaction: true }>).transaction().execute(write);
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
