// 整改台账 export: who may export, what the filters mean, and the ledger rows page by page. The writers (xlsx.ts,
// csv.ts) only format what this module hands them.
import type { Actor, Deps } from '../../lib/context.js';
import type { Role } from '../../../core/roles.js';
import { ledgerResult, type CaseState } from '../../../core/cases/index.js';
import { Problem, invalid } from '../../errors.js';
import { audit } from '../../lib/audit.js';
import { CASE_SOURCES, LEDGER_RESULT_KEYS, LEDGER_RESULTS, LEDGER_STATES, beijingDay, beijingDayStartIso, beijingMinute, sourceLabel, statesOfResult, type LedgerResult } from './labels.js';
import { ledgerRepo, type LedgerCaseRow, type LedgerCursor, type LedgerFilter, type LedgerPhotoRow } from './repo.js';
import { contentDisposition } from '../../http/disposition.js';

/**
 * Everyone who works the loop may export the ledger of their own scope. 市民巡访团 and volunteers are left out:
 * they see only their own reports, and the ledger names units, responsible people and checkers, which is an
 * internal record of the 街道, not theirs to take away.
 */
export const LEDGER_EXPORT_ROLES: readonly Role[] = ['admin', 'leader', 'office', 'dispatcher', 'unit', 'grid_worker', 'inspector'];

/** Cases are read in pages of this many (keyset on id). */
export const LEDGER_PAGE_SIZE = 1000;

/**
 * An .xlsx with embedded photos reads and shrinks every thumbnail: about 2,000 cases take 15–30 s. Above this many
 * cases the caller narrows the filters or exports without photos (the photo cells then hold counts).
 */
export const MAX_PHOTO_EXPORT_ROWS = 5000;

/** The query string of both export routes (already checked for shape by the route schema). */
export interface LedgerQuery {
  from?: string;
  to?: string;
  communityId?: number;
  unitId?: number;
  /** Comma-separated case sources. */
  source?: string;
  /** Comma-separated 整改结果: 已整改/整改中/挂账, or done/open/hung. */
  status?: string;
  /** Comma-separated 2-digit 大类 or 4-digit 小类 codes. */
  categoryCode?: string;
  photos?: boolean;
}

export interface LedgerRequest {
  filter: LedgerFilter;
  photos: boolean;
  /** For the title and the description line. */
  meta: {
    from: string | null;
    to: string;
    streetName: string;
    communityName: string | null;
    unitName: string | null;
    sources: string[];
    results: LedgerResult[];
    categoryCodes: string[];
    exportedAt: Date;
    exportedBy: string;
  };
}

const splitList = (v: string | undefined) => (v ? [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))] : []);
const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** Checks the filters against the caller's role and the data; anything unusable is a 400 naming the field. */
export async function prepareLedger(deps: Deps, actor: Actor, q: LedgerQuery, now = new Date()): Promise<LedgerRequest> {
  if (!LEDGER_EXPORT_ROLES.includes(actor.user.role)) throw new Problem('FORBIDDEN');
  const user = actor.user;

  if (q.from !== undefined && !isDate(q.from)) throw invalid('from', 'must be a date like 2026-11-01');
  if (q.to !== undefined && !isDate(q.to)) throw invalid('to', 'must be a date like 2026-11-27');
  if (q.from && q.to && q.from > q.to) throw invalid('from', 'must not be after to');

  const sources = splitList(q.source);
  const badSource = sources.find((s) => !(CASE_SOURCES as readonly string[]).includes(s));
  if (badSource) throw invalid('source', `unknown source ${badSource}`);

  const results: LedgerResult[] = [];
  for (const word of splitList(q.status)) {
    const result = (LEDGER_RESULTS as readonly string[]).includes(word) ? (word as LedgerResult) : LEDGER_RESULT_KEYS[word];
    if (!result) throw invalid('status', `must be 已整改, 整改中 or 挂账 (or done, open, hung), not ${word}`);
    if (!results.includes(result)) results.push(result);
  }
  const states = results.length ? results.flatMap(statesOfResult) : [...LEDGER_STATES];

  const categoryCodes = splitList(q.categoryCode);
  const badCode = categoryCodes.find((c) => !/^(\d{2}|\d{4})$/.test(c));
  if (badCode) throw invalid('categoryCode', `must be a 2-digit 大类 or 4-digit 小类 code, not ${badCode}`);
  for (const code of categoryCodes) {
    if (!(await ledgerRepo.categoryExists(deps.db, code))) throw invalid('categoryCode', `unknown category ${code}`);
  }

  let communityName: string | null = null;
  if (q.communityId !== undefined) {
    const community = await ledgerRepo.org(deps.db, q.communityId);
    if (!community || community.kind !== 'community') throw invalid('communityId', 'no such community');
    communityName = community.name;
  }
  let unitPath: string | undefined;
  let unitName: string | null = null;
  if (q.unitId !== undefined) {
    const unit = await ledgerRepo.org(deps.db, q.unitId);
    if (!unit) throw invalid('unitId', 'no such unit');
    unitPath = unit.path;
    unitName = unit.name;
  }

  const chain = await ledgerRepo.ancestors(deps.db, user.orgPath);
  const street = chain.find((o) => o.kind === 'street') ?? chain[chain.length - 1];

  const photos = q.photos ?? true;
  const filter: LedgerFilter = {
    scopePath: user.orgPath,
    viewerId: user.id,
    territorial: ['street', 'district'].includes(user.orgKind),
    states,
    sources,
    categoryCodes: categoryCodes.filter((c) => c.length === 4),
    categoryPrefixes: categoryCodes.filter((c) => c.length === 2),
    communityId: q.communityId,
    unitPath,
    createdFrom: q.from ? beijingDayStartIso(q.from) : undefined,
    createdTo: q.to ? beijingDayStartIso(q.to, 1) : undefined,
  };
  return {
    filter,
    photos,
    meta: {
      from: q.from ?? null,
      to: q.to ?? beijingDay(now),
      streetName: street?.name ?? user.orgName,
      communityName,
      unitName,
      sources,
      results,
      categoryCodes,
      exportedAt: now,
      exportedBy: user.displayName,
    },
  };
}

