// Import and export formats of a standard version (docs/standards.md): a JSON document that round-trips exactly,
// and an .xlsx with one row per 测评标准 that a 创城办 can fill in by hand. Both import into a new draft, all or
// nothing: every row is checked first and one bad row writes nothing.
import ExcelJS from 'exceljs';
import type { Actor, Deps } from '../../lib/context.js';
import { Problem } from '../../errors.js';
import { assertCan } from '../../lib/scope.js';
import { readSheet, RowErrors, type ColumnSpec } from '../../lib/imports.js';
import {
  METHOD_LABELS,
  NODE_LEVEL_LABELS,
  RULE_KINDS,
  RULE_KIND_LABELS,
  STANDARD_METHODS,
  checkItem,
  checkNode,
  checkStandard,
  compareCodes,
  describeRule,
  itemNodeCode,
  parentNodeCode,
  parseRule,
  type NodeLevel,
  type RuleKind,
  type StandardItem,
  type StandardMethod,
  type StandardNode,
} from '../../../core/standards/index.js';
import { DEFAULT_STANDARD_CODE, knownPointTypes, loadStandardForExport, saveImportedDraft } from './service.js';
import { standardRepo } from './repo.js';

export const STANDARD_JSON_FORMAT = 'wenming-standard';
export const STANDARD_JSON_FORMAT_VERSION = 1;

export interface StandardDocument {
  format: typeof STANDARD_JSON_FORMAT;
  formatVersion: number;
  standardCode: string;
  title: string;
  note: string | null;
  versionNo?: number;
  status?: string;
  nodes: StandardNode[];
  items: StandardItem[];
}

export async function exportStandardJson(deps: Deps, actor: Actor, versionId: number): Promise<StandardDocument> {
  const s = await loadStandardForExport(deps, actor, versionId);
  return {
    format: STANDARD_JSON_FORMAT,
    formatVersion: STANDARD_JSON_FORMAT_VERSION,
    standardCode: s.version.standard_code,
    title: s.version.title,
    note: s.version.note,
    versionNo: s.version.version_no,
    status: s.version.status,
    nodes: s.nodes,
    items: s.items,
  };
}

export const STANDARD_COLUMNS: ColumnSpec[] = [
  { key: 'code', headers: ['标准编号', 'code'], required: true },
  { key: 'project', headers: ['测评项目', 'project'] },
  { key: 'indicator', headers: ['指标', 'indicator'] },
  { key: 'content', headers: ['测评内容', 'content'] },
  { key: 'text', headers: ['测评标准', 'standard', 'text'], required: true },
  { key: 'methods', headers: ['测评方法', 'methods'], required: true },
  { key: 'pointTypes', headers: ['适用点位类型', 'point types'] },
  { key: 'kind', headers: ['计分方式', 'rule'], required: true },
  { key: 'points', headers: ['分值', 'points'], required: true },
  { key: 'required', headers: ['要求数量', 'required'] },
  { key: 'step', headers: ['每处扣分', 'step'] },
  { key: 'cap', headers: ['扣分上限', 'cap'] },
  { key: 'factor', headers: ['当场整改系数', 'fixed on spot factor'] },
  { key: 'unit', headers: ['计量单位', 'unit'] },
  { key: 'ruleText', headers: ['计分规则（说明）', 'rule text'] },
  { key: 'categoryCode', headers: ['问题类别', 'case category'] },
];

const LEVEL_KEYS: Record<NodeLevel, 'project' | 'indicator' | 'content'> = { 1: 'project', 2: 'indicator', 3: 'content' };

