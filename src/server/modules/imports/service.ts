// Case imports: 督查通报 (supervision notices: many problems at once, each with its source level, filed and dispatched
// by the 责任清单 at once) and 12345 热线工单 (hotline work orders, verified on site before filing). Every row is
// checked first and every problem reported with its row and column; then all rows go in ONE transaction through
// the same intake as a single report (duplicates, rebounds, routing, deadlines), or none do.
import type { Transaction } from 'kysely';
import type { Actor, Deps } from '../../lib/context.js';
import type { Database } from '../../db/schema.js';
import type { Role } from '../../../core/roles.js';
import { Problem } from '../../errors.js';
import { audit } from '../../lib/audit.js';
import { readSheet, RowErrors, templateWorkbook, type ColumnSpec, type SheetRow } from '../../lib/imports.js';
import { convertPosition, type Crs } from '../../../core/geo/index.js';
import { categoryRepo, isUniqueViolation } from '../categories/repo.js';
import { intakeCase, prepareIntake, type IntakeContext, type IntakeInput, type IntakeResult } from '../cases/intake.js';
import { locatePlace, resolveResponsibleUnit } from '../routing/service.js';
import { importsRepo, type NamedPoint } from './repo.js';
import { hotlineCategoryMap } from './hotline-map.js';
import {
  categoryResolver,
  parseBeijingTime,
  parseCoordinate,
  parseLevel,
  parsePhone,
  type KeywordMapping,
  type SourceLevel,
} from './parse.js';

export type CaseImportKind = 'supervision' | 'hotline';

/** Who may import problems: the office and the dispatchers (who file and dispatch), and the administrator. */
export const IMPORT_ROLES: readonly Role[] = ['office', 'dispatcher', 'admin'];

/**
 * A notice or a day's work orders holds tens to hundreds of rows. The batch is one transaction, and on SQLite a
 * transaction holds the only connection: a cap keeps an import from stalling everyone for long.
 */
export const MAX_CASE_IMPORT_ROWS = 2000;

export const SUPERVISION_COLUMNS: ColumnSpec[] = [
  { key: 'level', headers: ['通报级别', '级别', 'level', 'sourceLevel'] },
  { key: 'ref', headers: ['通报编号', '通报文号', '编号', 'sourceRef'] },
  { key: 'category', headers: ['问题类别', '问题小类', '类别', 'category', 'categoryCode'], required: true },
  { key: 'description', headers: ['问题描述', '描述', 'description'], required: true },
  { key: 'address', headers: ['地址', '问题地址', 'address'] },
  { key: 'lng', headers: ['经度', 'lng', 'longitude'] },
  { key: 'lat', headers: ['纬度', 'lat', 'latitude'] },
  { key: 'point', headers: ['点位', '点位名称', 'point'] },
  { key: 'foundAt', headers: ['发现时间', 'foundAt'] },
  { key: 'photo', headers: ['照片', '照片链接', 'photo'] },
];

export const HOTLINE_COLUMNS: ColumnSpec[] = [
  { key: 'ref', headers: ['工单编号', '工单号', 'orderNo'], required: true },
  { key: 'acceptedAt', headers: ['受理时间', '来电时间', 'acceptedAt'] },
  { key: 'category', headers: ['诉求类别', '问题类别', '类别', 'category'] },
  { key: 'description', headers: ['诉求内容', '问题描述', '内容', 'description'], required: true },
  { key: 'address', headers: ['地址', '事发地址', '诉求地址', 'address'] },
  { key: 'lng', headers: ['经度', 'lng', 'longitude'] },
  { key: 'lat', headers: ['纬度', 'lat', 'latitude'] },
  { key: 'point', headers: ['点位', '点位名称', 'point'] },
  { key: 'name', headers: ['市民姓名', '来电人', '姓名', 'reporterName'] },
  { key: 'phone', headers: ['联系电话', '来电号码', '电话', 'reporterPhone'] },
];

/** The header written into templates and row reports, by column key. */
const headerOf = (columns: ColumnSpec[], key: string) => columns.find((c) => c.key === key)?.headers[0] ?? key;

const REQUIRED = '必填 / required';

