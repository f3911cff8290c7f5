// The words of the 整改台账 (rectification ledger): column headers as domain.md names them, the zh/en names of
// problem sources, and the three 整改结果 (rectification results) with the case states behind each.
import { CASE_STATES, ledgerResult, type CaseState } from '../../../core/cases/index.js';
import { CASE_SOURCES, SOURCE_LEVELS, type CaseSource } from '../cases/intake.js';

export type SourceLevel = (typeof SOURCE_LEVELS)[number];

/** 问题来源 in the words a ledger reader expects. */
export const SOURCE_LABELS: Record<CaseSource, { zh: string; en: string }> = {
  patrol: { zh: '网格员巡查', en: 'Grid patrol' },
  office: { zh: '创城办录入', en: 'Campaign office entry' },
  supervision: { zh: '督查通报', en: 'Supervision notice' },
  hotline: { zh: '12345热线', en: '12345 hotline' },
  citizen_patrol: { zh: '市民巡访团', en: 'Citizen patrol' },
  inspection: { zh: '督查检查', en: 'Inspection' },
  citizen: { zh: '市民随手拍', en: 'Citizen report' },
  media: { zh: '媒体曝光', en: 'Media' },
  leader: { zh: '领导交办', en: "Leader's instruction" },
};

export const SOURCE_LEVEL_LABELS: Record<SourceLevel, { zh: string; en: string }> = {
  city: { zh: '市级', en: 'City' },
  district: { zh: '区级', en: 'District' },
  street: { zh: '街道', en: 'Street' },
};

/** e.g. 市级督查通报 for a city supervision notice; the level is shown only where a source carries one. */
export function sourceLabel(source: string, level: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  const base = SOURCE_LABELS[source as CaseSource]?.[lang] ?? source;
  const lv = level ? SOURCE_LEVEL_LABELS[level as SourceLevel]?.[lang] : undefined;
  if (!lv) return base;
  return lang === 'zh' ? `${lv}${base}` : `${base} (${lv})`;
}

/** 整改结果. The API accepts the Chinese words or these English keys. */
export const LEDGER_RESULTS = ['已整改', '整改中', '挂账'] as const;
export type LedgerResult = (typeof LEDGER_RESULTS)[number];
export const LEDGER_RESULT_KEYS: Record<string, LedgerResult> = { done: '已整改', open: '整改中', hung: '挂账' };
export const LEDGER_RESULT_EN: Record<LedgerResult, string> = { 已整改: 'Rectified', 整改中: 'In progress', 挂账: 'On the backlog' };

/** The case states behind each result (core/cases `ledgerResult`); states with no result never became a task. */
export function statesOfResult(result: LedgerResult): CaseState[] {
  return CASE_STATES.filter((s) => ledgerResult(s) === result);
}

/** Every state that has a row in the ledger: 已上报/核实中/不予立案/已合并 are not (yet) problems to rectify. */
export const LEDGER_STATES: readonly CaseState[] = CASE_STATES.filter((s) => ledgerResult(s) !== null);

export { CASE_SOURCES, SOURCE_LEVELS };

export type LedgerColumnKey =
  | 'seq'
  | 'source'
  | 'foundAt'
  | 'place'
  | 'point'
  | 'category'
  | 'description'
  | 'beforePhotos'
  | 'unit'
  | 'responsible'
  | 'deadline'
  | 'measures'
  | 'afterPhotos'
  | 'result'
  | 'checker'
  | 'closedAt'
  | 'rebound';

export interface LedgerColumn {
  key: LedgerColumnKey;
  /** The header, exactly as domain.md names the column. */
  header: string;
  /** Excel width in characters, chosen so an A4 landscape page scaled to one page wide stays readable. */
  width: number;
  photo?: boolean;
  center?: boolean;
}

// Photo cells hold two thumbnails side by side (see xlsx.ts PHOTO_BOX), hence their width.
export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'seq', header: '序号', width: 6, center: true },
  { key: 'source', header: '问题来源', width: 12, center: true },
  { key: 'foundAt', header: '发现时间', width: 17, center: true },
  { key: 'place', header: '所属社区/网格', width: 18 },
  { key: 'point', header: '点位', width: 16 },
  { key: 'category', header: '问题类别', width: 13, center: true },
  { key: 'description', header: '问题描述', width: 32 },
  { key: 'beforePhotos', header: '整改前照片', width: 31, photo: true, center: true },
  { key: 'unit', header: '责任单位', width: 16 },
  { key: 'responsible', header: '责任人', width: 10, center: true },
  { key: 'deadline', header: '整改时限', width: 17, center: true },
  { key: 'measures', header: '整改措施', width: 28 },
  { key: 'afterPhotos', header: '整改后照片', width: 31, photo: true, center: true },
  { key: 'result', header: '整改结果', width: 10, center: true },
  { key: 'checker', header: '核查人', width: 10, center: true },
  { key: 'closedAt', header: '销号时间', width: 17, center: true },
  { key: 'rebound', header: '是否反弹', width: 9, center: true },
];

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** `2026-11-27 16:00` in Beijing time, or '' for no time. */
export function beijingMinute(iso: string | null | undefined): string {
  if (!iso) return '';
  // Stored times are canonical `YYYY-MM-DDTHH:MM:SS.sssZ`: most of them stay on the same day in Beijing, which
  // needs no Date at all (this runs three times per row of a 100,000-row export).
  if (iso.length >= 17 && iso[10] === 'T' && iso[iso.length - 1] === 'Z') {
    const hour = Number(iso.slice(11, 13)) + 8;
    if (hour < 24) return `${iso.slice(0, 10)} ${hour < 10 ? '0' : ''}${hour}${iso.slice(13, 16)}`;
  }
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const s = new Date(ms + BEIJING_OFFSET_MS).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/** The Beijing calendar date of an instant, `2026-11-27`. */
export function beijingDay(at: Date | number): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant at which a Beijing date starts, plus some days. */
export function beijingDayStartIso(date: string, plusDays = 0): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + plusDays * 86400_000).toISOString();
}
