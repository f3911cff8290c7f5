// SQL for the 责任清单. A rule's place in the org tree is never copied onto the rule: it is joined from its
// target (org or point) at read time, so moving a grid to another community moves its rules' scope with it.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { RoutingRuleRow, RoutingRuleTable } from '../../db/schema.js';
import { subtreePattern } from '../../lib/scope.js';

export interface RuleListFilter {
  /** Rules whose target or unit lies in this subtree are visible. */
  scopePath: string;
  /** A category; a 大类 also lists the rules of its 小类. */
  categoryId?: number;
  /** Only any-category rules. */
  anyCategory?: boolean;
  scopeType?: string;
  unitOrgId?: number;
  /** Rules whose target lies inside this org's subtree. */
  targetPath?: string;
  pointId?: number;
  active?: boolean;
  q?: string;
}

export type RuleJoinedRow = RoutingRuleRow & {
  category_code: string | null;
  category_name_zh: string | null;
  category_name_en: string | null;
  category_kind: string | null;
  point_name: string | null;
  point_path: string | null;
  point_type_name_zh: string | null;
  point_type_name_en: string | null;
  target_name: string | null;
  target_kind: string | null;
  target_path: string | null;
  unit_name: string;
  unit_kind: string;
  unit_path: string;
  unit_active: number;
};

const joined = (db: Executor) =>
  db
    .selectFrom('routing_rules as r')
    .leftJoin('categories as c', 'c.id', 'r.category_id')
    .leftJoin('points as p', 'p.id', 'r.point_id')
    .leftJoin('point_types as pt', 'pt.code', 'r.point_type_code')
    .leftJoin('orgs as t', 't.id', 'r.scope_org_id')
    .innerJoin('orgs as u', 'u.id', 'r.unit_org_id');

const JOINED_COLUMNS = [
  'c.code as category_code',
  'c.name_zh as category_name_zh',
  'c.name_en as category_name_en',
  'c.kind as category_kind',
  'p.name as point_name',
  'p.org_path as point_path',
  'pt.name_zh as point_type_name_zh',
  'pt.name_en as point_type_name_en',
  't.name as target_name',
  't.kind as target_kind',
  't.path as target_path',
  'u.name as unit_name',
  'u.kind as unit_kind',
  'u.path as unit_path',
  'u.active as unit_active',
] as const;

// The scope types in the order of the tree, for a readable list.
const SCOPE_ORDER = sql<number>`CASE r.scope_type WHEN 'street' THEN 0 WHEN 'point_type' THEN 1 WHEN 'community' THEN 2 WHEN 'grid' THEN 3 ELSE 4 END`;

export interface RuleCandidateQuery {
  categoryIds: number[];
  pointId: number | null;
  pointTypeCode: string | null;
  streetId: number | null;
  /** Grid, micro-grid, community and street of the location. */
  orgIds: number[];
}

export interface RuleCandidateRow {
  id: number;
  category_code: string | null;
  scope_type: string;
  point_id: number | null;
  point_type_code: string | null;
  scope_org_id: number | null;
  unit_org_id: number;
}

export interface PointContextRow {
  id: number;
  name: string;
  type_code: string;
  guard_org_id: number | null;
  grid_id: number;
  micro_grid_id: number | null;
  community_id: number;
  street_id: number;
  org_path: string;
  active: number;
}