export async function supervisionTemplate(): Promise<Buffer> {
  return templateWorkbook(SUPERVISION_COLUMNS, '督查通报', ['市级', '淄创城通〔2026〕18号', '1401', '人民路与华光路路口人行道机动车乱停放', '人民路 12 号', '118.0523', '36.8107', '', '2026-05-08 09:30', '']);
}

export async function hotlineTemplate(): Promise<Buffer> {
  return templateWorkbook(HOTLINE_COLUMNS, '12345工单', ['ZB202605080001', '2026-05-08 09:12', '城市管理-乱停车', '小区门口人行道长期有车辆停放，行人无法通过', '人民路 12 号', '118.0523', '36.8107', '', '王女士', '13912345678']);
}

export interface SupervisionOptions {
  /** One level for the whole file; a row's own 通报级别 wins. */
  level?: SourceLevel | null;
  /** One notice number for the whole file; a row's own 通报编号 wins. */
  sourceRef?: string | null;
  /** File and dispatch every problem at once by the 责任清单 (default true). */
  dispatch?: boolean;
  /** Coordinates in the file are WGS-84 (default) or GCJ-02 (picked on an AMap/Tencent map). */
  crs?: Crs;
  /** Check everything, run the batch, then roll it back: the report says what an import would do. */
  dryRun?: boolean;
  filename?: string;
}

export interface HotlineOptions {
  crs?: Crs;
  dryRun?: boolean;
  filename?: string;
}

export interface CaseImportReport {
  kind: CaseImportKind;
  dryRun: boolean;
  imported: number;
  /** A dry run: how many cases the import would create. */
  wouldImport?: number;
  caseIds: number[];
  /** Rows that look like an open case nearby of the same category, in the database or earlier in the file. */
  duplicates: { row: number; caseId: number | null; of: { caseId: number | null; caseNo: string | null; row: number | null; distanceM: number }[] }[];
  /** Rows that are 反弹 (the same problem closed nearby recently). */
  rebounds: { row: number; caseId: number | null; ofCaseId: number; spotFlagged: boolean }[];
  /** Hotline rows whose 工单编号 was imported before: skipped. */
  alreadyImported: { row: number; ref: string; caseId: number }[];
  /** Deadlines that fall in a year without the official holiday schedule (期限可能不准确). */
  deadlineWarnings: string[];
}

interface Draft {
  row: number;
  input: IntakeInput;
  ctx: IntakeContext;
  /** Kept on the case's first event: where it came from in the file. */
  note: Record<string, unknown>;
  columnOfField: Record<string, string>;
}

interface Lookups {
  resolveCategory: ReturnType<typeof categoryResolver>;
  points: Map<string, NamedPoint[]>;
}

function assertMayImport(actor: Actor) {
  if (!IMPORT_ROLES.includes(actor.user.role)) throw new Problem('FORBIDDEN');
}

async function readRows(data: Buffer, columns: ColumnSpec[]): Promise<SheetRow[]> {
  const rows = await readSheet(data, columns);
  if (!rows.length) throw new Problem('BAD_REQUEST', { reason: 'the file holds no rows' });
  if (rows.length > MAX_CASE_IMPORT_ROWS) throw new Problem('BAD_REQUEST', { reason: `at most ${MAX_CASE_IMPORT_ROWS} rows per import; split the file` });
  // PostgreSQL text cannot hold NUL; a stray one in a cell is dropped rather than failing the import.
  for (const r of rows) for (const k of Object.keys(r.values)) r.values[k] = r.values[k].replaceAll('\u0000', '').trim();
  return rows;
}

async function loadLookups(deps: Deps, actor: Actor, rows: SheetRow[], keywords: readonly KeywordMapping[] = []): Promise<Lookups> {
  const categories = await categoryRepo.list(deps.db);
  const resolveCategory = categoryResolver(
    categories.map((c) => ({ code: c.code, nameZh: c.name_zh, nameEn: c.name_en, minor: c.code.length === 4, active: c.active === 1 })),
    keywords,
  );
  const names = rows.map((r) => r.values.point).filter((n): n is string => !!n);
  const points = new Map<string, NamedPoint[]>();
  for (const p of await importsRepo.pointsNamed(deps.db, actor.user.orgPath, names)) {
    const list = points.get(p.name) ?? [];
    list.push(p);
    points.set(p.name, list);
  }
  return { resolveCategory, points };
}

