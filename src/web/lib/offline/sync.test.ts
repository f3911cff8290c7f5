import { describe, expect, it } from 'vitest';
import { memoryStore, type OfflineStore } from './store.js';
import { KEEP_DONE_MS, isTransient, syncQueue, toResultInput, type SyncTransport } from './sync.js';
import type { PhotoRecord, QueueEntry, ResultInput, SyncOutcome } from './types.js';
import { queuedEntry } from './test-entries.js';

const USER = '7';
const entry = (overrides: Partial<QueueEntry> = {}) =>
  queuedEntry({ userId: USER, checkin: { lat: 36.8, lng: 118.05, at: '2024-05-01T02:00:00.000Z', accuracy: 8 }, ...overrides });

const photo = (key: string, entryKey: string): PhotoRecord => ({ key, entryKey, userId: USER, bytes: new Uint8Array([0xff, 0xd8, key.length]).buffer, type: 'image/jpeg', name: `${key}.jpg` });

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** A stand-in for the HTTP calls that behaves like the server contract: ids per upload, outcomes per key. */
function transport(options: { failUploadAt?: number; failSync?: (results: ResultInput[]) => ApiFailure | null; outcome?: (r: ResultInput) => SyncOutcome } = {}) {
  const uploads: string[] = [];
  const batches: ResultInput[][] = [];
  const seen = new Map<string, number>();
  let nextPhoto = 100;
  let nextResult = 500;
  const t: SyncTransport = {
    uploadPhoto: async (_bytes, _type, name) => {
      if (options.failUploadAt !== undefined && uploads.length === options.failUploadAt) {
        options.failUploadAt = undefined;
        throw new ApiFailure(0, 'NETWORK_ERROR');
      }
      uploads.push(name);
      return nextPhoto++;
    },
    sync: async (results) => {
      const failure = options.failSync?.(results);
      if (failure) throw failure;
      batches.push(results);
      return {
        outcomes: results.map((r) => {
          if (options.outcome) return options.outcome(r);
          const known = seen.get(r.idempotencyKey);
          if (known) return { idempotencyKey: r.idempotencyKey, status: 'duplicate' as const, resultId: known, caseIds: [] };
          seen.set(r.idempotencyKey, ++nextResult);
          return { idempotencyKey: r.idempotencyKey, status: 'created' as const, resultId: nextResult, caseIds: [nextResult * 10] };
        }),
      };
    },
  };
  return { t, uploads, batches };
}

async function seeded(store: OfflineStore, e: QueueEntry, photos: PhotoRecord[] = []) {
  await store.addEntry(e, photos);
  return e;
}

describe('toResultInput', () => {
  it('sends server photo ids in place of local keys and leaves out empty fields', () => {
    const e = entry({
      items: [
        { code: 'a', passed: false, fixedOnSpot: 0, note: 'x', photoKeys: ['p1', 'p2'] },
        { code: 'b', count: 3, photoKeys: [] },
      ],
      photoIds: { p1: 11, p2: 12 },
      note: '',
    });
    const input = toResultInput(e);
    expect(input).toEqual({
      idempotencyKey: e.key,
      planId: 1,
      pointId: e.pointId,
      checkin: { lat: 36.8, lng: 118.05, at: '2024-05-01T02:00:00.000Z' },
      inspectedAt: e.inspectedAt,
      items: [
        { code: 'a', passed: false, fixedOnSpot: 0, note: 'x', photoIds: [11, 12] },
        { code: 'b', count: 3 },
      ],
    });
  });
});

