// 测评体系: the tree Ⅰ 测评项目 → Ⅱ 指标 → Ⅲ 测评内容 → numbered 测评标准 (standard items), and the checks an item
// must pass before it can be saved. Pure: the server stores it, the web shows it, inspections score with it.
import { checkRule, type FieldProblem, type ScoringRule } from './rules.js';

/** 测评方法: 实地考察 field inspection, 问卷调查 questionnaire, 材料审核 document review. */
export const STANDARD_METHODS = ['field', 'questionnaire', 'document'] as const;
export type StandardMethod = (typeof STANDARD_METHODS)[number];

export const METHOD_LABELS: Record<StandardMethod, { zh: string; en: string }> = {
  field: { zh: '实地考察', en: 'Field inspection' },
  questionnaire: { zh: '问卷调查', en: 'Questionnaire' },
  document: { zh: '材料审核', en: 'Document review' },
};

/** 1 测评项目 (assessment project) · 2 指标 (indicator) · 3 测评内容 (content). Items hang under level 3. */
export type NodeLevel = 1 | 2 | 3;
export const NODE_LEVEL_LABELS: Record<NodeLevel, { zh: string; en: string; numeral: string }> = {
  1: { zh: '测评项目', en: 'Assessment project', numeral: 'Ⅰ' },
  2: { zh: '指标', en: 'Indicator', numeral: 'Ⅱ' },
  3: { zh: '测评内容', en: 'Assessment content', numeral: 'Ⅲ' },
};

/** Version life: a draft is edited, then published (immutable, the current one); publishing another retires it. */
export const VERSION_STATUSES = ['draft', 'published', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
export const VERSION_STATUS_LABELS: Record<VersionStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '现行', en: 'Current' },
  retired: { zh: '已停用', en: 'Retired' },
};

export interface StandardNode {
  level: NodeLevel;
  /** "1" · "1.2" · "1.2.3": each level adds one dotted number to its parent's code. */
  code: string;
  name: string;
  sort?: number;
}

/** One 测评标准. Its code is its 测评内容's code, a dash and its number: "3.2.1-4". */
export interface StandardItem {
  code: string;
  text: string;
  methods: StandardMethod[];
  /** Point type codes (core/places.ts) a field item is checked at; empty for questionnaire/document-only items. */
  pointTypes: string[];
  rule: ScoringRule;
  sort?: number;
  /** 小类 (4-digit problem category) a failed field item files its case under; absent/null: the default. */
  categoryCode?: string | null;
}

export const NODE_CODE_PATTERN = '^[1-9][0-9]{0,2}(\\.[1-9][0-9]{0,2}){0,2}$';
export const ITEM_CODE_PATTERN = '^[1-9][0-9]{0,2}\\.[1-9][0-9]{0,2}\\.[1-9][0-9]{0,2}-[1-9][0-9]{0,2}$';
export const MAX_ITEM_TEXT = 500;
export const MAX_NODE_NAME = 100;

/** The level a node code implies: "1" → 1, "1.2" → 2, "1.2.3" → 3; null when malformed. */
export function nodeLevelOf(code: string): NodeLevel | null {
  if (!new RegExp(NODE_CODE_PATTERN).test(code)) return null;
  return code.split('.').length as NodeLevel;
}

/** "1.2.3" → "1.2"; "1" → null. */
export function parentNodeCode(code: string): string | null {
  const i = code.lastIndexOf('.');
  return i < 0 ? null : code.slice(0, i);
}

/** "3.2.1-4" → "3.2.1"; null when malformed. */
export function itemNodeCode(code: string): string | null {
  if (!new RegExp(ITEM_CODE_PATTERN).test(code)) return null;
  return code.slice(0, code.indexOf('-'));
}