/** Counts the rows an export will hold, refuses a photo export that is too large, and records who took what. */
export async function startLedgerExport(deps: Deps, actor: Actor, req: LedgerRequest, format: 'xlsx' | 'csv'): Promise<number> {
  const total = await ledgerRepo.count(deps.db, req.filter);
  const embedsPhotos = format === 'xlsx' && req.photos;
  if (embedsPhotos && total > MAX_PHOTO_EXPORT_ROWS) {
    throw invalid('photos', `at most ${MAX_PHOTO_EXPORT_ROWS} cases with photos (this export has ${total}); narrow the filters or export with photos=false`);
  }
  // The ledger names people and units: who exported which part of it is kept like any other access to bulk data.
  await audit(deps.db, actor, {
    action: 'ledger.export',
    targetType: 'ledger',
    orgPath: actor.user.orgPath,
    detail: { format, rows: total, photos: embedsPhotos, from: req.meta.from, to: req.meta.to, communityId: req.filter.communityId ?? null, unit: req.meta.unitName, sources: req.meta.sources, results: req.meta.results, categoryCodes: req.meta.categoryCodes },
  });
  return total;
}

export interface LedgerPhoto {
  id: number;
  row: LedgerPhotoRow;
}

/** One ledger row: the 17 columns as text, plus the photos behind the two photo columns. */
export interface LedgerRow {
  seq: number;
  caseId: number;
  source: string;
  foundAt: string;
  place: string;
  point: string;
  category: string;
  description: string;
  unit: string;
  responsible: string;
  deadline: string;
  measures: string;
  result: LedgerResult;
  checker: string;
  closedAt: string;
  rebound: '是' | '否';
  beforeCount: number;
  afterCount: number;
  /** At most the first two before-photos and the last two after-photos, when photos are embedded. */
  beforePhotos: LedgerPhoto[];
  afterPhotos: LedgerPhoto[];
}

/** `东风社区/第1网格`: the grid's short name, or its name without the community's prefix. */
function placeLabel(c: LedgerCaseRow): string {
  const community = c.community_name ?? '';
  let grid = c.grid_short_name ?? c.grid_name ?? '';
  if (!c.grid_short_name && community && grid.startsWith(community) && grid.length > community.length) grid = grid.slice(community.length);
  return [community, grid].filter(Boolean).join('/');
}

function measuresOf(e: { note: string | null; data: string | null }): string {
  if (e.data) {
    try {
      const d = JSON.parse(e.data) as { measures?: unknown };
      if (typeof d.measures === 'string' && d.measures.trim()) return d.measures.trim();
    } catch {
      // an unreadable data blob falls back to the note, which holds the measures too
    }
  }
  return e.note?.trim() ?? '';
}

export interface LedgerPageOptions {
  /** 'embed': photo rows for the images; 'count': only how many. */
  photos: 'embed' | 'count';
  pageSize?: number;
}

