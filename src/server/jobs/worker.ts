// In-process job worker. Handlers are registered by kind; periodic tasks enqueue themselves with a dedupe key per
// period so that, with several servers, each period runs once.
import { randomBytes } from 'node:crypto';
import type { Deps } from '../lib/context.js';
import { jobRepo } from './repo.js';
import { nowIso, type DialectName } from '../db/database.js';
import { authRepo } from '../modules/auth/repo.js';

export type JobHandler = (deps: Deps, payload: any) => Promise<void>;

export interface Periodic {
  kind: string;
  everySeconds: number;
  /** Scheduled only on this database (a job with nothing to do on the other need not queue a row each period). */
  dialect?: DialectName;
}

const handlers = new Map<string, JobHandler>();
const periodic: Periodic[] = [];

export function registerJob(kind: string, handler: JobHandler, every?: number, opts: { dialect?: DialectName } = {}) {
  handlers.set(kind, handler);
  if (every && !periodic.some((p) => p.kind === kind)) periodic.push({ kind, everySeconds: every, dialect: opts.dialect });
}

export async function enqueueJob(deps: Pick<Deps, 'db'>, kind: string, payload: unknown = {}, opts: { runAt?: Date; dedupeKey?: string } = {}) {
  const now = nowIso();
  return jobRepo.enqueue(deps.db, { kind, payload, runAt: (opts.runAt ?? new Date()).toISOString(), dedupeKey: opts.dedupeKey, now });
}

/** Periodic jobs that run this often or more leave their finished rows for an hour only (one a second is 86,400 a day). */
const FREQUENT_SECONDS = 60;

registerJob('sessions.cleanup', async (deps) => {
  await authRepo.deleteExpiredSessions(deps.db, nowIso());
  await jobRepo.purgeDone(deps.db, new Date(Date.now() - 7 * 86400_000).toISOString());
  const frequent = periodic.filter((p) => p.everySeconds <= FREQUENT_SECONDS).map((p) => p.kind);
  await jobRepo.purgeDone(deps.db, new Date(Date.now() - 3600_000).toISOString(), frequent);
}, 3600);

export class Worker {
  readonly id = `w-${process.pid}-${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;

  constructor(private deps: Deps, private pollMs = 1000) {}

  start() {
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
    void this.tick();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** One pass: schedule due periodic jobs, then claim and run ready ones. Returns how many ran. */
  async tick(): Promise<number> {
    if (this.running || this.stopped) return 0;
    this.running = true;
    let ran = 0;
    try {
      const nowMs = Date.now();
      for (const p of periodic) {
        if (p.dialect && p.dialect !== this.deps.dialect) continue;
        const bucket = Math.floor(nowMs / (p.everySeconds * 1000));
        await enqueueJob(this.deps, p.kind, {}, { dedupeKey: `${p.kind}:${bucket}` });
      }
      const now = new Date();
      const jobs = await jobRepo.claim(this.deps.db, this.id, now.toISOString(), new Date(now.getTime() + 5 * 60_000).toISOString(), 20);
      for (const job of jobs) {
        const handler = handlers.get(job.kind);
        try {
          if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
          await handler(this.deps, JSON.parse(job.payload));
          await jobRepo.finish(this.deps.db, job.id, this.id, nowIso());
        } catch (err) {
          const retry = job.attempts < job.max_attempts ? new Date(Date.now() + 2 ** job.attempts * 1000).toISOString() : null;
          await jobRepo.fail(this.deps.db, job.id, this.id, (err as Error).stack ?? String(err), retry, nowIso());
        }
        ran++;
      }
    } finally {
      this.running = false;
    }
    return ran;
  }
}