export async function exportStandardXlsx(deps: Deps, actor: Actor, versionId: number): Promise<Buffer> {
  const s = await loadStandardForExport(deps, actor, versionId);
  const typeName = new Map(s.pointTypes.map((t) => [t.code, t.name_zh]));
  const nodeName = new Map(s.nodes.map((n) => [n.code, n.name]));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('测评标准');
  ws.addRow(STANDARD_COLUMNS.map((c) => c.headers[0]));
  ws.getRow(1).font = { bold: true };
  for (const it of s.items) {
    const content = itemNodeCode(it.code)!;
    const indicator = parentNodeCode(content)!;
    const project = parentNodeCode(indicator)!;
    const r = it.rule;
    ws.addRow([
      it.code,
      nodeName.get(project) ?? '',
      nodeName.get(indicator) ?? '',
      nodeName.get(content) ?? '',
      it.text,
      it.methods.map((m) => METHOD_LABELS[m].zh).join('、'),
      it.pointTypes.map((t) => typeName.get(t) ?? t).join('、'),
      RULE_KIND_LABELS[r.kind].zh,
      r.points,
      r.kind === 'per_missing' ? r.required : '',
      r.kind === 'pass_fail' ? '' : r.step,
      r.kind === 'per_occurrence' && r.cap !== undefined ? r.cap : '',
      r.fixedOnSpotFactor ?? '',
      r.kind === 'per_missing' ? (r.unit ?? '') : '',
      describeRule(r),
      it.categoryCode ?? '',
    ]);
  }
  ws.getColumn(1).numFmt = '@';
  ws.getColumn(STANDARD_COLUMNS.length).numFmt = '@';
  [12, 14, 14, 18, 50, 18, 40, 18, 6, 8, 8, 8, 12, 8, 40, 10].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  // The node list too, so a reader sees the whole tree (the import rebuilds it from the item rows).
  const tree = wb.addWorksheet('测评体系');
  tree.addRow(['层级', '编码', '名称']);
  tree.getRow(1).font = { bold: true };
  for (const n of s.nodes) tree.addRow([`${NODE_LEVEL_LABELS[n.level].numeral} ${NODE_LEVEL_LABELS[n.level].zh}`, n.code, n.name]);
  tree.getColumn(2).numFmt = '@';
  [14, 10, 30].forEach((w, i) => (tree.getColumn(i + 1).width = w));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads the methods column: 实地考察、材料审核 (or field, document), separated by 、 , ， ; ； or spaces. */
function parseMethods(text: string): { methods: StandardMethod[]; unknown: string[] } {
  const methods: StandardMethod[] = [];
  const unknown: string[] = [];
  for (const part of text.split(/[、,，;；\s]+/).filter(Boolean)) {
    const m = STANDARD_METHODS.find((k) => k === part.toLowerCase() || METHOD_LABELS[k].zh === part || METHOD_LABELS[k].en.toLowerCase() === part.toLowerCase());
    if (m) methods.push(m);
    else unknown.push(part);
  }
  return { methods, unknown };
}

const KIND_ALIASES: Record<string, RuleKind> = { 达标制: 'pass_fail', 达标: 'pass_fail', 缺项扣分: 'per_missing', 按缺少数量扣分: 'per_missing', 按次扣分: 'per_occurrence', 按处扣分: 'per_occurrence' };

function parseKind(text: string): RuleKind | null {
  const t = text.trim();
  if ((RULE_KINDS as readonly string[]).includes(t)) return t as RuleKind;
  return RULE_KINDS.find((k) => RULE_KIND_LABELS[k].zh === t || RULE_KIND_LABELS[k].en.toLowerCase() === t.toLowerCase()) ?? KIND_ALIASES[t] ?? null;
}

/** A number cell: undefined when blank, NaN when unreadable. */
const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim()));

const RULE_COLUMN: Record<string, string> = { 'rule.kind': 'kind', 'rule.points': 'points', 'rule.required': 'required', 'rule.step': 'step', 'rule.cap': 'cap', 'rule.fixedOnSpotFactor': 'factor', 'rule.unit': 'unit', rule: 'kind' };

