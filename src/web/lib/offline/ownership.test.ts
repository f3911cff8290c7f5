import { describe, expect, it } from 'vitest';
import { OfflineManager } from './manager.js';
import { ownEntries, ownerOf, partitionQueue, planIdsFromKitKeys } from './ownership.js';
import { memoryStore } from './store.js';
import { endsRun, syncQueue, type SyncTransport } from './sync.js';
import type { Kit, QueueEntry, ResultInput } from './types.js';
import { queuedEntry } from './test-entries.js';

const entry = (userId: unknown, overrides: Partial<QueueEntry> = {}) => queuedEntry({ userId: userId as string, ...overrides });

const legacy = (overrides: Partial<QueueEntry> = {}) => {
  const e = entry(undefined, overrides) as Partial<QueueEntry>;
  delete e.userId;
  return e as QueueEntry;
};

const kit = (planId: number): Kit => ({
  plan: {
    id: planId, planNo: `JC-2026-${planId}`, kind: 'supervision', kindName: '督查', title: `plan ${planId}`, status: 'active', statusName: '进行中', streetId: 1, standardVersionId: 1,
    startsOn: '2026-01-01', endsOn: '2026-01-31', note: null, basedOnPlanId: null, pointCount: 0, doneCount: 0, inspectorCount: 1, progress: { total: 0, done: 0 },
    activatedAt: null, closedAt: null, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(), version: 2,
  },
  standardVersionId: 1,
  points: [],
  checklists: {},
  farCheckinM: 200,
  generatedAt: new Date(0).toISOString(),
});

/** The server side of the sync: remembers what it received, and whose session the browser holds. */
function server(sessionUser: () => string) {
  const received: ResultInput[] = [];
  const t: SyncTransport = {
    uploadPhoto: async () => 1,
    sync: async (results) => {
      received.push(...results);
      return { outcomes: results.map((r, i) => ({ idempotencyKey: r.idempotencyKey, status: 'created' as const, resultId: 100 + i, caseIds: [] })) };
    },
    currentUser: async () => sessionUser(),
  };
  return { t, received };
}

describe('ownerOf', () => {
  it('reads the user id in string form, or none', () => {
    expect(ownerOf({ userId: '7' })).toBe('7');
    expect(ownerOf({ userId: 7 })).toBe('7');
    expect(ownerOf({ userId: ' 7 ' })).toBe('7');
    for (const none of [undefined, null, '', '  ', Number.NaN, {}]) expect(ownerOf({ userId: none })).toBeNull();
  });
});

describe('partitionQueue', () => {
  it("keeps the user's own entries, and other accounts' apart", () => {
    const mine = entry('7');
    const theirs = entry('8');
    const view = partitionQueue([mine, theirs], '7', new Set());
    expect(view.mine).toEqual([mine]);
    expect(view.others).toEqual([theirs]);
    expect(view.rewrite).toEqual([]);
  });

  it('adopts an ownerless entry only when its plan is one of the user’s plans', () => {
    const onMyPlan = legacy({ planId: 3 });
    const onAnotherPlan = legacy({ planId: 4 });
    const view = partitionQueue([onMyPlan, onAnotherPlan], '7', new Set([3]));
    expect(view.mine.map((e) => [e.key, e.userId])).toEqual([[onMyPlan.key, '7']]);
    expect(view.rewrite.map((e) => e.key)).toEqual([onMyPlan.key]);
    expect(view.others.map((e) => e.key)).toEqual([onAnotherPlan.key]);
    // Nobody else is given it just for syncing first.
    expect(partitionQueue([onAnotherPlan], '8', new Set()).mine).toEqual([]);
  });

  it('rewrites an entry stored with a numeric id, so the store finds it by user', () => {
    const numeric = entry(7);
    const view = partitionQueue([numeric], '7', new Set());
    expect(view.mine[0].userId).toBe('7');
    expect(view.rewrite.map((e) => e.key)).toEqual([numeric.key]);
  });

  it('ownEntries drops everything that is not the user’s', () => {
    const list = [entry('7'), entry('8'), legacy(), entry(7)];
    expect(ownEntries(list, '7').map((e) => e.key)).toEqual([list[0].key, list[3].key]);
  });

  it('reads plan ids from kit keys', () => {
    expect(planIdsFromKitKeys(['7:3', '7:12', '17:5', '8:4', 7, '7:x', '7:-1'], '7')).toEqual([3, 12]);
  });
});

