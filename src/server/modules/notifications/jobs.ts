// Jobs of the notifications area, registered when the module loads (the worker runs whatever is registered).
import { registerJob } from '../../jobs/worker.js';
import { DEADLINE_JOB } from '../../jobs/deadlines.js';
import { FANOUT_JOB, runFanout } from './fanout.js';
import { WEBHOOK_JOB, deliverWebhook, type WebhookNotice } from './webhook.js';
import { notificationRepo } from './repo.js';

export const CLEANUP_JOB = 'notifications.cleanup';
/** Read notices are kept this long; unread ones stay until read. */
export const KEEP_READ_DAYS = 180;

// Every second: the inbox is a second or two behind the ledger (SSE case updates are immediate), and under
// sustained intake the work comes in small steady portions instead of a burst every few seconds that queued
// requests behind it. On SQLite a batch's transaction holds the event loop from start to commit: batches of 200
// events (up to 25,000 a run) keep each hold to a few milliseconds, and after each the loop is left to requests
// for as long again, so a run's catch-up never takes more than half of it.
registerJob(FANOUT_JOB, async (deps) => {
  await runFanout(deps, { batchSize: 200, maxBatches: 125, pauseShare: 1 });
}, 1);

registerJob(WEBHOOK_JOB, async (deps, payload: WebhookNotice) => {
  await deliverWebhook(deps, payload);
});

registerJob(CLEANUP_JOB, async (deps) => {
  await notificationRepo.purgeRead(deps.db, new Date(Date.now() - KEEP_READ_DAYS * 86400_000).toISOString());
}, 86400);

export { DEADLINE_JOB, FANOUT_JOB, WEBHOOK_JOB };
