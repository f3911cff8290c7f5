import { sql } from 'kysely';
import type { Executor } from '../../lib/context.js';

export const authRepo = {
  findUserByUsername(db: Executor, username: string) {
    return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  },

  findUserById(db: Executor, id: number) {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** One query per request: the session, its user and the user's org path. */
  findSession(db: Executor, sessionId: string) {
    return db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('orgs as o', 'o.id', 'u.org_id')
      .select([
        's.id as session_id',
        's.csrf_token',
        's.expires_at',
        's.last_seen_at',
        'u.id',
        'u.username',
        'u.display_name',
        'u.role',
        'u.org_id',
        'u.active',
        'u.locale',
        'u.must_change_password',
        'o.name as org_name',
        'o.kind as org_kind',
        'o.path as org_path',
      ])
      .where('s.id', '=', sessionId)
      .executeTakeFirst();
  },

  insertSession(
    db: Executor,
    s: { id: string; userId: number; csrf: string; now: string; expires: string; ip: string | null; ua: string | null },
  ) {
    return db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        csrf_token: s.csrf,
        created_at: s.now,
        expires_at: s.expires,
        last_seen_at: s.now,
        ip: s.ip,
        user_agent: s.ua,
      })
      .execute();
  },

  touchSession(db: Executor, id: string, now: string, expires: string) {
    return db.updateTable('sessions').set({ last_seen_at: now, expires_at: expires }).where('id', '=', id).execute();
  },

  deleteSession(db: Executor, id: string) {
    return db.deleteFrom('sessions').where('id', '=', id).execute();
  },

  deleteUserSessions(db: Executor, userId: number, exceptId?: string) {
    let q = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return q.execute();
  },

  deleteExpiredSessions(db: Executor, now: string) {
    return db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  },

  recordFailure(db: Executor, userId: number, lockUntil: string | null) {
    return db
      .updateTable('users')
      .set({ failed_logins: sql`failed_logins + 1`, locked_until: lockUntil })
      .where('id', '=', userId)
      .execute();
  },

  recordSuccess(db: Executor, userId: number, now: string) {
    return db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, last_login_at: now })
      .where('id', '=', userId)
      .execute();
  },

  setLocale(db: Executor, userId: number, locale: string, now: string) {
    return db.updateTable('users').set({ locale, updated_at: now }).where('id', '=', userId).execute();
  },

  setPassword(db: Executor, userId: number, hash: string, mustChange: boolean, now: string) {
    return db
      .updateTable('users')
      .set({
        password_hash: hash,
        must_change_password: mustChange ? 1 : 0,
        failed_logins: 0,
        locked_until: null,
        updated_at: now,
        version: sql`version + 1`,
      })
      .where('id', '=', userId)
      .execute();
  },
};