/** Reads the .xlsx layout into nodes and items, or throws IMPORT_FAILED with every row error. */
export async function parseStandardXlsx(buffer: Buffer, pointTypes: { code: string; name_zh: string; name_en: string }[]): Promise<{ nodes: StandardNode[]; items: StandardItem[] }> {
  const rows = await readSheet(buffer, STANDARD_COLUMNS);
  const errors = new RowErrors();
  const header = (key: string) => STANDARD_COLUMNS.find((c) => c.key === key)!.headers[0]!;
  const typeByName = new Map<string, string>();
  for (const t of pointTypes) for (const name of [t.code, t.name_zh, t.name_en.toLowerCase()]) typeByName.set(name, t.code);
  const known = new Set(pointTypes.map((t) => t.code));
  const nodes = new Map<string, StandardNode & { row: number }>();
  const items: StandardItem[] = [];
  const seenItems = new Map<string, number>();
  for (const r of rows) {
    const v = r.values;
    const code = (errors.requireValue(r, 'code', header('code')) ?? '').replace(/\s/g, '');
    const contentCode = code ? itemNodeCode(code) : null;
    if (code && !contentCode) errors.add(r.row, header('code'), '应形如 3.2.1-4 / must look like 3.2.1-4');
    // Node names: the first row of a node names it; later rows may leave the cell blank but may not contradict it.
    if (contentCode) {
      const codes = [parentNodeCode(parentNodeCode(contentCode)!)!, parentNodeCode(contentCode)!, contentCode];
      codes.forEach((nodeCode, i) => {
        const level = (i + 1) as NodeLevel;
        const column = header(LEVEL_KEYS[level]);
        const name = v[LEVEL_KEYS[level]]!.trim();
        const known = nodes.get(nodeCode);
        if (!known) {
          if (!name) errors.add(r.row, column, `${nodeCode} 首次出现须填写名称 / name ${nodeCode} where it first appears`);
          else if (checkNode({ level, code: nodeCode, name }).length) errors.add(r.row, column, checkNode({ level, code: nodeCode, name })[0]!.reason);
          else nodes.set(nodeCode, { level, code: nodeCode, name, row: r.row });
        } else if (name && name !== known.name) {
          errors.add(r.row, column, `与第 ${known.row} 行的“${known.name}”不一致 / differs from row ${known.row}`);
        }
      });
    }
    const { methods, unknown } = parseMethods(v.methods ?? '');
    if (unknown.length) errors.add(r.row, header('methods'), `未知测评方法 / unknown method: ${unknown.join('、')}（实地考察/问卷调查/材料审核）`);
    const types: string[] = [];
    for (const part of (v.pointTypes ?? '').split(/[、,，;；\n]+/).map((s) => s.trim()).filter(Boolean)) {
      const t = typeByName.get(part) ?? typeByName.get(part.toLowerCase());
      if (t) types.push(t);
      else errors.add(r.row, header('pointTypes'), `未知点位类型 / unknown point type: ${part}`);
    }
    const kindText = v.kind ?? '';
    const kind = kindText ? parseKind(kindText) : null;
    if (kindText && !kind) errors.add(r.row, header('kind'), `未知计分方式 / unknown rule: ${kindText}（达标/不达标、按缺少数量扣分、按发现问题扣分（封顶））`);
    const numbers = { points: num(v.points ?? ''), required: num(v.required ?? ''), step: num(v.step ?? ''), cap: num(v.cap ?? ''), fixedOnSpotFactor: num(v.factor ?? '') };
    for (const [key, value] of Object.entries(numbers)) {
      if (value !== undefined && Number.isNaN(value)) errors.add(r.row, header(key === 'fixedOnSpotFactor' ? 'factor' : key), '应为数字 / must be a number');
    }
    if (!kind || Object.values(numbers).some((n) => n !== undefined && Number.isNaN(n))) continue;
    const parsed = parseRule({ kind, ...numbers, unit: v.unit?.trim() || undefined });
    for (const p of parsed.problems) errors.add(r.row, header(RULE_COLUMN[p.field] ?? 'kind'), p.reason);
    if (!parsed.rule || !contentCode) continue;
    const categoryText = (v.categoryCode ?? '').trim();
    const item: StandardItem = { code, text: v.text ?? '', methods, pointTypes: [...new Set(types)], rule: parsed.rule, sort: items.length * 10 + 10, categoryCode: categoryText || null };
    for (const p of checkItem(item, known)) if (p.field !== 'methods' || !unknown.length) errors.add(r.row, header(p.field.startsWith('rule') ? RULE_COLUMN[p.field] ?? 'kind' : p.field), p.reason);
    const dup = seenItems.get(code);
    if (dup) errors.add(r.row, header('code'), `编号与第 ${dup} 行重复 / same code as row ${dup}`);
    seenItems.set(code, r.row);
    items.push(item);
  }
  if (!rows.length) errors.add(2, header('code'), '表格没有数据行 / the sheet has no data rows');
  errors.throwIfAny();
  return { nodes: [...nodes.values()].map(({ row: _row, ...n }) => n), items };
}

