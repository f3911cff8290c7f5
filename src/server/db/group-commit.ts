// Group commit for the embedded database. SQLite has one writer and one connection per process, so concurrent
// requests' transactions run one after another anyway; each pays a COMMIT (WAL frames for every touched page).
// Writes queued within a short window (COMMIT_WINDOW_MS) share one transaction instead, and every
// caller is answered only after the shared COMMIT succeeded, so an acknowledged write is as durable as with a
// transaction of its own. A write that throws fails only its caller: the batch is rolled back and run again
// without it (writes must therefore have no effects outside the transaction). If the COMMIT fails, every caller
// of the batch gets the error.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { isPostgres } from './database.js';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * Most writes one shared transaction takes; the rest wait for the next. A batch holds the event loop from BEGIN to
 * COMMIT (about 1.5–2 ms per report on a slow core): 16 keeps that under ~30 ms when a backlog has built up, so
 * requests are parsed and answered between batches instead of waiting behind one of 64 (~100 ms and more).
 */
const MAX_BATCH = 16;

/**
 * How long a batch waits for company before it commits. A COMMIT costs ~0.4–0.5 ms whatever its size (WAL frames
 * for every index page touched, shared by the batch), so at a moderate rate, when a batch would hold one or two
 * reports, it cost a report three times what it does at full rate and kept the event loop ~85 % busy at half the
 * peak rate, queueing requests behind every pause. Waiting 2 ms (PostgreSQL's commit_delay, in effect) lets a few
 * more join: about 13 % less CPU per report at that rate, for 2 ms more latency. A full batch goes at once.
 */
const COMMIT_WINDOW_MS = 2;

class GroupCommitter {
  private queue: Job[] = [];
  private scheduled = false;
  private running = false;
  private window: NodeJS.Timeout | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  submit<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private readonly go = () => {
    this.window = null;
    this.scheduled = false;
    void this.flush();
  };

  private schedule() {
    if (this.running || !this.queue.length) return;
    const full = this.queue.length >= MAX_BATCH;
    if (this.scheduled && !(full && this.window)) return;
    if (this.window) clearTimeout(this.window);
    this.window = null;
    this.scheduled = true;
    // After the window, or (a full batch need not wait it out) after the poll phase: every request that arrived in
    // this turn has queued its write by then.
    if (full) setImmediate(this.go);
    else this.window = setTimeout(this.go, COMMIT_WINDOW_MS);
  }

  private async flush() {
    this.running = true;
    let batch = this.queue.splice(0, MAX_BATCH);
    const failures: { job: Job; error: unknown }[] = [];
    try {
      // A write that throws leaves its partial changes in the transaction: everything is rolled back and the batch
      // runs again without it. Its caller hears of it only after the others committed (so that, for example, a
      // retry racing on the same idempotency key finds the winner's row).
      for (;;) {
        const values: unknown[] = [];
        const failed: { index: number; error: unknown }[] = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            for (let i = 0; i < batch.length; i++) {
              try {
                values.push(await batch[i].work(trx));
              } catch (error) {
                failed.push({ index: i, error });
                throw error;
              }
            }
          });
        } catch (err) {
          if (!failed.length) {
            // BEGIN or COMMIT failed: nothing of the batch is stored.
            for (const job of batch) job.reject(err);
            break;
          }
          const { index, error } = failed[0];
          failures.push({ job: batch[index], error });
          batch = batch.filter((_, i) => i !== index);
          if (batch.length) continue;
          break;
        }
        batch.forEach((job, i) => job.resolve(values[i]));
        break;
      }
    } finally {
      for (const f of failures) f.job.reject(f.error);
      this.running = false;
      this.schedule();
    }
  }
}

const committers = new WeakMap<object, GroupCommitter>();

/**
 * Runs `work` in a transaction: on SQLite in one shared with the other writes queued in this turn of the event
 * loop (see above), on PostgreSQL in its own (the pool runs transactions in parallel and the server batches WAL
 * flushes itself). Resolves after the COMMIT. `work` must read and write only through the transaction it is
 * given (on SQLite a read through the plain `db` would wait on the open transaction forever), and may run more
 * than once (when another write of its batch fails); if it throws, its writes are undone and only its caller gets
 * the error.
 */
export function groupCommit<T>(db: Kysely<Database>, work: Work<T>): Promise<T> {
  if (isPostgres(db)) return db.transaction().execute(work);
  let c = committers.get(db);
  if (!c) committers.set(db, (c = new GroupCommitter(db)));
  return c.submit(work);
}