describe('the sync loop on a shared phone', () => {
  it('sends only the signed-in user’s results, adopts ownerless ones of their plans, and keeps the rest', async () => {
    const store = memoryStore();
    await store.putKit('7', kit(3));
    const mine = entry('7', { planId: 3 });
    const theirs = entry('8', { planId: 3 });
    const adoptable = legacy({ planId: 3 });
    const stranger = legacy({ planId: 9 });
    for (const e of [mine, theirs, adoptable, stranger]) await store.addEntry(e, []);

    const { t, received } = server(() => '7');
    const manager = new OfflineManager(store, t);
    await manager.setUser('7');
    await manager.syncNow();

    expect(received.map((r) => r.idempotencyKey).sort()).toEqual([mine.key, adoptable.key].sort());
    expect(manager.getState()).toMatchObject({ userId: '7', pending: 0, othersWaiting: 2 });
    expect((await store.getEntry(adoptable.key))?.userId).toBe('7');
    expect(await store.getEntry(theirs.key)).toMatchObject({ userId: '8', status: 'pending' });
    expect((await store.getEntry(stranger.key))?.status).toBe('pending');
    expect((await store.getEntry(stranger.key))?.userId).toBeUndefined();

    // The other inspector signs in on the same phone: theirs go up under their session, 7's stay counted as others.
    let who = '8';
    const second = server(() => who);
    const next = new OfflineManager(store, second.t);
    await next.setUser('8');
    await next.syncNow();
    expect(second.received.map((r) => r.idempotencyKey)).toEqual([theirs.key]);
    expect(next.getState()).toMatchObject({ pending: 0, othersWaiting: 1 });

    // Another tab signs the browser in as 7 while this tab still shows 8: 8's new result waits, nothing is sent.
    who = '7';
    const later = entry('8', { planId: 3 });
    await next.save(later, []);
    const report = await next.syncNow();
    expect(report?.interrupted).toMatchObject({ code: 'SESSION_CHANGED' });
    expect(second.received.map((r) => r.idempotencyKey)).toEqual([theirs.key]);
    expect(next.getState()).toMatchObject({ pending: 1, othersWaiting: 1 });
  });

  it('sends nothing when the browser’s session belongs to someone else', async () => {
    const store = memoryStore();
    const mine = entry('7');
    await store.addEntry(mine, []);
    const { t, received } = server(() => '8');
    const report = await syncQueue(store, t, '7');
    expect(received).toEqual([]);
    expect(report.interrupted).toMatchObject({ code: 'SESSION_CHANGED' });
    expect(report.remaining).toBe(1);
    expect((await store.getEntry(mine.key))?.status).toBe('pending');
  });

  it('keeps results pending, not failed, when the session ended mid-run', async () => {
    const store = memoryStore();
    const a = entry('7');
    await store.addEntry(a, []);
    const t: SyncTransport = {
      uploadPhoto: async () => 1,
      sync: async () => {
        throw Object.assign(new Error('AUTH_REQUIRED'), { status: 401, code: 'AUTH_REQUIRED' });
      },
    };
    const report = await syncQueue(store, t, '7');
    expect(report.failed).toBe(0);
    expect(report.interrupted).toMatchObject({ status: 401 });
    expect((await store.getEntry(a.key))?.status).toBe('pending');
  });

  it('ends a run, without blaming the entry, on transient failures and on the session', () => {
    expect(endsRun({ status: 0, code: 'NETWORK_ERROR' })).toBe(true);
    expect(endsRun({ status: 503, code: 'INTERNAL' })).toBe(true);
    expect(endsRun({ status: 401, code: 'AUTH_REQUIRED' })).toBe(true);
    expect(endsRun({ status: 403, code: 'CSRF_INVALID' })).toBe(true);
    expect(endsRun({ status: 403, code: 'FORBIDDEN' })).toBe(false);
    expect(endsRun({ status: 400, code: 'VALIDATION_FAILED' })).toBe(false);
  });
});
