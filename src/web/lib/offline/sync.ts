// The sync of queued inspection results: upload each result's photos (remembering the server ids so a retry does
// not upload again), then send the results in batches of at most 50 under their idempotency keys. Pure of React
// and of fetch: the transport is passed in, so the order of work and the outcome handling are unit-tested.
import { ApiError } from '../../api/client.js';
import { ownEntries } from './ownership.js';
import type { OfflineStore } from './store.js';
import type { QueueEntry, ResultInput, SyncOutcome } from './types.js';

export const SYNC_BATCH = 50;
/** Synced entries stay listed (and mark their point done) this long, then are pruned. */
export const KEEP_DONE_MS = 7 * 24 * 3600 * 1000;

export interface SyncTransport {
  uploadPhoto(bytes: ArrayBuffer, type: string, name: string): Promise<number>;
  sync(results: ResultInput[]): Promise<{ outcomes: SyncOutcome[] }>;
  /**
   * The id of the user the server sees on this connection (GET /me). Asked before anything is sent: on a shared
   * phone the browser's session may belong to someone else than the person whose results are queued.
   */
  currentUser?(): Promise<string>;
}

/** A failure that says nothing about the data (no network, server down, timeout): stop and try again later. */
export function isTransient(error: unknown): boolean {
  const e = error as { status?: number; code?: string } | null;
  if (!e || typeof e.status !== 'number') return true;
  return e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;
}

/**
 * A failure that stops the run without blaming the entry: transient ones, and the session itself (ended: 401; a
 * stale CSRF token after a change of session). The entries stay pending for the next run under the right session.
 */
export function endsRun(error: unknown): boolean {
  if (isTransient(error)) return true;
  const e = error as { status?: number; code?: string };
  return e.status === 401 || e.code === 'CSRF_INVALID';
}

/** The run stopped because the browser's session is someone else's: nothing was sent. */
export const sessionChanged = () => new ApiError({ status: 409, code: 'SESSION_CHANGED' });

export interface SyncReport {
  created: number;
  duplicate: number;
  failed: number;
  photosUploaded: number;
  /** Pending entries left (network dropped, or the server was unreachable). */
  remaining: number;
  /** Set when the run stopped on a transient failure. */
  interrupted: unknown;
}

function errorOf(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null;
  return { code: typeof e?.code === 'string' ? e.code : 'ERROR', message: typeof e?.message === 'string' ? e.message : String(error) };
}

export function toResultInput(entry: QueueEntry): ResultInput {
  return {
    idempotencyKey: entry.key,
    planId: entry.planId,
    pointId: entry.pointId,
    checkin: entry.checkin ? { lat: entry.checkin.lat, lng: entry.checkin.lng, at: entry.checkin.at } : null,
    inspectedAt: entry.inspectedAt,
    ...(entry.note ? { note: entry.note } : {}),
    items: entry.items.map(({ photoKeys, ...item }) => {
      const photoIds = photoKeys.map((k) => entry.photoIds[k]).filter((id): id is number => typeof id === 'number');
      return { ...item, ...(photoIds.length ? { photoIds } : {}) };
    }),
  };
}

const missingPhotos = (entry: QueueEntry) => entry.items.flatMap((i) => i.photoKeys).filter((k) => entry.photoIds[k] === undefined);

export async function syncQueue(
  store: OfflineStore,
  transport: SyncTransport,
  userId: string,
  options: { batchSize?: number; now?: () => number; onChange?: () => void } = {},
): Promise<SyncReport> {
  const batchSize = Math.max(1, Math.min(SYNC_BATCH, options.batchSize ?? SYNC_BATCH));
  const now = options.now ?? Date.now;
  const changed = () => options.onChange?.();
  const report: SyncReport = { created: 0, duplicate: 0, failed: 0, photosUploaded: 0, remaining: 0, interrupted: null };

  const all = ownEntries(await store.listEntries(userId), userId);
  for (const e of all) {
    if (e.status === 'done' && e.syncedAt && now() - Date.parse(e.syncedAt) > KEEP_DONE_MS) await store.deleteEntry(e.key);
  }
  const pending = all.filter((e) => e.status === 'pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  // 0. Whose session is this? Results go up only under the account that recorded them.
  if (pending.length && transport.currentUser) {
    try {
      if ((await transport.currentUser()) !== userId) report.interrupted = sessionChanged();
    } catch (error) {
      report.interrupted = error;
    }
    if (report.interrupted) {
      report.remaining = pending.length;
      return report;
    }
  }

  const fail = async (entry: QueueEntry, error: { code: string; message: string }) => {
    entry.status = 'error';
    entry.error = error;
    await store.putEntry(entry);
    report.failed++;
    changed();
  };

  // 1. Photos, entry by entry; each id is saved as soon as it is known.
  const ready: QueueEntry[] = [];
  outer: for (const entry of pending) {
    for (const key of missingPhotos(entry)) {
      const photo = await store.getPhoto(key);
      if (!photo) {
        await fail(entry, { code: 'PHOTO_MISSING', message: 'a photo of this result is no longer on this device' });
        continue outer;
      }
      try {
        entry.photoIds[key] = await transport.uploadPhoto(photo.bytes, photo.type, photo.name);
        report.photosUploaded++;
        await store.putEntry(entry);
      } catch (error) {
        if (endsRun(error)) {
          report.interrupted = error;
          break outer;
        }
        await fail(entry, errorOf(error));
        continue outer;
      }
    }
    ready.push(entry);
  }

  // 2. Results, in batches. A batch refused as a whole (one malformed result) is retried one by one, so the bad
  // one is named and the others go through.
  const apply = async (entry: QueueEntry, outcome: SyncOutcome) => {
    if (outcome.status === 'error') {
      await fail(entry, { code: outcome.code ?? 'ERROR', message: outcome.message ?? outcome.code ?? 'error' });
      return;
    }
    entry.status = 'done';
    entry.error = undefined;
    entry.outcome = { status: outcome.status, resultId: outcome.resultId, caseIds: outcome.caseIds };
    entry.syncedAt = new Date(now()).toISOString();
    await store.putEntry(entry);
    await store.deletePhotosOf(entry.key);
    if (outcome.status === 'created') report.created++;
    else report.duplicate++;
    changed();
  };
  const send = async (batch: QueueEntry[]): Promise<boolean> => {
    let reply: { outcomes: SyncOutcome[] };
    try {
      reply = await transport.sync(batch.map(toResultInput));
    } catch (error) {
      if (endsRun(error)) {
        report.interrupted = error;
        return false;
      }
      if (batch.length > 1) {
        for (const one of batch) if (!(await send([one]))) return false;
        return true;
      }
      await fail(batch[0], errorOf(error));
      return true;
    }
    const byKey = new Map(reply.outcomes.map((o) => [o.idempotencyKey, o]));
    for (const entry of batch) {
      const outcome = byKey.get(entry.key);
      if (outcome) await apply(entry, outcome);
    }
    return true;
  };
  if (!report.interrupted) {
    for (let i = 0; i < ready.length; i += batchSize) {
      if (!(await send(ready.slice(i, i + batchSize)))) break;
    }
  }

  report.remaining = ownEntries(await store.listEntries(userId), userId).filter((e) => e.status === 'pending').length;
  return report;
}
