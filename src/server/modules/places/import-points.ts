// Point import from a spreadsheet (名称, 类型, 经度, 纬度, 地址, 包保单位, 责任人, 责任人电话, plus one column per
// type-specific field) or a GeoJSON FeatureCollection. Every row is checked first and every error reported with
// its row and column; then all rows go in one transaction, or none.
import type { Actor, Deps } from '../../lib/context.js';
import { Problem } from '../../errors.js';
import { audit } from '../../lib/audit.js';
import { inScope } from '../../lib/scope.js';
import { nowIso } from '../../db/database.js';
import { readSheet, RowErrors, templateWorkbook, MAX_IMPORT_ROWS, type ColumnSpec } from '../../lib/imports.js';
import { convertGeometry, parseGeometry, type Crs, type Geometry } from '../../../core/geo/index.js';
import { placesRepo, type NewPoint, type PointTypeRow } from './repo.js';
import { gridIndexFor } from './grid-cache.js';
import { checkPointDraft, type PointDraft } from './points.js';
import { forgetPointPages } from './service.js';

export type ImportPayload = { kind: 'xlsx'; data: Buffer } | { kind: 'geojson'; value: unknown };

const BASE_COLUMNS: ColumnSpec[] = [
  { key: 'name', headers: ['名称', '点位名称', 'name'], required: true },
  { key: 'type', headers: ['类型', '点位类型', 'type', 'typeCode'], required: true },
  { key: 'lng', headers: ['经度', 'lng', 'longitude'], required: true },
  { key: 'lat', headers: ['纬度', 'lat', 'latitude'], required: true },
  { key: 'address', headers: ['地址', 'address'] },
  { key: 'guardOrg', headers: ['包保单位', 'guardOrg'] },
  { key: 'responsibleName', headers: ['责任人', 'responsibleName'] },
  { key: 'responsiblePhone', headers: ['责任人电话', '联系电话', 'responsiblePhone'] },
];

/** The spreadsheet columns: the fixed ones, then one per type-specific field (户数, 长度(m)…). */
export function pointColumns(types: PointTypeRow[]): ColumnSpec[] {
  const attrColumns = new Map<string, ColumnSpec>();
  for (const t of types) {
    for (const f of t.fields) {
      if (attrColumns.has(f.key)) continue;
      const label = f.unit ? `${f.zh}(${f.unit})` : f.zh;
      attrColumns.set(f.key, { key: `attr:${f.key}`, headers: [label, f.zh, f.key] });
    }
  }
  return [...BASE_COLUMNS, ...attrColumns.values()];
}

export async function pointTemplate(deps: Deps): Promise<Buffer> {
  const types = await placesRepo.pointTypes(deps.db);
  const columns = pointColumns(types);
  const example = ['人民公园', '公园广场', '118.0523', '36.8107', '人民路1号', '城管科', '张三', '13800138000'];
  return templateWorkbook(columns, '点位', example);
}

/** PostgreSQL text cannot hold NUL; a stray one in a file is dropped rather than failing the import. */
export const stripNul = (s: string) => s.replaceAll('\u0000', '');

const normaliseName = (s: string) => s.replace(/（/g, '(').replace(/）/g, ')').replace(/\s/g, '').toLowerCase();

/** A type by code, Chinese name, English name, or Chinese name without its parenthesised part (农贸市场). */
function typeResolver(types: PointTypeRow[]) {
  const aliases = new Map<string, PointTypeRow>();
  const add = (key: string, t: PointTypeRow) => {
    const k = normaliseName(key);
    if (k && !aliases.has(k)) aliases.set(k, t);
  };
  for (const t of types) {
    add(t.code, t);
    add(t.nameZh, t);
    add(t.nameEn, t);
  }
  for (const t of types) add(normaliseName(t.nameZh).replace(/\([^)]*\)/g, ''), t);
  return (text: string) => aliases.get(normaliseName(text)) ?? null;
}

interface Draft {
  row: number;
  /** Error column per API field, in the language of the source (spreadsheet headers or GeoJSON properties). */
  columns: Record<string, string>;
  draft: PointDraft | null;
  /** Columns that already carry an error: later checks do not pile onto them. */
  failed: Set<string>;
}

const XLSX_COLUMN_OF: Record<string, string> = {
  name: '名称',
  typeCode: '类型',
  geometry: '经度',
  guardOrgId: '包保单位',
  responsibleName: '责任人',
  responsiblePhone: '责任人电话',
  address: '地址',
};

const GEOJSON_COLUMN_OF: Record<string, string> = {
  name: 'name',
  typeCode: 'typeCode',
  geometry: 'geometry',
  guardOrgId: 'guardOrg',
  responsibleName: 'responsibleName',
  responsiblePhone: 'responsiblePhone',
  address: 'address',
};

