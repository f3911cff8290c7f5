// The jobs table is the queue. PostgreSQL claims with FOR UPDATE SKIP LOCKED so several servers share it;
// SQLite has a single writer, so a plain UPDATE … RETURNING is already exclusive.
import { sql } from 'kysely';
import type { Executor } from '../lib/context.js';
import { isPostgres } from '../db/database.js';
import type { JobRow } from '../db/schema.js';

export const jobRepo = {
  async enqueue(db: Executor, job: { kind: string; payload: unknown; runAt: string; dedupeKey?: string | null; maxAttempts?: number; now: string }) {
    const q = db.insertInto('jobs').values({
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      status: 'queued',
      run_at: job.runAt,
      attempts: 0,
      max_attempts: job.maxAttempts ?? 5,
      dedupe_key: job.dedupeKey ?? null,
      created_at: job.now,
      updated_at: job.now,
    });
    // A dedupe key makes "enqueue once per period" safe when several servers race.
    const res = await (job.dedupeKey ? q.onConflict((oc) => oc.column('dedupe_key').doNothing()) : q).returning('id').executeTakeFirst();
    return res?.id ?? null;
  },

  async claim(db: Executor, workerId: string, now: string, lockUntil: string, limit: number): Promise<JobRow[]> {
    const pick = isPostgres(db)
      ? sql`SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= ${now}) OR (status = 'running' AND locked_until < ${now}) ORDER BY run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`
      : sql`SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= ${now}) OR (status = 'running' AND locked_until < ${now}) ORDER BY run_at LIMIT ${limit}`;
    const { rows } = await sql<JobRow>`
      UPDATE jobs SET status = 'running', locked_by = ${workerId}, locked_until = ${lockUntil}, attempts = attempts + 1, updated_at = ${now}
      WHERE id IN (${pick}) RETURNING *`.execute(db);
    return rows;
  },

  finish(db: Executor, id: number, workerId: string, now: string) {
    return db.updateTable('jobs').set({ status: 'done', locked_by: null, locked_until: null, updated_at: now }).where('id', '=', id).where('locked_by', '=', workerId).execute();
  },

  fail(db: Executor, id: number, workerId: string, error: string, retryAt: string | null, now: string) {
    return db
      .updateTable('jobs')
      .set({ status: retryAt ? 'queued' : 'failed', run_at: retryAt ?? now, last_error: error.slice(0, 2000), locked_by: null, locked_until: null, updated_at: now })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .execute();
  },

  /** Deletes finished jobs last touched before `before`; only of these kinds when `kinds` is given. */
  purgeDone(db: Executor, before: string, kinds?: readonly string[]) {
    let q = db.deleteFrom('jobs').where('status', '=', 'done').where('updated_at', '<', before);
    if (kinds) q = q.where('kind', 'in', kinds.length ? [...kinds] : ['']);
    return q.execute();
  },

  counts(db: Executor) {
    return db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  },
};
