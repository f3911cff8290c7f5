import type { Executor } from '../../lib/context.js';
import { subtreePattern } from '../../lib/scope.js';

export const settingsRepo = {
  async get<T>(db: Executor, key: string): Promise<T | null> {
    const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : null;
  },
  async put(db: Executor, key: string, value: unknown, userId: number | null, now: string) {
    const text = JSON.stringify(value);
    await db
      .insertInto('settings')
      .values({ key, value: text, updated_at: now, updated_by: userId })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: now, updated_by: userId }))
      .execute();
  },
};

export const auditRepo = {
  async list(db: Executor, f: { scopePath: string; action?: string; actor?: string }, page: number, pageSize: number) {
    // Entries without an org (sign-ins) are visible to street-level viewers through their actor's org.
    let q = db.selectFrom('audit_log').where((eb) => eb.or([eb('org_path', 'like', subtreePattern(f.scopePath)), eb('org_path', 'is', null)]));
    if (f.action) q = q.where('action', 'like', `${f.action}%`);
    if (f.actor) q = q.where('actor_name', '=', f.actor);
    const [items, count] = await Promise.all([
      q.selectAll().orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },
};

export const apiKeyRepo = {
  async insert(db: Executor, k: { name: string; source: string; prefix: string; hash: string; streetId: number | null; rateLimit: number; createdBy: number | null; now: string }) {
    const { id } = await db
      .insertInto('api_keys')
      .values({ name: k.name, source: k.source, prefix: k.prefix, key_hash: k.hash, street_id: k.streetId, rate_limit_per_minute: k.rateLimit, created_by: k.createdBy, created_at: k.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  },
  list(db: Executor) {
    return db.selectFrom('api_keys').select(['id', 'name', 'source', 'prefix', 'street_id', 'rate_limit_per_minute', 'created_at', 'revoked_at', 'last_used_at']).orderBy('id', 'desc').execute();
  },
  byId(db: Executor, id: number) {
    return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byHash(db: Executor, hash: string) {
    return db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  },
  revoke(db: Executor, id: number, now: string) {
    return db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  },
};