/** Natural order of dotted codes: 1.2 before 1.10, 3.2.1-4 before 3.2.1-10. */
export function compareCodes(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

export function checkNode(node: Partial<StandardNode>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const level = typeof node.code === 'string' ? nodeLevelOf(node.code) : null;
  if (!level) problems.push({ field: 'code', reason: 'must look like 1, 1.2 or 1.2.3' });
  else if (node.level !== undefined && node.level !== level) problems.push({ field: 'level', reason: `code ${node.code} is a level ${level} code` });
  if (typeof node.name !== 'string' || !node.name.trim()) problems.push({ field: 'name', reason: 'is required' });
  else if (node.name.length > MAX_NODE_NAME) problems.push({ field: 'name', reason: `at most ${MAX_NODE_NAME} characters` });
  return problems;
}

/**
 * Every problem of an item. `knownPointTypes` (when given) are the codes that exist; a field item must name at
 * least one, and only field items may name any (a questionnaire is not taken at a market).
 */
export function checkItem(item: Partial<StandardItem>, knownPointTypes?: ReadonlySet<string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof item.code !== 'string' || !itemNodeCode(item.code)) problems.push({ field: 'code', reason: 'must look like 3.2.1-4' });
  if (typeof item.text !== 'string' || !item.text.trim()) problems.push({ field: 'text', reason: 'is required' });
  else if (item.text.length > MAX_ITEM_TEXT) problems.push({ field: 'text', reason: `at most ${MAX_ITEM_TEXT} characters` });
  const methods = Array.isArray(item.methods) ? item.methods : null;
  if (!methods || !methods.length) problems.push({ field: 'methods', reason: 'needs at least one method' });
  else {
    const bad = methods.find((m) => !(STANDARD_METHODS as readonly string[]).includes(m));
    if (bad !== undefined) problems.push({ field: 'methods', reason: `unknown method ${String(bad)} (${STANDARD_METHODS.join(', ')})` });
    else if (new Set(methods).size !== methods.length) problems.push({ field: 'methods', reason: 'lists a method twice' });
  }
  const types = Array.isArray(item.pointTypes) ? item.pointTypes : null;
  if (!types) problems.push({ field: 'pointTypes', reason: 'must be a list' });
  else {
    const isField = methods?.includes('field') ?? false;
    if (isField && !types.length) problems.push({ field: 'pointTypes', reason: 'a field item needs at least one point type' });
    if (!isField && types.length) problems.push({ field: 'pointTypes', reason: 'only field (实地考察) items apply to point types' });
    if (new Set(types).size !== types.length) problems.push({ field: 'pointTypes', reason: 'lists a point type twice' });
    const unknown = knownPointTypes ? types.find((t) => !knownPointTypes.has(t)) : undefined;
    if (unknown !== undefined) problems.push({ field: 'pointTypes', reason: `unknown point type ${String(unknown)}` });
  }
  problems.push(...checkRule(item.rule));
  if (item.categoryCode !== undefined && item.categoryCode !== null && (typeof item.categoryCode !== 'string' || !/^\d{4}$/.test(item.categoryCode))) {
    problems.push({ field: 'categoryCode', reason: 'must be a 4-digit 小类 code' });
  }
  return problems;
}

/** A whole standard: nodes and items consistent with each other (what publishing and importing require). */
export function checkStandard(nodes: StandardNode[], items: StandardItem[], knownPointTypes?: ReadonlySet<string>): (FieldProblem & { code?: string })[] {
  const problems: (FieldProblem & { code?: string })[] = [];
  const byCode = new Map<string, StandardNode>();
  for (const n of nodes) {
    for (const p of checkNode(n)) problems.push({ ...p, code: n.code });
    if (byCode.has(n.code)) problems.push({ field: 'code', reason: `node ${n.code} appears twice`, code: n.code });
    byCode.set(n.code, n);
  }
  for (const n of nodes) {
    const parent = parentNodeCode(n.code);
    if (parent && !byCode.has(parent)) problems.push({ field: 'code', reason: `node ${n.code} has no parent ${parent}`, code: n.code });
  }
  const itemCodes = new Set<string>();
  for (const it of items) {
    for (const p of checkItem(it, knownPointTypes)) problems.push({ ...p, code: it.code });
    const nodeCode = typeof it.code === 'string' ? itemNodeCode(it.code) : null;
    if (nodeCode && byCode.get(nodeCode)?.level !== 3) problems.push({ field: 'code', reason: `item ${it.code} needs the 测评内容 ${nodeCode}`, code: it.code });
    if (itemCodes.has(it.code)) problems.push({ field: 'code', reason: `item ${it.code} appears twice`, code: it.code });
    itemCodes.add(it.code);
  }
  if (!items.length) problems.push({ field: 'items', reason: 'a standard needs at least one item' });
  return problems;
}

/** The items checked at a point of this type (its 实地考察 checklist), in code order. */
export function checklistFor<T extends Pick<StandardItem, 'code' | 'methods' | 'pointTypes'>>(items: T[], pointType: string): T[] {
  return items.filter((i) => i.methods.includes('field') && i.pointTypes.includes(pointType)).sort((a, b) => compareCodes(a.code, b.code));
}