const OUTSIDE = '位置不在本辖区任何网格内 / the location is outside every grid of your area';

/**
 * Where a row's problem is: its coordinates, else its 点位's location. Checks the grids (prepareIntake) and
 * returns the intake context, or null after recording the row's errors.
 */
async function placeRow(
  deps: Deps,
  actor: Actor,
  r: SheetRow,
  columns: ColumnSpec[],
  lookups: Lookups,
  categoryCode: string | null,
  crs: Crs,
  errors: RowErrors,
): Promise<{ lat: number; lng: number; pointId: number | null; ctx: IntakeContext | null } | null> {
  const v = r.values;
  const lngCol = headerOf(columns, 'lng');
  const latCol = headerOf(columns, 'lat');
  const pointCol = headerOf(columns, 'point');
  let lng: number | null = null;
  let lat: number | null = null;
  let failed = false;
  if (v.lng || v.lat) {
    const pLng = v.lng ? parseCoordinate(v.lng, -180, 180) : ({ ok: false, reason: '经纬度须同时填写 / give both longitude and latitude' } as const);
    const pLat = v.lat ? parseCoordinate(v.lat, -90, 90) : ({ ok: false, reason: '经纬度须同时填写 / give both longitude and latitude' } as const);
    if (!pLng.ok) errors.add(r.row, lngCol, pLng.reason);
    if (!pLat.ok) errors.add(r.row, latCol, pLat.reason);
    if (pLng.ok && pLat.ok) [lng, lat] = convertPosition([pLng.value, pLat.value], crs, 'WGS84');
    else failed = true;
  }
  let point: NamedPoint | null = null;
  if (v.point) {
    const candidates = lookups.points.get(v.point) ?? [];
    if (!candidates.length) {
      errors.add(r.row, pointCol, `本辖区没有名为"${v.point.slice(0, 40)}"的点位 / no active point of this name in your area`);
      failed = true;
    } else if (lng !== null && lat !== null) {
      const here = await locatePlace(deps, lng, lat);
      const inStreet = candidates.filter((p) => !here || p.street_id === here.streetId);
      // Several points may share a name across streets; the one in the located street, nearest first.
      point = inStreet.sort((a, b) => Math.hypot(a.lng - lng!, a.lat - lat!) - Math.hypot(b.lng - lng!, b.lat - lat!))[0] ?? null;
      if (!point) {
        errors.add(r.row, pointCol, '该点位不在坐标所在街道 / the point is not in the street of the coordinates');
        failed = true;
      }
    } else if (candidates.length > 1) {
      errors.add(r.row, pointCol, `${candidates.length} 个点位同名，请填写经纬度 / ${candidates.length} points share this name: give coordinates`);
      failed = true;
    } else {
      point = candidates[0];
      lng = point.lng;
      lat = point.lat;
    }
  }
  if (failed) return null;
  if (lng === null || lat === null) {
    errors.add(r.row, lngCol, '须填写经纬度或可匹配的点位 / give coordinates or a known 点位');
    return null;
  }
  const column = v.lng ? lngCol : pointCol;
  if (!categoryCode) {
    // The category is wrong already; still say whether the place is right, so one round of fixes is enough.
    if (!(await locatePlace(deps, lng, lat))) errors.add(r.row, column, OUTSIDE);
    return null;
  }
  try {
    const ctx = await prepareIntake(deps, actor, { categoryCode, lat, lng });
    return { lat, lng, pointId: point?.id ?? null, ctx };
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    if (err.code === 'OUTSIDE_GRIDS') errors.add(r.row, column, OUTSIDE);
    else errors.add(r.row, headerOf(columns, err.params.field === 'categoryCode' ? 'category' : 'lng'), String(err.params.reason ?? err.message));
    return null;
  }
}

