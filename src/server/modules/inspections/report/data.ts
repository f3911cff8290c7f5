// What a 通报 (inspection report) says, gathered once and rendered twice: as a Word document (docx.ts) and as a
// workbook (xlsx.ts). The generators read nothing else, so they are tested on hand-built data as well as on a plan
// inspected through the real API.
import type { Actor, Deps } from '../../../lib/context.js';
import type { PhotoRow } from '../../../db/schema.js';
import { CASE_STATE_LABELS, type CaseState } from '../../../../core/cases/index.js';
import { compareCodes } from '../../../../core/standards/index.js';
import { beijingDay } from '../../ledger/labels.js';
import { servedFile } from '../../photos/service.js';
import { checklistsOf, getPlan, getPlanScores, listPlanProblems, type ScoreDelta } from '../service.js';

/** points earned ÷ points possible; `rate` is null when nothing was possible. */
export interface ReportRate {
  earned: number;
  possible: number;
  rate: number | null;
}

export interface ReportPlan {
  id: number;
  /** e.g. CP-2026-0003 */
  no: string;
  title: string;
  kind: string;
  /** 模拟测评 / 督查 / 市民巡访 / 回头看 */
  kindLabel: string;
  status: string;
  /** YYYY-MM-DD (Beijing dates) */
  startsOn: string;
  endsOn: string;
  /** Title of the standard version the plan was scored with. */
  standardVersionTitle: string;
}

export interface ReportSummary {
  communities: number;
  pointsPlanned: number;
  pointsInspected: number;
  /** Item observations scored (项次), not applicable ones left out. */
  itemsChecked: number;
  overall: ReportRate;
  /** Failed items (项次), whether fixed on the spot or not. */
  problemsFound: number;
  /** Failed items fully fixed on the spot (no case). */
  fixedOnSpot: number;
  /** Cases opened in the closed loop for the rest. */
  casesOpened: number;
  previous: { planId: number; title: string; overall: ReportRate } | null;
  /** overall.rate − previous.overall.rate (a fraction: 0.032 is 3.2 个百分点), null without a previous plan. */
  delta: number | null;
}

export interface CommunityScore {
  id: number;
  name: string;
  pointsInspected: number;
  problems: number;
  rate: ReportRate;
  /** 1 = best; equal rates share a rank; null when nothing was scored there. */
  rank: number | null;
  previousRate: number | null;
  delta: number | null;
}

export interface PointTypeScore {
  code: string;
  name: string;
  pointsInspected: number;
  problems: number;
  rate: ReportRate;
  delta: number | null;
}

export interface PointScoreRow {
  id: number;
  name: string;
  typeName: string;
  communityName: string;
  address: string | null;
  inspectedAt: string | null;
  inspectorName: string | null;
  problems: number;
  rate: ReportRate;
}

export interface ItemScoreRow {
  code: string;
  text: string;
  /** Ⅰ / Ⅱ / Ⅲ names joined ' / ' */
  nodePath: string;
  pointsChecked: number;
  pointsFailed: number;
  rate: ReportRate;
  delta: number | null;
}

export interface ReportPhoto {
  /** A file on disk: the photo's thumbnail, or its full copy when the thumbnail is not made yet (fallback). */
  path: string;
  fallback: boolean;
}

export interface ProblemRow {
  seq: number;
  communityName: string;
  pointName: string;
  pointTypeName: string;
  itemCode: string;
  itemText: string;
  /** What the inspector saw (the item note, else the result note). */
  description: string;
  /** Fully fixed on the spot: no case was opened. */
  fixedOnSpot: boolean;
  photos: ReportPhoto[];
  caseId: number | null;
  caseNo: string | null;
  unitName: string | null;
  /** ISO instant */
  deadline: string | null;
  status: string | null;
  /** 处置中 / 已结案 / 现场整改 … */
  statusLabel: string;
}

export interface ReportData {
  plan: ReportPlan;
  /** 发文机关: “XX街道创建文明城市工作办公室” */
  issuer: string;
  /** 成文日期, YYYY-MM-DD */
  issuedOn: string;
  summary: ReportSummary;
  /** Best first (by rank). */
  byCommunity: CommunityScore[];
  byPointType: PointTypeScore[];
  /** Weakest first. */
  byPoint: PointScoreRow[];
  /** In standard code order. */
  byItem: ItemScoreRow[];
  /** The items that lost the most, weakest first (at most WEAKEST_ITEMS). */
  weakestItems: ItemScoreRow[];
  problems: ProblemRow[];
}

export const WEAKEST_ITEMS = 10;

export const issuerOf = (streetName: string) => `${streetName}创建文明城市工作办公室`;

// ---------------------------------------------------------------------------------------------------------------
// Words and numbers as a 通报 writes them

