// What the phone keeps for field inspections when the network is gone: the plan's kit (points and checklists),
// and a queue of results with their photos, each result under a client idempotency key (POST /inspections/sync).
import type { PlanKind, PlanStatus } from '../../../core/inspections/kinds.js';
import type { Kit, KitChecklistItem, KitPoint, ResultInput, ResultItemInput, SyncOutcome } from '../../../core/inspections/views.js';

// The kit and the sync body/answer are the server's shapes (src/core/inspections/views.ts); the queue below is the
// phone's own.
export type { Kit, KitPoint, PlanKind, PlanStatus, ResultInput, SyncOutcome };
/** One item of a point type's checklist in the kit. */
export type ChecklistItem = KitChecklistItem;

/** One item's observation as the form records it: the sync body's item, with local photo keys until uploaded. */
export type QueuedItem = Omit<ResultItemInput, 'note' | 'photoIds'> & {
  note?: string;
  /** Keys of PhotoRecords (local blobs). */
  photoKeys: string[];
};

export type Checkin = NonNullable<ResultInput['checkin']> & {
  /** Shown on the phone only; the server computes its own distance. */
  accuracy?: number;
};

export type EntryStatus = 'pending' | 'error' | 'done';

/** A result waiting for (or past) its sync. `key` is the idempotency key sent to the server. */
export interface QueueEntry {
  key: string;
  userId: string;
  planId: number;
  pointId: number;
  /** For lists while offline. */
  planTitle: string;
  pointName: string;
  createdAt: string;
  inspectedAt: string;
  checkin: Checkin | null;
  note?: string;
  items: QueuedItem[];
  /** Local photo key → server photo id, filled as each upload succeeds, so a retry does not upload again. */
  photoIds: Record<string, number>;
  status: EntryStatus;
  error?: { code: string; message: string };
  outcome?: Pick<SyncOutcome, 'resultId' | 'caseIds'> & { status: Exclude<SyncOutcome['status'], 'error'> };
  syncedAt?: string;
}

/** A photo taken in the field, kept as bytes (Blobs in IndexedDB are not reliable in every private mode). */
export interface PhotoRecord {
  key: string;
  entryKey: string;
  userId: string;
  bytes: ArrayBuffer;
  type: string;
  name: string;
}