function parseCoordinate(text: string, min: number, max: number): number | string {
  const t = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return 'must be a number in decimal degrees';
  const v = Number(t);
  if (v < min || v > max) return `must be within ${min}..${max}`;
  return v;
}

/** 包保单位 by name: one query for every distinct name, exact names before short names. */
async function guardsByName(deps: Deps, actor: Actor, names: string[]) {
  const rows = await placesRepo.guardCandidates(deps.db, actor.user.orgPath, [...new Set(names)]);
  return (name: string): { id: number } | { error: string } => {
    const exact = rows.filter((r) => r.name === name);
    const matches = exact.length ? exact : rows.filter((r) => r.short_name === name);
    if (matches.length === 1) return { id: matches[0].id };
    if (matches.length === 0) return { error: 'no active unit of this name in your area' };
    return { error: `${matches.length} units share this name; use the full name` };
  };
}

async function draftsFromSheet(deps: Deps, actor: Actor, data: Buffer, types: PointTypeRow[], crs: Crs, errors: RowErrors): Promise<Draft[]> {
  const columns = pointColumns(types);
  const rows = await readSheet(data, columns);
  const resolveType = typeResolver(types);
  const guard = await guardsByName(deps, actor, rows.map((r) => stripNul(r.values.guardOrg ?? '')).filter(Boolean));
  const attrColumns = columns.filter((c) => c.key.startsWith('attr:'));
  const columnOf: Record<string, string> = { ...XLSX_COLUMN_OF };
  for (const c of attrColumns) columnOf[`attrs.${c.key.slice(5)}`] = c.headers[0];
  return rows.map((r) => {
    const v = Object.fromEntries(Object.entries(r.values).map(([k, x]) => [k, stripNul(x)]));
    const failed = new Set<string>();
    const fail = (column: string, reason: string) => {
      errors.add(r.row, column, reason);
      failed.add(column);
    };
    const name = v.name ?? '';
    if (!name) fail('名称', '必填 / required');
    const type = v.type ? resolveType(v.type) : null;
    if (!v.type) fail('类型', '必填 / required');
    else if (!type) fail('类型', `unknown point type "${v.type.slice(0, 40)}"`);
    const lng = v.lng ? parseCoordinate(v.lng, -180, 180) : '必填 / required';
    const lat = v.lat ? parseCoordinate(v.lat, -90, 90) : '必填 / required';
    if (typeof lng === 'string') fail('经度', lng);
    if (typeof lat === 'string') fail('纬度', lat);
    let guardOrgId: number | null = null;
    if (v.guardOrg) {
      const g = guard(v.guardOrg);
      if ('error' in g) fail('包保单位', g.error);
      else guardOrgId = g.id;
    }
    const attrs: Record<string, unknown> = {};
    for (const c of attrColumns) if (v[c.key]) attrs[c.key.slice(5)] = v[c.key];
    if (typeof lng === 'string' || typeof lat === 'string') return { row: r.row, columns: columnOf, draft: null, failed };
    const geometry = convertGeometry<Geometry>({ type: 'Point', coordinates: [lng, lat] }, crs, 'WGS84');
    return {
      row: r.row,
      columns: columnOf,
      failed,
      draft: {
        name,
        type,
        geometry,
        guardOrgId,
        responsibleName: v.responsibleName || null,
        responsiblePhone: v.responsiblePhone || null,
        address: v.address || null,
        attrs,
        attrsFromText: true,
      },
    };
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Checks the envelope of an uploaded FeatureCollection; the features are checked one by one later. */
export function featuresOf(value: unknown): unknown[] {
  if (!isObject(value) || value.type !== 'FeatureCollection' || !Array.isArray(value.features)) {
    throw new Problem('UNSUPPORTED_FILE', { reason: 'expected a GeoJSON FeatureCollection' });
  }
  if (value.features.length > MAX_IMPORT_ROWS) throw new Problem('BAD_REQUEST', { reason: `at most ${MAX_IMPORT_ROWS} features per import` });
  return value.features;
}

async function draftsFromGeoJson(deps: Deps, actor: Actor, value: unknown, types: PointTypeRow[], crs: Crs, errors: RowErrors): Promise<Draft[]> {
  const features = featuresOf(value);
  const resolveType = typeResolver(types);
  const propsOf = (f: unknown) => (isObject(f) && isObject(f.properties) ? f.properties : {});
  const guard = await guardsByName(
    deps,
    actor,
    features
      .map((f) => propsOf(f).guardOrg)
      .filter((n): n is string => typeof n === 'string' && n.length > 0 && n.length <= 100)
      .map(stripNul),
  );
  const guardIds = features.map((f) => propsOf(f).guardOrgId).filter((n): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) < 2 ** 31);
  const guardRows = await placesRepo.orgsByIds(deps.db, [...new Set(guardIds)]);
  const guardById = new Map(guardRows.map((g) => [g.id, g]));
  return features.map((f, i) => {
    const row = i + 1;
    const failed = new Set<string>();
    const fail = (column: string, reason: string) => {
      errors.add(row, column, reason);
      failed.add(column);
    };
    if (!isObject(f) || f.type !== 'Feature') {
      fail('feature', 'is not a GeoJSON Feature');
      return { row, columns: GEOJSON_COLUMN_OF, draft: null, failed };
    }
    const p = propsOf(f);
    const text = (key: string, max: number): string | null => {
      const v = p[key];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v !== 'string') {
        fail(key, 'must be text');
        return null;
      }
      if (v.length > max) {
        fail(key, `must be at most ${max} characters`);
        return null;
      }
      return stripNul(v);
    };
    const name = text('name', 100);
    if (name === null && !failed.has('name')) fail('name', 'is required');
    const typeText = p.typeCode ?? p.type;
    const type = typeof typeText === 'string' ? resolveType(typeText) : null;
    if (!type) fail('typeCode', typeText === undefined ? 'is required' : `unknown point type ${JSON.stringify(typeText).slice(0, 40)}`);
    let guardOrgId: number | null = null;
    if (p.guardOrgId !== undefined && p.guardOrgId !== null) {
      const g = typeof p.guardOrgId === 'number' ? guardById.get(p.guardOrgId) : undefined;
      if (!g || !inScope(actor.user, g.path)) fail('guardOrg', 'is not a unit in your area');
      else guardOrgId = g.id;
    } else {
      const guardName = text('guardOrg', 100);
      if (guardName) {
        const g = guard(guardName);
        if ('error' in g) fail('guardOrg', g.error);
        else guardOrgId = g.id;
      }
    }
    const responsibleName = text('responsibleName', 50);
    const responsiblePhone = text('responsiblePhone', 20);
    const address = text('address', 200);
    let attrs: Record<string, unknown> = {};
    if (p.attrs !== undefined && p.attrs !== null) {
      if (!isObject(p.attrs)) fail('attrs', 'must be an object');
      else attrs = p.attrs;
    }
    const parsed = parseGeometry(f.geometry, { maxPositions: 20_000 });
    if (!parsed.ok) {
      fail('geometry', parsed.reason);
      return { row, columns: GEOJSON_COLUMN_OF, draft: null, failed };
    }
    return {
      row,
      columns: GEOJSON_COLUMN_OF,
      failed,
      draft: { name: name ?? '', type, geometry: convertGeometry(parsed.geometry, crs, 'WGS84'), guardOrgId, responsibleName, responsiblePhone, address, attrs },
    };
  });
}

export async function importPoints(deps: Deps, actor: Actor, payload: ImportPayload, crs: Crs = 'WGS84'): Promise<{ imported: number }> {
  const types = await placesRepo.pointTypes(deps.db);
  const errors = new RowErrors();
  const drafts =
    payload.kind === 'xlsx'
      ? await draftsFromSheet(deps, actor, payload.data, types, crs, errors)
      : await draftsFromGeoJson(deps, actor, payload.value, types, crs, errors);
  if (!drafts.length) throw new Problem('BAD_REQUEST', { reason: 'the file holds no points' });
  const index = await gridIndexFor(deps.db);
  const now = nowIso();
  const rows: NewPoint[] = [];
  for (const d of drafts) {
    if (!d.draft) continue;
    const { row, errors: found } = checkPointDraft(index, actor, d.draft, now);
    for (const e of found) {
      const column = d.columns[e.field] ?? e.field;
      // The type and the name were reported in their own words already.
      if (d.failed.has(column) || (e.field === 'typeCode' && d.failed.has(d.columns.typeCode))) continue;
      errors.add(d.row, column, e.code === 'OUTSIDE_GRIDS' ? 'the location is outside every grid of your area' : e.reason);
      d.failed.add(column);
    }
    if (row) rows.push(row);
  }
  // Rows in file order; within a row, columns in the order they were checked (the sort is stable).
  errors.list.sort((a, b) => a.row - b.row);
  errors.throwIfAny();
  await deps.db.transaction().execute(async (trx) => {
    await placesRepo.insertPoints(trx, rows);
    forgetPointPages();
    await audit(trx, actor, { action: 'point.import', targetType: 'point', orgPath: actor.user.orgPath, detail: { count: rows.length, source: payload.kind, crs } });
  });
  deps.notify('points', { imported: rows.length });
  return { imported: rows.length };
}