/** 2026年5月12日 (成文日期: Arabic numerals, no leading zeros, GB/T 9704-2012). */
export function chineseDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 5月14日 17:30 in Beijing time; '' for none. */
export function chineseDeadline(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const s = new Date(ms + 8 * 3600_000).toISOString();
  return `${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日 ${s.slice(11, 16)}`;
}

/** The Beijing date of an instant, YYYY-MM-DD. */
export const beijingYmd = (at: Date) => beijingDay(at);

const DIGITS = '零一二三四五六七八九';

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; larger numbers in Arabic numerals. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/** 87.5% (one decimal); — when nothing was possible. */
export function percent(rate: number | null, digits = 1): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(digits)}%`;
}

/** +3.2 / −1.5 / 0.0 percentage points; — without a comparison. */
export function deltaPoints(delta: number | null): string {
  if (delta === null) return '—';
  const v = Math.round(delta * 1000) / 10;
  if (v === 0) return '0.0';
  return `${v > 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`;
}

/** 提高3.2个百分点 / 下降1.5个百分点 / 持平 */
export function deltaWords(delta: number | null): string {
  if (delta === null) return '';
  const v = Math.round(delta * 1000) / 10;
  if (v === 0) return '持平';
  return `${v > 0 ? '提高' : '下降'}${Math.abs(v).toFixed(1)}个百分点`;
}

/** Ranks best first; equal rates share a rank (1, 2, 2, 4); unscored rows get none and go last. */
export function rankByRate<T extends { rate: ReportRate }>(rows: T[]): (T & { rank: number | null })[] {
  const sorted = [...rows].sort((a, b) => {
    if (a.rate.rate === null || b.rate.rate === null) return a.rate.rate === null ? (b.rate.rate === null ? 0 : 1) : -1;
    return b.rate.rate - a.rate.rate;
  });
  let lastRate: number | null = null;
  let lastRank = 0;
  return sorted.map((r, i) => {
    if (r.rate.rate === null) return { ...r, rank: null };
    // Rates that differ only past the displayed precision share the rank the reader sees.
    const shown = Math.round(r.rate.rate * 1000);
    if (lastRate === null || shown !== lastRate) lastRank = i + 1;
    lastRate = shown;
    return { ...r, rank: lastRank };
  });
}

/** 关于<plan title>情况的通报, or the plan's title when it already says 通报. */
export function reportTitle(data: Pick<ReportData, 'plan'>): string {
  const t = data.plan.title.trim();
  return t.includes('通报') ? t : `关于${t}情况的通报`;
}

// Characters XML 1.0 cannot carry (control characters, lone surrogates' stand-ins U+FFFE/U+FFFF): a note typed on
// a phone must not make Word refuse the whole document.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text safe to put into a document part. */
export const xmlSafe = (s: string) => s.replace(XML_INVALID, '');

/** A file name without characters Windows or a download dialog would refuse. */
// eslint-disable-next-line no-control-regex
export const safeFileName = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim();

// ---------------------------------------------------------------------------------------------------------------
// Loading a plan's report

/**
 * Everything the 通报 of a plan says, in Chinese whatever the caller's language (it is an official document).
 * Access is the service's: inspection.read, and a plan outside the caller's scope is "not found".
 */
export async function loadReportData(deps: Deps, actor: Actor, planId: number, now = new Date()): Promise<ReportData> {
  const zh: Actor = { ...actor, lang: 'zh-CN' };
  const scores = await getPlanScores(deps, zh, planId);
  const [plan, problems] = await Promise.all([getPlan(deps, zh, planId), listPlanProblems(deps, zh, planId)]);
  const [version, street, results, checklists] = await Promise.all([
    deps.db.selectFrom('standard_versions').select(['title', 'version_no']).where('id', '=', plan.standardVersionId).executeTakeFirst(),
    deps.db.selectFrom('orgs').select('name').where('id', '=', plan.streetId).executeTakeFirst(),
    deps.db.selectFrom('inspection_results').select(['point_id', 'inspected_at']).where('plan_id', '=', planId).execute(),
    checklistsOf(deps, plan.standardVersionId),
  ]);
  const photos = await photoFiles(deps, [...new Set(problems.items.flatMap((p) => p.photoIds))]);

  const deltaOf = (list: ScoreDelta[] | undefined) => new Map((list ?? []).map((d) => [d.key, d]));
  const communityDelta = deltaOf(scores.delta?.byCommunity);
  const typeDelta = deltaOf(scores.delta?.byPointType);
  const itemDelta = deltaOf(scores.delta?.byItem);
  const inspectedAt = new Map(results.map((r) => [r.point_id, r.inspected_at]));

  const byCommunity: CommunityScore[] = scores.byCommunity.map((c) => ({
    id: c.communityId,
    name: c.name,
    pointsInspected: c.points,
    problems: c.failed,
    rate: { earned: c.earned, possible: c.possible, rate: c.rate },
    rank: c.possible > 0 ? c.rank : null,
    previousRate: communityDelta.get(c.key)?.previous ?? null,
    delta: communityDelta.get(c.key)?.delta ?? null,
  }));
  const byItem: ItemScoreRow[] = scores.byItem.map((i) => ({
    code: i.code,
    text: i.name,
    nodePath: checklists.byCode.get(i.code)?.nodePath ?? '',
    pointsChecked: i.points,
    pointsFailed: i.failed,
    rate: { earned: i.earned, possible: i.possible, rate: i.rate },
    delta: itemDelta.get(i.key)?.delta ?? null,
  }));
  const planPoints = new Map(plan.points.map((p) => [p.pointId, p]));
  const byPoint: PointScoreRow[] = [
    ...scores.byPoint.map((p) => ({
      id: p.pointId,
      name: p.name,
      typeName: p.typeName,
      communityName: p.communityName,
      address: planPoints.get(p.pointId)?.address ?? null,
      inspectedAt: inspectedAt.get(p.pointId) ?? null,
      inspectorName: planPoints.get(p.pointId)?.inspectorName ?? null,
      problems: p.failed,
      rate: { earned: p.earned, possible: p.possible, rate: p.rate },
    })),
    // Points not inspected (yet) close the list, in route order.
    ...plan.points
      .filter((p) => !p.done)
      .map((p) => ({
        id: p.pointId,
        name: p.name,
        typeName: p.typeName,
        communityName: p.communityName,
        address: p.address,
        inspectedAt: null,
        inspectorName: p.inspectorName,
        problems: 0,
        rate: { earned: 0, possible: 0, rate: null },
      })),
  ];

  const problemRows: ProblemRow[] = problems.items.map((p, i) => {
    const description = p.note ? `${p.note}（${p.explanation}）` : p.explanation;
    const status = p.caseStatus;
    return {
      seq: i + 1,
      communityName: p.communityName,
      pointName: p.pointName,
      pointTypeName: p.pointTypeName,
      itemCode: p.itemCode,
      itemText: p.itemText,
      description,
      fixedOnSpot: p.fixedOnSpotFully,
      photos: p.photoIds.map((id) => photos.get(id)).filter((f): f is ReportPhoto => !!f),
      caseId: p.caseId,
      caseNo: p.caseNo,
      unitName: p.unitName,
      deadline: p.deadline,
      status,
      statusLabel: status ? (CASE_STATE_LABELS[status as CaseState]?.zh ?? status) : p.fixedOnSpotFully ? '现场整改' : '待立案',
    };
  });

  const prev = scores.previous;
  return {
    plan: {
      id: plan.id,
      no: plan.planNo,
      title: plan.title,
      kind: plan.kind,
      kindLabel: plan.kindName,
      status: plan.status,
      startsOn: plan.startsOn,
      endsOn: plan.endsOn,
      standardVersionTitle: version?.title ?? '测评标准',
    },
    issuer: issuerOf(street?.name ?? ''),
    issuedOn: beijingYmd(plan.closedAt ? new Date(plan.closedAt) : now),
    summary: {
      communities: new Set(plan.points.map((p) => p.communityId)).size,
      pointsPlanned: scores.totalPoints,
      pointsInspected: scores.inspectedPoints,
      itemsChecked: scores.byCommunity.reduce((n, c) => n + c.results, 0),
      overall: scores.overall,
      problemsFound: problemRows.length,
      fixedOnSpot: problemRows.filter((p) => p.fixedOnSpot).length,
      casesOpened: problemRows.filter((p) => p.caseId !== null).length,
      previous: prev ? { planId: prev.planId, title: prev.title, overall: prev.overall } : null,
      delta: scores.delta?.overall ?? null,
    },
    byCommunity,
    byPointType: scores.byPointType.map((t) => ({
      code: t.key,
      name: t.name,
      pointsInspected: t.points,
      problems: t.failed,
      rate: { earned: t.earned, possible: t.possible, rate: t.rate },
      delta: typeDelta.get(t.key)?.delta ?? null,
    })),
    byPoint,
    byItem: [...byItem].sort((a, b) => compareCodes(a.code, b.code)),
    // scores.byItem is weakest first already; items that lost nothing are not weak.
    weakestItems: byItem.filter((i) => i.rate.rate !== null && i.rate.rate < 1).slice(0, WEAKEST_ITEMS),
    problems: problemRows,
  };
}

/** The thumbnail file of each photo (its full copy until the thumbnail is made); photos without a file are left out. */
async function photoFiles(deps: Deps, ids: number[]): Promise<Map<number, ReportPhoto>> {
  const out = new Map<number, ReportPhoto>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows: PhotoRow[] = await deps.db.selectFrom('photos').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const row of rows) {
      const file = await servedFile(deps.config, row, 'thumb');
      if (file) out.set(row.id, { path: file.path, fallback: file.fallback });
    }
  }
  return out;
}