describe('syncQueue', () => {
  it('uploads the photos, sends the results and marks them done', async () => {
    const store = memoryStore();
    const e = entry({ items: [{ code: 'a', passed: false, photoKeys: ['ph-a'] }] });
    await store.addEntry(e, [photo('ph-a', e.key)]);
    const { t, uploads, batches } = transport();
    const report = await syncQueue(store, t, USER);
    expect(report).toMatchObject({ created: 1, duplicate: 0, failed: 0, photosUploaded: 1, remaining: 0, interrupted: null });
    expect(uploads).toEqual(['ph-a.jpg']);
    expect(batches[0][0].items[0].photoIds).toEqual([100]);
    const stored = await store.getEntry(e.key);
    expect(stored).toMatchObject({ status: 'done', outcome: { status: 'created', caseIds: [5010] } });
    expect(await store.getPhoto('ph-a')).toBeUndefined();
  });

  it('does not upload a photo again after the network dropped halfway', async () => {
    const store = memoryStore();
    const e = entry({ items: [{ code: 'a', passed: false, photoKeys: ['x1', 'x2'] }] });
    await store.addEntry(e, [photo('x1', e.key), photo('x2', e.key)]);
    const net = transport({ failUploadAt: 1 });
    const first = await syncQueue(store, net.t, USER);
    expect(first.interrupted).toBeTruthy();
    expect(first.remaining).toBe(1);
    expect(net.batches).toHaveLength(0);
    expect((await store.getEntry(e.key))?.photoIds).toEqual({ x1: 100 });

    const second = await syncQueue(store, net.t, USER);
    expect(second).toMatchObject({ created: 1, remaining: 0, interrupted: null });
    expect(net.uploads).toEqual(['x1.jpg', 'x2.jpg']);
    expect(net.batches[0][0].items[0].photoIds).toEqual([100, 101]);
  });

  it('sends at most 50 results per call, oldest first', async () => {
    const store = memoryStore();
    const entries: QueueEntry[] = [];
    for (let i = 0; i < 120; i++) entries.push(await seeded(store, entry()));
    const { t, batches } = transport();
    const report = await syncQueue(store, t, USER);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat().map((r) => r.idempotencyKey)).toEqual(entries.map((e) => e.key));
    expect(report.created).toBe(120);
  });

  it('keeps an error for the person to fix and counts a replay as done', async () => {
    const store = memoryStore();
    const bad = await seeded(store, entry());
    const replayed = await seeded(store, entry());
    const { t } = transport({
      outcome: (r) =>
        r.idempotencyKey === bad.key
          ? { idempotencyKey: r.idempotencyKey, status: 'error', code: 'UNKNOWN_ITEM', message: '测评项不在该点位类型的清单中' }
          : { idempotencyKey: r.idempotencyKey, status: 'duplicate', resultId: 9, caseIds: [3] },
    });
    const report = await syncQueue(store, t, USER);
    expect(report).toMatchObject({ created: 0, duplicate: 1, failed: 1, remaining: 0 });
    expect(await store.getEntry(bad.key)).toMatchObject({ status: 'error', error: { code: 'UNKNOWN_ITEM', message: '测评项不在该点位类型的清单中' } });
    expect(await store.getEntry(replayed.key)).toMatchObject({ status: 'done', outcome: { status: 'duplicate', resultId: 9 } });
    // An entry in error is not sent again until the person changes or discards it.
    const again = transport();
    await syncQueue(store, again.t, USER);
    expect(again.batches).toHaveLength(0);
  });

  it('names the one result a refused batch was refused for, and sends the others', async () => {
    const store = memoryStore();
    const good1 = await seeded(store, entry());
    const bad = await seeded(store, entry({ pointId: -1 }));
    const good2 = await seeded(store, entry());
    const { t, batches } = transport({ failSync: (rs) => (rs.some((r) => r.pointId === -1) ? new ApiFailure(400, 'VALIDATION_FAILED') : null) });
    const report = await syncQueue(store, t, USER);
    expect(report).toMatchObject({ created: 2, failed: 1, remaining: 0 });
    expect(batches.map((b) => b.map((r) => r.idempotencyKey))).toEqual([[good1.key], [good2.key]]);
    expect(await store.getEntry(bad.key)).toMatchObject({ status: 'error', error: { code: 'VALIDATION_FAILED' } });
  });

  it('keeps everything pending when the server cannot be reached', async () => {
    const store = memoryStore();
    const e = await seeded(store, entry());
    const { t } = transport({ failSync: () => new ApiFailure(503, 'UNAVAILABLE') });
    const report = await syncQueue(store, t, USER);
    expect(report.interrupted).toBeTruthy();
    expect(report.remaining).toBe(1);
    expect((await store.getEntry(e.key))?.status).toBe('pending');
  });

  it('marks a result whose photo is gone as an error instead of sending it without', async () => {
    const store = memoryStore();
    const e = await seeded(store, entry({ items: [{ code: 'a', passed: false, photoKeys: ['lost'] }] }));
    const { t, batches } = transport();
    const report = await syncQueue(store, t, USER);
    expect(report.failed).toBe(1);
    expect(batches).toHaveLength(0);
    expect((await store.getEntry(e.key))?.error?.code).toBe('PHOTO_MISSING');
  });

  it('only touches the signed-in user’s queue and prunes old synced entries', async () => {
    const store = memoryStore();
    const other = await seeded(store, entry({ userId: '8' }));
    const old = await seeded(store, entry({ status: 'done', syncedAt: new Date(0).toISOString() }));
    const recent = await seeded(store, entry({ status: 'done', syncedAt: new Date(KEEP_DONE_MS).toISOString() }));
    const { t, batches } = transport();
    await syncQueue(store, t, USER, { now: () => KEEP_DONE_MS + 1000 });
    expect(batches).toHaveLength(0);
    expect(await store.getEntry(other.key)).toBeTruthy();
    expect(await store.getEntry(old.key)).toBeUndefined();
    expect(await store.getEntry(recent.key)).toBeTruthy();
  });
});

describe('isTransient', () => {
  it('retries network and server failures, not refusals', () => {
    expect(isTransient(new ApiFailure(0, 'NETWORK_ERROR'))).toBe(true);
    expect(isTransient(new ApiFailure(502, 'INTERNAL'))).toBe(true);
    expect(isTransient(new ApiFailure(429, 'RATE_LIMITED'))).toBe(true);
    expect(isTransient(new ApiFailure(400, 'VALIDATION_FAILED'))).toBe(false);
    expect(isTransient(new ApiFailure(403, 'FORBIDDEN'))).toBe(false);
    expect(isTransient(new TypeError('Failed to fetch'))).toBe(true);
  });
});