/** The ledger rows of a request, one page of cases at a time, in 序号 order. */
export async function* ledgerPages(deps: Deps, req: LedgerRequest, opts: LedgerPageOptions): AsyncGenerator<LedgerRow[]> {
  const pageSize = opts.pageSize ?? LEDGER_PAGE_SIZE;
  const rebounded = await ledgerRepo.reboundedIds(deps.db);
  let cursor: LedgerCursor | null = null;
  let seq = 0;
  for (;;) {
    const cases = await ledgerRepo.page(deps.db, req.filter, cursor, pageSize);
    if (!cases.length) return;
    const ids = cases.map((c) => c.id);
    const last = cases[cases.length - 1];
    cursor = { createdAt: last.created_at, id: last.id };
    const [events, photoRows, counts] = await Promise.all([
      ledgerRepo.loopEvents(deps.db, ids),
      opts.photos === 'embed' ? ledgerRepo.photos(deps.db, ids) : Promise.resolve([]),
      opts.photos === 'count' ? ledgerRepo.photoCounts(deps.db, ids) : Promise.resolve([]),
    ]);
    const measures = new Map<number, string>();
    const checkers = new Map<number, string>();
    for (const e of events) {
      if (e.action === 'feedback') measures.set(e.case_id, measuresOf(e));
      else if (e.actor_name) checkers.set(e.case_id, e.actor_name);
    }
    const before = new Map<number, LedgerPhoto[]>();
    const after = new Map<number, LedgerPhoto[]>();
    for (const p of photoRows) {
      const into = p.link_role === 'before' ? before : after;
      const list = into.get(p.link_owner_id) ?? [];
      list.push({ id: p.id, row: p });
      into.set(p.link_owner_id, list);
    }
    const beforeCount = new Map<number, number>();
    const afterCount = new Map<number, number>();
    for (const c of counts) (c.role === 'before' ? beforeCount : afterCount).set(c.owner_id, Number(c.n));

    yield cases.map((c): LedgerRow => {
      const beforeList = before.get(c.id) ?? [];
      const afterList = after.get(c.id) ?? [];
      return {
        seq: ++seq,
        caseId: c.id,
        source: sourceLabel(c.source, c.source_level),
        foundAt: beijingMinute(c.created_at),
        place: placeLabel(c),
        point: c.point_name ?? c.address ?? '',
        category: c.category_name ?? c.category_code,
        description: c.description,
        unit: c.unit_name ?? '',
        // 责任人: the point's responsible person (包保责任人) if the point has one, else the unit's contact.
        responsible: c.point_responsible || c.unit_contact || '',
        deadline: beijingMinute(c.deadline),
        measures: measures.get(c.id) ?? '',
        result: ledgerResult(c.status as CaseState) ?? '整改中',
        checker: checkers.get(c.id) ?? c.checker_name ?? '',
        closedAt: c.status === 'closed' ? beijingMinute(c.closed_at) : '',
        rebound: c.is_rebound === 1 || rebounded.has(c.id) ? '是' : '否',
        beforeCount: opts.photos === 'embed' ? beforeList.length : (beforeCount.get(c.id) ?? 0),
        afterCount: opts.photos === 'embed' ? afterList.length : (afterCount.get(c.id) ?? 0),
        beforePhotos: beforeList.slice(0, 2),
        // After a rework the last feedback's photos show the result that was accepted.
        afterPhotos: afterList.slice(-2),
      };
    });
    if (cases.length < pageSize) return;
  }
}

/** `柳泉街道创城问题整改台账（2026-11-01 至 2026-11-27）`; a community filter names the community too. */
export function ledgerTitle(meta: LedgerRequest['meta']): string {
  const who = `${meta.streetName}${meta.communityName && !meta.streetName.endsWith(meta.communityName) ? meta.communityName : ''}`;
  const period = meta.from ? `${meta.from} 至 ${meta.to}` : `截至 ${meta.to}`;
  return `${who}创城问题整改台账（${period}）`;
}

/** The line under the title: what was filtered, who exported it and when, and how many rows. */
export function ledgerSubtitle(meta: LedgerRequest['meta'], total: number): string {
  const parts: string[] = [];
  if (meta.unitName) parts.push(`责任单位：${meta.unitName}`);
  if (meta.sources.length) parts.push(`问题来源：${meta.sources.map((s) => sourceLabel(s, null)).join('、')}`);
  if (meta.results.length) parts.push(`整改结果：${meta.results.join('、')}`);
  if (meta.categoryCodes.length) parts.push(`问题类别：${meta.categoryCodes.join('、')}`);
  parts.push(`共 ${total} 条`);
  parts.push(`导出人：${meta.exportedBy}`);
  parts.push(`导出时间：${beijingMinute(meta.exportedAt.toISOString())}`);
  return parts.join('　');
}

/** `content-disposition` for `整改台账-20261127.xlsx`: an ASCII fallback plus the UTF-8 name (RFC 6266/5987). */
export function ledgerDisposition(ext: 'xlsx' | 'csv', at: Date): string {
  const day = beijingDay(at).replace(/-/g, '');
  const name = `整改台账-${day}.${ext}`;
  return contentDisposition(name, { fallback: `ledger-${day}.${ext}` });
}