function textCell(r: SheetRow, columns: ColumnSpec[], key: string, max: number, errors: RowErrors, opts: { required?: boolean; min?: number } = {}): string | null {
  const v = r.values[key] ?? '';
  if (!v) {
    if (opts.required) errors.add(r.row, headerOf(columns, key), REQUIRED);
    return null;
  }
  if (v.length > max) {
    errors.add(r.row, headerOf(columns, key), `最多 ${max} 个字 / at most ${max} characters`);
    return null;
  }
  if (opts.min && [...v].length < opts.min) {
    errors.add(r.row, headerOf(columns, key), `至少 ${opts.min} 个字 / at least ${opts.min} characters`);
    return null;
  }
  return v;
}

function timeCell(r: SheetRow, columns: ColumnSpec[], key: string, errors: RowErrors): string | null {
  const v = r.values[key];
  if (!v) return null;
  const t = parseBeijingTime(v);
  if (!t.ok) errors.add(r.row, headerOf(columns, key), t.reason);
  return t.ok ? t.value : null;
}

const COLUMN_KEY_OF_FIELD: Record<string, string> = {
  categoryCode: 'category',
  lat: 'lng',
  lng: 'lng',
  pointId: 'point',
  unitId: 'category',
  description: 'description',
  address: 'address',
  sourceLevel: 'level',
  sourceRef: 'ref',
};

const fieldColumns = (columns: ColumnSpec[]) => Object.fromEntries(Object.entries(COLUMN_KEY_OF_FIELD).map(([f, k]) => [f, headerOf(columns, k)]));

// ---- 督查通报 ---------------------------------------------------------------------------------------------------

export async function importSupervision(deps: Deps, actor: Actor, data: Buffer, opts: SupervisionOptions = {}): Promise<CaseImportReport> {
  assertMayImport(actor);
  const columns = SUPERVISION_COLUMNS;
  const rows = await readRows(data, columns);
  const lookups = await loadLookups(deps, actor, rows);
  const errors = new RowErrors();
  const dispatch = opts.dispatch ?? true;
  const crs = opts.crs ?? 'WGS84';
  const drafts: Draft[] = [];
  for (const r of rows) {
    const v = r.values;
    let level: SourceLevel | null = opts.level ?? null;
    if (v.level) {
      const parsed = parseLevel(v.level);
      if (parsed.ok) level = parsed.value;
      else errors.add(r.row, headerOf(columns, 'level'), parsed.reason);
    } else if (!level) {
      errors.add(r.row, headerOf(columns, 'level'), '必填（或为整个文件选择通报级别）/ required (or choose one level for the whole file)');
    }
    const ref = v.ref ? textCell(r, columns, 'ref', 100, errors) : (opts.sourceRef ?? null);
    if (!v.ref && !opts.sourceRef) errors.add(r.row, headerOf(columns, 'ref'), '必填（或为整个文件填写通报编号）/ required (or give one notice number for the whole file)');
    const category = v.category ? lookups.resolveCategory(v.category) : null;
    if (!v.category) errors.add(r.row, headerOf(columns, 'category'), REQUIRED);
    else if (category && !category.ok) errors.add(r.row, headerOf(columns, 'category'), category.reason);
    const categoryCode = category?.ok ? category.value : null;
    const description = textCell(r, columns, 'description', 2000, errors, { required: true, min: 2 });
    const address = textCell(r, columns, 'address', 200, errors);
    const foundAt = timeCell(r, columns, 'foundAt', errors);
    // 照片: embedded pictures do not survive as cell values; a link is kept as text on the case's first event.
    const photoUrl = /^https?:\/\/\S+$/i.test(v.photo ?? '') && v.photo.length <= 500 ? v.photo : null;
    const place = await placeRow(deps, actor, r, columns, lookups, categoryCode, crs, errors);
    if (!place?.ctx || !categoryCode || !description || !level || !ref) continue;
    if (dispatch) {
      const routing = await resolveResponsibleUnit(deps.db, { categoryCode, pointId: place.pointId, location: place.ctx.place });
      if (!routing.unit) {
        errors.add(r.row, headerOf(columns, 'category'), '责任清单未指定此处的责任单位，请先完善责任清单 / the 责任清单 names no unit here');
        continue;
      }
    }
    drafts.push({
      row: r.row,
      ctx: place.ctx,
      columnOfField: fieldColumns(columns),
      input: {
        source: 'supervision',
        sourceLevel: level,
        sourceRef: ref,
        categoryCode,
        lat: place.lat,
        lng: place.lng,
        pointId: place.pointId,
        description,
        address,
        dispatch,
      },
      note: { kind: 'supervision', file: opts.filename ?? null, row: r.row, foundAt, photoUrl },
    });
  }
  errors.list.sort((a, b) => a.row - b.row);
  errors.throwIfAny();
  return commitBatch(deps, actor, 'supervision', drafts, [], opts);
}

