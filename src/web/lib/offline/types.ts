// What the phone keeps for field inspections when the network is gone: the plan's kit (points and checklists),
// and a queue of results with their photos, each result under a client idempotency key (POST /inspections/sync).
import type { Geometry } from '../../../core/geo/types.js';
import type { PlanKind, PlanStatus } from '../../../core/inspections/kinds.js';
import type { ScoringRule } from '../../../core/standards/rules.js';

export type { PlanKind, PlanStatus };

export interface KitPoint {
  id: number;
  name: string;
  typeCode: string;
  typeName: string;
  address: string | null;
  lat: number;
  lng: number;
  inspectorId: number | null;
  seq: number;
  done: boolean;
  /** The point's shape: check-in distance is measured to it, as on the server. */
  geometry?: Geometry | null;
  communityName?: string;
  resultId?: number | null;
  /** 回头看: items that failed here last time and still have open cases. */
  focusItems?: string[];
}

export interface ChecklistItem {
  code: string;
  text: string;
  points?: number;
  rule: ScoringRule;
  /** Ⅰ / Ⅱ / Ⅲ node names joined by ' / '. */
  nodePath: string;
}

export interface KitPlan {
  id: number;
  title: string;
  kind: PlanKind;
  status: PlanStatus;
  startsOn?: string | null;
  endsOn?: string | null;
  planNo?: string | null;
  [key: string]: unknown;
}

export interface Kit {
  plan: KitPlan;
  standardVersionId: number;
  points: KitPoint[];
  checklists: Record<string, ChecklistItem[]>;
  /** Check-ins farther than this are flagged. */
  farCheckinM?: number;
  generatedAt: string;
}

/** One item's observation as the form records it; photos are local keys until uploaded. */
export interface QueuedItem {
  code: string;
  passed?: boolean;
  count?: number;
  occurrences?: number;
  fixedOnSpot?: number;
  notApplicable?: boolean;
  note?: string;
  /** Keys of PhotoRecords (local blobs). */
  photoKeys: string[];
}

export interface Checkin {
  lat: number;
  lng: number;
  at: string;
  /** Shown on the phone only; the server computes its own distance. */
  accuracy?: number;
}

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
  outcome?: { status: 'created' | 'duplicate'; resultId?: number; caseIds?: number[] };
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

/** The body of one result in POST /inspections/sync. */
export interface ResultInput {
  idempotencyKey: string;
  planId: number;
  pointId: number;
  checkin: { lat: number; lng: number; at: string } | null;
  inspectedAt: string;
  note?: string;
  items: {
    code: string;
    passed?: boolean;
    count?: number;
    occurrences?: number;
    fixedOnSpot?: number;
    notApplicable?: boolean;
    note?: string;
    photoIds?: number[];
  }[];
}

export interface SyncOutcome {
  idempotencyKey: string;
  status: 'created' | 'duplicate' | 'error';
  resultId?: number;
  code?: string;
  message?: string;
  caseIds?: number[];
}
