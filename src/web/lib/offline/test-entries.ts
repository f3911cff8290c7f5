// Test data for the offline queue's tests: a queued inspection result, each with its own key, point and times.
import type { QueueEntry } from './types.js';

let seq = 0;

/** A pending queued result of plan 1 at a point of its own, one item passed, nothing uploaded yet. */
export function queuedEntry(overrides: Partial<QueueEntry> = {}): QueueEntry {
  seq++;
  const at = new Date(1_700_000_000_000 + seq * 1000).toISOString();
  return {
    key: `key-${String(seq).padStart(4, '0')}`,
    userId: '7',
    planId: 1,
    pointId: seq,
    planTitle: 'plan',
    pointName: `point ${seq}`,
    createdAt: at,
    inspectedAt: at,
    checkin: null,
    items: [{ code: '1.1.1-1', passed: true, photoKeys: [] }],
    photoIds: {},
    status: 'pending',
    ...overrides,
  };
}
