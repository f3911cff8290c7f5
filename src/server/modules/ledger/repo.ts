// SQL of the ledger export: pages of cases in order of discovery (keyset, never OFFSET) with every name joined in the same
// query, then one query per page for the events that fill 整改措施/核查人 and one for the photos.
import { type SelectQueryBuilder } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { Database } from '../../db/schema.js';
import { scopeOf } from '../cases/repo.js';
import { subtreeRange } from '../../lib/scope.js';
import { photoRepo } from '../photos/repo.js';

export interface LedgerFilter {
  /** The viewer's org subtree and id: the same scope as the case lists (territory, unit, or own reports). */
  scopePath: string;
  viewerId: number;
  /** The viewer sits at a street or district: territory alone decides (see cases/repo.ts scopeOf). */
  territorial?: boolean;
  /** Case states to include; never empty (the states behind the chosen 整改结果). */
  states: readonly string[];
  sources?: readonly string[];
  /** 4-digit 小类 codes, matched exactly. */
  categoryCodes?: readonly string[];
  /** 2-digit 大类 codes: every 小类 under them. */
  categoryPrefixes?: readonly string[];
  communityId?: number;
  /** Cases sent to this unit or any unit under it. */
  unitPath?: string;
  /** 发现时间 bounds, ISO instants, from inclusive, to exclusive. */
  createdFrom?: string;
  createdTo?: string;
}


function filtered<O>(q: SelectQueryBuilder<Database, 'cases', O>, f: LedgerFilter): SelectQueryBuilder<Database, 'cases', O> {
  let out = q.where((eb) => scopeOf(eb, f.scopePath, f.viewerId, !!f.territorial)).where('cases.status', 'in', [...f.states]);
  if (f.sources?.length) out = out.where('cases.source', 'in', [...f.sources]);
  const codes = f.categoryCodes ?? [];
  const prefixes = f.categoryPrefixes ?? [];
  if (codes.length || prefixes.length) {
    out = out.where((eb) =>
      eb.or([...(codes.length ? [eb('cases.category_code', 'in', [...codes])] : []), ...prefixes.map((p) => eb('cases.category_code', 'like', `${p}%`))]),
    );
  }
  if (f.communityId) out = out.where('cases.community_id', '=', f.communityId);
  if (f.unitPath) {
    const [lo, hi] = subtreeRange(f.unitPath);
    out = out.where('cases.unit_path', '>=', lo).where('cases.unit_path', '<', hi);
  }
  if (f.createdFrom) out = out.where('cases.created_at', '>=', f.createdFrom);
  if (f.createdTo) out = out.where('cases.created_at', '<', f.createdTo);
  return out;
}

/** Where the previous page ended. */
export interface LedgerCursor {
  createdAt: string;
  id: number;
}

export const ledgerRepo = {
  async count(db: Executor, f: LedgerFilter): Promise<number> {
    const row = await filtered(db.selectFrom('cases'), f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /**
   * One page of ledger rows after `after`, in order of discovery (发现时间, then id), with the names the columns
   * show. The (created_at, id) keyset follows the created_at indexes, so a period or community filter reads only
   * its own rows and no page sorts the whole table.
   */
  page(db: Executor, f: LedgerFilter, after: LedgerCursor | null, limit: number) {
    let q = filtered(db.selectFrom('cases'), f);
    if (after) q = q.where((eb) => eb(eb.refTuple('cases.created_at', 'cases.id'), '>', eb.tuple(after.createdAt, after.id)));
    return q
      .leftJoin('orgs as community', 'community.id', 'cases.community_id')
      .leftJoin('orgs as grid', 'grid.id', 'cases.grid_id')
      .leftJoin('points as point', 'point.id', 'cases.point_id')
      .leftJoin('orgs as unit', 'unit.id', 'cases.unit_id')
      .leftJoin('categories as category', 'category.code', 'cases.category_code')
      .leftJoin('users as checker', 'checker.id', 'cases.checker_id')
      .select([
        'cases.id',
        'cases.status',
        'cases.source',
        'cases.source_level',
        'cases.category_code',
        'cases.description',
        'cases.address',
        'cases.created_at',
        'cases.deadline',
        'cases.closed_at',
        'cases.is_rebound',
        'community.name as community_name',
        'grid.name as grid_name',
        'grid.short_name as grid_short_name',
        'point.name as point_name',
        'point.responsible_name as point_responsible',
        'unit.name as unit_name',
        'unit.contact_name as unit_contact',
        'category.name_zh as category_name',
        'checker.display_name as checker_name',
      ])
      .orderBy('cases.created_at')
      .orderBy('cases.id')
      .limit(limit)
      .execute();
  },

  /** The events that fill 整改措施 (the last feedback) and 核查人 (the last check) for a page of cases. */
  loopEvents(db: Executor, caseIds: number[]) {
    if (!caseIds.length) return Promise.resolve([]);
    return db
      .selectFrom('case_events')
      .select(['case_id', 'action', 'actor_name', 'note', 'data'])
      .where('case_id', 'in', caseIds)
      .where('action', 'in', ['feedback', 'pass_check', 'fail_check'])
      .orderBy('case_id')
      .orderBy('id')
      .execute();
  },

  /** Before/after photos of a page of cases (full photo rows, to find their files without a query per photo). */
  async photos(db: Executor, caseIds: number[]) {
    const rows = await photoRepo.forOwners(db, 'case', caseIds);
    return rows.filter((r) => r.link_role === 'before' || r.link_role === 'after');
  },

  /** How many before/after photos each case of a page has (CSV, or an export without images). */
  photoCounts(db: Executor, caseIds: number[]) {
    if (!caseIds.length) return Promise.resolve([]);
    return db
      .selectFrom('photo_links')
      .select(['owner_id', 'role', (eb) => eb.fn.countAll<number>().as('n')])
      .where('owner_type', '=', 'case')
      .where('owner_id', 'in', caseIds)
      .where('role', 'in', ['before', 'after'])
      .groupBy(['owner_id', 'role'])
      .execute();
  },

  /**
   * Cases that a later case was linked to as a rebound (反弹). Rebounds are few, so one pass over the table per
   * export beats a per-page lookup on a column without an index.
   */
  async reboundedIds(db: Executor): Promise<Set<number>> {
    const rows = await db.selectFrom('cases').select('rebound_of_id').distinct().where('rebound_of_id', 'is not', null).execute();
    return new Set(rows.map((r) => r.rebound_of_id!));
  },

  org(db: Executor, id: number) {
    return db.selectFrom('orgs').select(['id', 'name', 'short_name', 'kind', 'path']).where('id', '=', id).executeTakeFirst();
  },

  /** The org nodes on a materialized path, root first (to find the viewer's 街道 for the title). */
  async ancestors(db: Executor, path: string) {
    const ids = path.split('/').filter(Boolean).map(Number).filter((n) => Number.isSafeInteger(n));
    if (!ids.length) return [];
    const rows = await db.selectFrom('orgs').select(['id', 'name', 'kind']).where('id', 'in', ids).execute();
    return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is NonNullable<typeof r> => !!r);
  },

  categoryExists(db: Executor, code: string) {
    return db.selectFrom('categories').select('id').where('code', '=', code).executeTakeFirst();
  },
};

export type LedgerCaseRow = Awaited<ReturnType<typeof ledgerRepo.page>>[number];
export type LedgerPhotoRow = Awaited<ReturnType<typeof ledgerRepo.photos>>[number];