// ---- 12345 热线工单 ----------------------------------------------------------------------------------------------

export const hotlineKey = (ref: string) => `hotline:${ref}`;

export async function importHotline(deps: Deps, actor: Actor, data: Buffer, opts: HotlineOptions = {}): Promise<CaseImportReport> {
  assertMayImport(actor);
  const columns = HOTLINE_COLUMNS;
  const rows = await readRows(data, columns);
  const lookups = await loadLookups(deps, actor, rows, await hotlineCategoryMap(deps.db));
  const crs = opts.crs ?? 'WGS84';
  const errors = new RowErrors();
  const refCol = headerOf(columns, 'ref');
  const existing = await importsRepo.casesByKeys(deps.db, rows.map((r) => r.values.ref).filter(Boolean).map(hotlineKey));
  const alreadyImported: CaseImportReport['alreadyImported'] = [];
  const firstRowOfRef = new Map<string, number>();
  const drafts: Draft[] = [];
  for (const r of rows) {
    const v = r.values;
    const ref = textCell(r, columns, 'ref', 60, errors, { required: true });
    if (!ref) continue;
    const earlier = firstRowOfRef.get(ref);
    if (earlier !== undefined) {
      errors.add(r.row, refCol, `与第 ${earlier} 行工单编号重复 / the same work order as row ${earlier}`);
      continue;
    }
    firstRowOfRef.set(ref, r.row);
    const caseId = existing.get(hotlineKey(ref));
    if (caseId !== undefined) {
      // Imported before: skipped without a second look, whatever else the row says now.
      alreadyImported.push({ row: r.row, ref, caseId });
      continue;
    }
    const acceptedAt = timeCell(r, columns, 'acceptedAt', errors);
    const description = textCell(r, columns, 'description', 2000, errors, { required: true, min: 2 });
    // 诉求类别 by code, name or keyword; an empty one is guessed from the keywords in 诉求内容 (verified on site anyway).
    const category = v.category ? lookups.resolveCategory(v.category) : description ? lookups.resolveCategory(description, { keywordsOnly: true }) : null;
    if (category && !category.ok) errors.add(r.row, headerOf(columns, 'category'), v.category ? category.reason : `诉求类别为空，且诉求内容中没有可识别的关键词 / no category given and none recognised in the content`);
    const categoryCode = category?.ok ? category.value : null;
    const address = textCell(r, columns, 'address', 200, errors);
    const name = textCell(r, columns, 'name', 50, errors);
    let phone: string | null = null;
    if (v.phone) {
      const p = parsePhone(v.phone);
      if (p.ok) phone = p.value;
      else errors.add(r.row, headerOf(columns, 'phone'), p.reason);
    }
    const place = await placeRow(deps, actor, r, columns, lookups, categoryCode, crs, errors);
    if (!place?.ctx || !categoryCode || !description) continue;
    drafts.push({
      row: r.row,
      ctx: place.ctx,
      columnOfField: fieldColumns(columns),
      input: {
        source: 'hotline',
        sourceRef: ref,
        categoryCode,
        lat: place.lat,
        lng: place.lng,
        pointId: place.pointId,
        description,
        address,
        reporterName: name ?? '12345 市民',
        reporterPhone: phone,
        idempotencyKey: hotlineKey(ref),
        dispatch: false,
      },
      note: { kind: 'hotline', file: opts.filename ?? null, row: r.row, acceptedAt, hotlineCategory: v.category || null },
    });
  }
  errors.list.sort((a, b) => a.row - b.row);
  errors.throwIfAny();
  return commitBatch(deps, actor, 'hotline', drafts, alreadyImported, opts);
}

// ---- the batch -----------------------------------------------------------------------------------------------