export const routingRepo = {
  async list(db: Executor, f: RuleListFilter, page: number, pageSize: number) {
    const pattern = subtreePattern(f.scopePath);
    let q = joined(db).where((eb) =>
      eb.or([eb(sql<string>`COALESCE(t.path, p.org_path)`, 'like', pattern), eb('u.path', 'like', pattern)]),
    );
    if (f.categoryId !== undefined) {
      const categoryId = f.categoryId;
      q = q.where((eb) => eb.or([eb('r.category_id', '=', categoryId), eb('c.parent_id', '=', categoryId)]));
    }
    if (f.anyCategory) q = q.where('r.category_id', 'is', null);
    if (f.scopeType) q = q.where('r.scope_type', '=', f.scopeType);
    if (f.unitOrgId !== undefined) q = q.where('r.unit_org_id', '=', f.unitOrgId);
    if (f.pointId !== undefined) q = q.where('r.point_id', '=', f.pointId);
    if (f.targetPath) q = q.where(sql<string>`COALESCE(t.path, p.org_path)`, 'like', subtreePattern(f.targetPath));
    if (f.active !== undefined) q = q.where('r.active', '=', f.active ? 1 : 0);
    if (f.q) {
      const like = `%${f.q}%`;
      q = q.where((eb) =>
        eb.or([eb('r.notes', 'like', like), eb('u.name', 'like', like), eb('t.name', 'like', like), eb('p.name', 'like', like), eb('c.name_zh', 'like', like)]),
      );
    }
    const [items, count] = await Promise.all([
      q
        .selectAll('r')
        .select(JOINED_COLUMNS)
        .orderBy(sql`COALESCE(c.code, '')`)
        .orderBy(SCOPE_ORDER)
        .orderBy('r.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: items as RuleJoinedRow[], total: Number(count.n) };
  },

  async byId(db: Executor, id: number): Promise<RuleJoinedRow | undefined> {
    return (await joined(db).selectAll('r').select(JOINED_COLUMNS).where('r.id', '=', id).executeTakeFirst()) as RuleJoinedRow | undefined;
  },

  async insert(db: Executor, values: Insertable<RoutingRuleTable>): Promise<number> {
    const { id } = await db.insertInto('routing_rules').values(values).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** Optimistic update: false when the version moved on. */
  async update(db: Executor, id: number, version: number, patch: Partial<Omit<RoutingRuleRow, 'id' | 'version'>>): Promise<boolean> {
    const res = await db
      .updateTable('routing_rules')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /** The active rule holding a key, other than `exceptId`. */
  activeWithKey(db: Executor, key: string, exceptId?: number) {
    let q = db.selectFrom('routing_rules').select('id').where('rule_key', '=', key).where('active', '=', 1);
    if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
    return q.executeTakeFirst();
  },

  /** Active rules that could apply at a place: its point, its point type in its street, its grids, community, street. */
  candidates(db: Executor, c: RuleCandidateQuery): Promise<RuleCandidateRow[]> {
    return db
      .selectFrom('routing_rules as r')
      .leftJoin('categories as c', 'c.id', 'r.category_id')
      .select(['r.id', 'c.code as category_code', 'r.scope_type', 'r.point_id', 'r.point_type_code', 'r.scope_org_id', 'r.unit_org_id'])
      .where('r.active', '=', 1)
      .where((eb) => (c.categoryIds.length ? eb.or([eb('r.category_id', 'is', null), eb('r.category_id', 'in', c.categoryIds)]) : eb('r.category_id', 'is', null)))
      .where((eb) => {
        const places = [];
        if (c.pointId !== null) places.push(eb.and([eb('r.scope_type', '=', 'point'), eb('r.point_id', '=', c.pointId)]));
        if (c.pointTypeCode !== null && c.streetId !== null) {
          places.push(eb.and([eb('r.scope_type', '=', 'point_type'), eb('r.point_type_code', '=', c.pointTypeCode), eb('r.scope_org_id', '=', c.streetId)]));
        }
        if (c.orgIds.length) places.push(eb.and([eb('r.scope_type', 'in', ['grid', 'community', 'street']), eb('r.scope_org_id', 'in', c.orgIds)]));
        return places.length ? eb.or(places) : sql<boolean>`1 = 0`;
      })
      .orderBy('r.id')
      .execute() as Promise<RuleCandidateRow[]>;
  },

  pointContext(db: Executor, id: number): Promise<PointContextRow | undefined> {
    return db
      .selectFrom('points')
      .select(['id', 'name', 'type_code', 'guard_org_id', 'grid_id', 'micro_grid_id', 'community_id', 'street_id', 'org_path', 'active'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** Changes whenever a rule, an org, a point or a category changes anywhere (cached resolutions compare it). */
  async stamp(db: Executor): Promise<string> {
    const part = (table: 'routing_rules' | 'orgs' | 'points' | 'categories') =>
      db
        .selectFrom(table)
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('version').as('v'), eb.fn.max('updated_at').as('u')])
        .executeTakeFirstOrThrow()
        .then((r) => `${Number(r.n)}:${Number(r.v ?? 0)}:${r.u ?? ''}`);
    return (await Promise.all([part('routing_rules'), part('orgs'), part('points'), part('categories')])).join('|');
  },

  /** Every active rule, as `candidates` returns them, with its category id. */
  activeRules(db: Executor): Promise<(RuleCandidateRow & { category_id: number | null })[]> {
    return db
      .selectFrom('routing_rules as r')
      .leftJoin('categories as c', 'c.id', 'r.category_id')
      .select(['r.id', 'r.category_id', 'c.code as category_code', 'r.scope_type', 'r.point_id', 'r.point_type_code', 'r.scope_org_id', 'r.unit_org_id'])
      .where('r.active', '=', 1)
      .orderBy('r.id')
      .execute();
  },

  /** Every point, as `pointContext` returns it. */
  allPointContexts(db: Executor): Promise<PointContextRow[]> {
    return db
      .selectFrom('points')
      .select(['id', 'name', 'type_code', 'guard_org_id', 'grid_id', 'micro_grid_id', 'community_id', 'street_id', 'org_path', 'active'])
      .execute();
  },

  /** Every org with what intake needs of it (path for scope, name, activity). */
  allOrgs(db: Executor) {
    return db.selectFrom('orgs').select(['id', 'kind', 'name', 'path', 'active']).execute();
  },

  pointType(db: Executor, code: string) {
    return db.selectFrom('point_types').select(['code', 'name_zh', 'name_en', 'active']).where('code', '=', code).executeTakeFirst();
  },

  org(db: Executor, id: number) {
    return db.selectFrom('orgs').select(['id', 'kind', 'name', 'path', 'parent_id', 'active']).where('id', '=', id).executeTakeFirst();
  },

  orgs(db: Executor, ids: number[]) {
    if (!ids.length) return Promise.resolve([] as { id: number; kind: string; name: string; path: string; parent_id: number | null; active: number }[]);
    return db.selectFrom('orgs').select(['id', 'kind', 'name', 'path', 'parent_id', 'active']).where('id', 'in', ids).execute();
  },

  /**
   * The active org of a kind inside a street whose name or short name contains `name` (a default unit type such
   * as `department:城管`): an exact name first, then by sort order.
   */
  findUnitByName(db: Executor, streetPath: string, kind: string, name: string) {
    const like = `%${name.replace(/[%_]/g, '')}%`;
    return db
      .selectFrom('orgs')
      .select(['id', 'name'])
      .where('kind', '=', kind)
      .where('active', '=', 1)
      .where('path', 'like', subtreePattern(streetPath))
      .where((eb) => eb.or([eb('name', 'like', like), eb('short_name', 'like', like)]))
      .orderBy(sql`CASE WHEN name = ${name} OR short_name = ${name} THEN 0 ELSE 1 END`)
      .orderBy('sort')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  },
};
