// Whose queued results are whose on a shared phone. Every queue entry carries the id of the user who recorded it;
// only that user's session ever sends it. Entries of someone else stay on the phone (counted, never sent) until
// that person signs in here again. Entries saved without a user id (an earlier format) are adopted by the signed-in
// user only when their plan is one of that user's plans on this phone; otherwise they stay someone else's.
import type { QueueEntry } from './types.js';

/** The entry's owner as the string form of the user id, or null when it carries none. */
export function ownerOf(entry: { userId?: unknown }): string | null {
  const id = entry.userId;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  return null;
}

/** Not uploaded yet (waiting, or refused and waiting for a fix). */
export const notUploaded = (e: QueueEntry): boolean => e.status !== 'done';

export interface QueueView {
  /** The signed-in user's entries (adopted ones included, with their user id set). */
  mine: QueueEntry[];
  /** Entries of this user to save again: adopted, or stored with the id in another form (a number). */
  rewrite: QueueEntry[];
  /** Entries of other accounts, and ownerless ones whose plan is not among this user's: kept, never sent. */
  others: QueueEntry[];
}

export function partitionQueue(entries: readonly QueueEntry[], userId: string, myPlanIds: ReadonlySet<number>): QueueView {
  const view: QueueView = { mine: [], rewrite: [], others: [] };
  for (const entry of entries) {
    const owner = ownerOf(entry);
    if (owner === userId) {
      if (entry.userId !== userId) {
        const fixed = { ...entry, userId };
        view.mine.push(fixed);
        view.rewrite.push(fixed);
      } else {
        view.mine.push(entry);
      }
    } else if (owner === null && myPlanIds.has(entry.planId)) {
      const adopted = { ...entry, userId };
      view.mine.push(adopted);
      view.rewrite.push(adopted);
    } else {
      view.others.push(entry);
    }
  }
  return view;
}

/** The entries the sync may send for `userId`: its own, and nothing else, whatever the store returned. */
export function ownEntries(entries: readonly QueueEntry[], userId: string): QueueEntry[] {
  return entries.filter((e) => ownerOf(e) === userId);
}

/** Plan ids of a user's saved kits (store keys `${userId}:${planId}`). */
export function planIdsFromKitKeys(keys: readonly unknown[], userId: string): number[] {
  const prefix = `${userId}:`;
  const out: number[] = [];
  for (const key of keys) {
    if (typeof key !== 'string' || !key.startsWith(prefix)) continue;
    const id = Number(key.slice(prefix.length));
    if (Number.isInteger(id) && id > 0) out.push(id);
  }
  return out;
}