/** Carries a dry run's report out of the transaction it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly report: CaseImportReport) {
    super('dry run');
  }
}

/** An intake refusal during the batch, as a row report: the transaction is rolled back by the throw. */
function rowFailure(err: unknown, d: Draft): unknown {
  if (!(err instanceof Problem) || err.status >= 500) return err;
  const field = typeof err.params.field === 'string' ? err.params.field : '';
  const column = d.columnOfField[field] ?? (field || '—');
  const reason = err.params.reason ? String(err.params.reason) : err.message;
  return new Problem('IMPORT_FAILED', { count: 1 }, { rows: [{ row: d.row, column, reason }] });
}

async function commitBatch(
  deps: Deps,
  actor: Actor,
  kind: CaseImportKind,
  drafts: Draft[],
  alreadyImported: CaseImportReport['alreadyImported'],
  opts: { dryRun?: boolean; filename?: string },
): Promise<CaseImportReport> {
  const dryRun = opts.dryRun ?? false;
  const run = async (trx: Transaction<Database>): Promise<CaseImportReport> => {
    const report: CaseImportReport = { kind, dryRun, imported: 0, caseIds: [], duplicates: [], rebounds: [], alreadyImported, deadlineWarnings: [] };
    const rowOfCase = new Map<number, number>();
    for (const d of drafts) {
      let res: IntakeResult;
      try {
        res = await intakeCase(deps, actor, d.input, d.ctx, trx);
      } catch (err) {
        throw rowFailure(err, d);
      }
      if (!res.created) {
        // Another import of the same work order committed between our check and this transaction.
        report.alreadyImported.push({ row: d.row, ref: d.input.sourceRef ?? '', caseId: res.caseId });
        continue;
      }
      rowOfCase.set(res.caseId, d.row);
      report.caseIds.push(res.caseId);
      if (res.duplicates.length) {
        report.duplicates.push({
          row: d.row,
          caseId: res.caseId,
          of: res.duplicates.map((x) => ({ caseId: x.id, caseNo: x.caseNo, row: rowOfCase.get(x.id) ?? null, distanceM: x.distanceM })),
        });
      }
      if (res.rebound) report.rebounds.push({ row: d.row, caseId: res.caseId, ofCaseId: res.rebound.ofCaseId, spotFlagged: res.rebound.spotFlagged });
      await importsRepo.annotateReportEvent(trx, res.caseId, d.note);
    }
    report.imported = report.caseIds.length;
    if (report.caseIds.length) {
      const warnings = await trx.selectFrom('cases').select('deadline_warning').distinct().where('id', 'in', report.caseIds.slice(0, 1000)).where('deadline_warning', 'is not', null).execute();
      report.deadlineWarnings = warnings.map((w) => w.deadline_warning!).filter(Boolean);
    }
    if (dryRun) {
      // Ids of a rolled-back batch mean nothing: rows say which is which.
      const batch = new Set(report.caseIds);
      const inBatch = (id: number | null) => id !== null && batch.has(id);
      throw new DryRunRollback({
        ...report,
        imported: 0,
        wouldImport: report.caseIds.length,
        caseIds: [],
        duplicates: report.duplicates.map((x) => ({
          ...x,
          caseId: null,
          of: x.of.map((o) => (inBatch(o.caseId) ? { ...o, caseId: null, caseNo: null } : o)),
        })),
        rebounds: report.rebounds.map((x) => ({ ...x, caseId: null })),
      });
    }
    await audit(trx, actor, {
      action: `case.import.${kind}`,
      targetType: 'case',
      orgPath: actor.user.orgPath,
      detail: { file: opts.filename ?? null, imported: report.imported, alreadyImported: report.alreadyImported.length, caseIds: report.caseIds.slice(0, 200) },
    });
    return report;
  };
  try {
    const report = await deps.db.transaction().execute(run);
    if (report.imported) deps.notify('cases.changed', { imported: report.imported, source: kind });
    return report;
  } catch (err) {
    if (err instanceof DryRunRollback) return err.report;
    // A concurrent import of the same work orders won the race for the idempotency keys.
    if (isUniqueViolation(err)) throw new Problem('CONFLICT');
    throw err;
  }
}
