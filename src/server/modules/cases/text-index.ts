// 全文索引 catch-up (SQLite): new cases enter the FTS5 trigram index in bulk, a second or so after their commit,
// instead of inside the intake transaction (migration 010 says why). Searches read the cases past the cursor by
// LIKE meanwhile, so nothing is missing from a search at any moment. PostgreSQL indexes in the table itself.
import type { Deps } from '../../lib/context.js';
import { isPostgres, nowIso } from '../../db/database.js';
import { registerJob } from '../../jobs/worker.js';
import { cursorRepo } from '../../jobs/cursors.js';
import { TEXT_CURSOR } from '../../db/migrations/010_text_index_catch_up.js';
import { caseRepo } from './repo.js';

export const TEXT_INDEX_JOB = 'cases.text_index';

export interface TextIndexOptions {
  /** Cases per transaction: a transaction holds the connection, so a batch is kept to a few milliseconds. */
  batchSize?: number;
  /** Stop after this many batches; the next run goes on. */
  maxBatches?: number;
}

/** Indexes the cases past the cursor, batch by batch, leaving the event loop to requests between batches. */
export async function catchUpTextIndex(deps: Pick<Deps, 'db'>, opts: TextIndexOptions = {}): Promise<number> {
  if (isPostgres(deps.db)) return 0;
  const batchSize = opts.batchSize ?? 250;
  const maxBatches = opts.maxBatches ?? 400;
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const { count, lastId } = await caseRepo.indexTextAfter(trx, await cursorRepo.lock(trx, TEXT_CURSOR, now), batchSize);
      if (lastId !== null) await cursorRepo.set(trx, TEXT_CURSOR, lastId, now);
      return count;
    });
    total += n;
    if (n < batchSize) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}

registerJob(TEXT_INDEX_JOB, async (deps) => {
  await catchUpTextIndex(deps);
}, 1, { dialect: 'sqlite' });
