// SQL for problem categories. Categories are one list for the whole installation (a city-wide standard), so
// reads take no org scope.
import { sql } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { CategoryRow, CategoryTable } from '../../db/schema.js';
import type { Insertable } from 'kysely';

export type CategoryWithParent = CategoryRow & {
  parent_code: string | null;
  parent_limit_unit: string | null;
  parent_limit_value: number | null;
};

export interface CategoryListFilter {
  kind?: string;
  active?: boolean;
  citizenReportable?: boolean;
  q?: string;
}

const withParent = (db: Executor) =>
  db
    .selectFrom('categories as c')
    .leftJoin('categories as p', 'p.id', 'c.parent_id')
    .selectAll('c')
    .select(['p.code as parent_code', 'p.limit_unit as parent_limit_unit', 'p.limit_value as parent_limit_value']);

export const categoryRepo = {
  /** Every matching category, 大类 and 小类 together, in code order (a street has a few dozen). */
  list(db: Executor, f: CategoryListFilter = {}): Promise<CategoryWithParent[]> {
    let q = withParent(db);
    if (f.kind) q = q.where('c.kind', '=', f.kind);
    if (f.active !== undefined) q = q.where('c.active', '=', f.active ? 1 : 0);
    if (f.citizenReportable !== undefined) q = q.where('c.citizen_reportable', '=', f.citizenReportable ? 1 : 0);
    if (f.q) {
      const like = `%${f.q}%`;
      q = q.where((eb) => eb.or([eb('c.name_zh', 'like', like), eb('c.name_en', 'like', like), eb('c.code', 'like', `${f.q}%`)]));
    }
    return q.orderBy('c.code').execute() as Promise<CategoryWithParent[]>;
  },

  byId(db: Executor, id: number): Promise<CategoryWithParent | undefined> {
    return withParent(db).where('c.id', '=', id).executeTakeFirst() as Promise<CategoryWithParent | undefined>;
  },

  byCode(db: Executor, code: string): Promise<CategoryWithParent | undefined> {
    return withParent(db).where('c.code', '=', code).executeTakeFirst() as Promise<CategoryWithParent | undefined>;
  },

  codes(db: Executor): Promise<{ id: number; code: string; kind: string; active: number }[]> {
    return db.selectFrom('categories').select(['id', 'code', 'kind', 'active']).execute();
  },

  async insert(db: Executor, values: Insertable<CategoryTable>): Promise<number> {
    const { id } = await db.insertInto('categories').values(values).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** Inserts rows whose code is new; rows whose code exists are left untouched (seeding). */
  async insertMissing(db: Executor, rows: Insertable<CategoryTable>[]): Promise<void> {
    if (!rows.length) return;
    await db.insertInto('categories').values(rows).onConflict((oc) => oc.column('code').doNothing()).execute();
  },

  /** Optimistic update: false when the version moved on. */
  async update(db: Executor, id: number, version: number, patch: Partial<Omit<CategoryRow, 'id' | 'version'>>): Promise<boolean> {
    const res = await db
      .updateTable('categories')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  countActiveChildren(db: Executor, id: number): Promise<number> {
    return db
      .selectFrom('categories')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  },
};

/** A unique index refused the write (two people saving the same code or rule at once), on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