/** Checks a JSON document; row errors name `nodes[i]` / `items[i]` (1-based rows) and the field. */
export function parseStandardJson(doc: unknown, known: Set<string>): { standardCode: string; title: string; note: string | null; nodes: StandardNode[]; items: StandardItem[] } {
  const errors = new RowErrors();
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Problem('UNSUPPORTED_FILE', { reason: 'not a standard JSON document' });
  const d = doc as Record<string, unknown>;
  if (d.format !== STANDARD_JSON_FORMAT) throw new Problem('UNSUPPORTED_FILE', { reason: `format must be "${STANDARD_JSON_FORMAT}"` });
  if (d.formatVersion !== STANDARD_JSON_FORMAT_VERSION) throw new Problem('UNSUPPORTED_FILE', { reason: `formatVersion ${String(d.formatVersion)} is not supported (${STANDARD_JSON_FORMAT_VERSION})` });
  const standardCode = typeof d.standardCode === 'string' && /^[a-z0-9_-]{1,40}$/.test(d.standardCode) ? d.standardCode : null;
  if (d.standardCode !== undefined && !standardCode) errors.add(0, 'standardCode', '应为 1–40 位小写字母、数字、_ 或 - / 1–40 of a–z 0–9 _ -');
  const title = typeof d.title === 'string' && d.title.trim() && d.title.length <= 100 ? d.title.trim() : null;
  if (!title) errors.add(0, 'title', '必填，至多 100 字 / required, at most 100 characters');
  if (!Array.isArray(d.nodes)) errors.add(0, 'nodes', '应为数组 / must be a list');
  if (!Array.isArray(d.items)) errors.add(0, 'items', '应为数组 / must be a list');
  errors.throwIfAny();
  const nodes: StandardNode[] = [];
  (d.nodes as unknown[]).forEach((raw, i) => {
    const n = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const node = { level: n.level as NodeLevel, code: String(n.code ?? ''), name: typeof n.name === 'string' ? n.name : '', sort: Number.isInteger(n.sort) ? (n.sort as number) : undefined };
    const problems = checkNode(node);
    for (const p of problems) errors.add(i + 1, `nodes[${i}].${p.field}`, p.reason);
    if (!problems.length) nodes.push(node);
  });
  const items: StandardItem[] = [];
  (d.items as unknown[]).forEach((raw, i) => {
    const it = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const parsed = parseRule(it.rule);
    const item = {
      code: String(it.code ?? ''),
      text: it.text as string,
      methods: it.methods as StandardMethod[],
      pointTypes: it.pointTypes as string[],
      rule: parsed.rule ?? (it.rule as never),
      sort: Number.isInteger(it.sort) ? (it.sort as number) : undefined,
      categoryCode: it.categoryCode === undefined || it.categoryCode === null ? null : (it.categoryCode as string),
    };
    const problems = checkItem(item, known);
    for (const p of problems) errors.add(i + 1, `items[${i}].${p.field}`, p.reason);
    if (!problems.length) items.push(item);
  });
  errors.throwIfAny();
  const nodeIndex = new Map(nodes.map((n, i) => [n.code, i]));
  const itemIndex = new Map(items.map((n, i) => [n.code, i]));
  for (const p of checkStandard(nodes, items, known)) {
    const where = p.code && itemIndex.has(p.code) ? `items[${itemIndex.get(p.code)}]` : p.code && nodeIndex.has(p.code) ? `nodes[${nodeIndex.get(p.code)}]` : p.field;
    const row = p.code ? (itemIndex.get(p.code) ?? nodeIndex.get(p.code) ?? -1) + 1 : 0;
    errors.add(row, `${where}.${p.field}`, p.reason);
  }
  errors.throwIfAny();
  return { standardCode: standardCode ?? DEFAULT_STANDARD_CODE, title: title!, note: typeof d.note === 'string' ? d.note.slice(0, 500) : null, nodes, items };
}

/** Imports an uploaded .json or .xlsx into a new draft version. */
export async function importStandard(deps: Deps, actor: Actor, file: { filename: string; data: Buffer }, standardCode?: string) {
  assertCan(actor.user, 'standard.write');
  const isJson = /\.json$/i.test(file.filename) || file.data.subarray(0, 64).toString('utf8').trimStart().startsWith('{');
  if (isJson) {
    let doc: unknown;
    try {
      doc = JSON.parse(file.data.toString('utf8'));
    } catch {
      throw new Problem('UNSUPPORTED_FILE', { reason: 'not valid JSON' });
    }
    const s = parseStandardJson(doc, await knownPointTypes(deps.db));
    return saveImportedDraft(deps, actor, { standardCode: standardCode ?? s.standardCode, title: s.title, note: s.note, source: file.filename }, s.nodes, s.items);
  }
  const s = await parseStandardXlsx(file.data, await standardRepo.pointTypes(deps.db));
  const title = `导入：${file.filename.replace(/\.xlsx$/i, '').slice(0, 80) || '测评标准'}`;
  s.items.sort((a, b) => compareCodes(a.code, b.code));
  return saveImportedDraft(deps, actor, { standardCode: standardCode ?? DEFAULT_STANDARD_CODE, title, source: file.filename }, s.nodes, s.items);
}
