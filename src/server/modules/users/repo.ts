import { sql } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { UserRow } from '../../db/schema.js';
import { subtreePattern } from '../../lib/scope.js';

export interface UserInsert {
  username: string;
  displayName: string;
  phone?: string | null;
  role: string;
  orgId: number;
  passwordHash: string | null;
  mustChangePassword?: boolean;
  now: string;
}

export interface UserListFilter {
  scopePath: string;
  q?: string;
  role?: string;
  orgId?: number;
  active?: boolean;
}

export const userRepo = {
  async insert(db: Executor, u: UserInsert) {
    const { id } = await db
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        phone: u.phone ?? null,
        role: u.role,
        org_id: u.orgId,
        password_hash: u.passwordHash,
        active: 1,
        failed_logins: 0,
        must_change_password: u.mustChangePassword ? 1 : 0,
        created_at: u.now,
        updated_at: u.now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  },

  /** A user with the path of their org, for scope checks. */
  byIdWithOrg(db: Executor, id: number) {
    return db
      .selectFrom('users as u')
      .innerJoin('orgs as o', 'o.id', 'u.org_id')
      .selectAll('u')
      .select(['o.name as org_name', 'o.path as org_path'])
      .where('u.id', '=', id)
      .executeTakeFirst();
  },

  byUsername(db: Executor, username: string) {
    return db.selectFrom('users').select(['id', 'username']).where('username', '=', username).executeTakeFirst();
  },

  existingUsernames(db: Executor, usernames: string[]) {
    if (!usernames.length) return Promise.resolve([] as string[]);
    return db.selectFrom('users').select('username').where('username', 'in', usernames).execute().then((r) => r.map((x) => x.username));
  },

  async list(db: Executor, f: UserListFilter, page: number, pageSize: number) {
    let q = db.selectFrom('users as u').innerJoin('orgs as o', 'o.id', 'u.org_id').where('o.path', 'like', subtreePattern(f.scopePath));
    if (f.role) q = q.where('u.role', '=', f.role);
    if (f.orgId !== undefined) q = q.where('u.org_id', '=', f.orgId);
    if (f.active !== undefined) q = q.where('u.active', '=', f.active ? 1 : 0);
    if (f.q) {
      const like = `%${f.q}%`;
      q = q.where((eb) => eb.or([eb('u.username', 'like', like), eb('u.display_name', 'like', like), eb('u.phone', 'like', like)]));
    }
    const [items, count] = await Promise.all([
      q
        .select([
          'u.id', 'u.username', 'u.display_name', 'u.phone', 'u.role', 'u.org_id', 'u.active', 'u.last_login_at', 'u.version',
          'u.locked_until', 'o.name as org_name',
        ])
        .orderBy('u.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },

  async update(db: Executor, id: number, version: number, patch: Partial<Omit<UserRow, 'id' | 'version'>>): Promise<boolean> {
    const res = await db
      .updateTable('users')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  countInOrg(db: Executor, orgId: number) {
    return db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('active', '=', 1)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  },
};
