// One sync loop per tab: it knows who is signed in, counts the queue, syncs when the browser says it is back
// online, every half minute while something waits, and when asked. Screens read its state through
// useOfflineState() (useOffline.ts).
import { api } from '../../api/client.js';
import type { Session } from '../../api/types.js';
import { notUploaded, ownerOf, partitionQueue } from './ownership.js';
import { offlineStore, type OfflineStore } from './store.js';
import { syncQueue, type SyncReport, type SyncTransport } from './sync.js';
import type { PhotoRecord, QueueEntry, ResultInput, SyncOutcome } from './types.js';

export interface OfflineState {
  online: boolean;
  userId: string | null;
  pending: number;
  errors: number;
  /** Results other accounts recorded on this phone and have not uploaded: kept, only their own session sends them. */
  othersWaiting: number;
  syncing: boolean;
  lastSyncAt: string | null;
  lastReport: SyncReport | null;
  /** Bumped on every queue change, so lists re-read the queue. */
  revision: number;
}

const RETRY_MS = 30_000;

export const httpTransport: SyncTransport = {
  uploadPhoto: async (bytes, type, name) => {
    const photo = await api.upload<{ id: number }>('/photos?purpose=inspection', new Blob([bytes], { type: type || 'image/jpeg' }), name || 'photo.jpg');
    return photo.id;
  },
  sync: (results: ResultInput[]) => api.post<{ outcomes: SyncOutcome[] }>('/inspections/sync', { results }),
  // Not authApi.me(): a 401 here must lead to the login page like any other call.
  currentUser: async () => String((await api.get<Session>('/me')).user.id),
};

/** The meta record where the phone page keeps the user's plan list (InspectPage). */
const minePlansKey = (userId: string) => `${userId}:mine`;

export class OfflineManager {
  private state: OfflineState;
  private listeners = new Set<() => void>();
  private running: Promise<SyncReport | null> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly store: OfflineStore,
    private readonly transport: SyncTransport,
  ) {
    const online = typeof navigator === 'undefined' ? true : navigator.onLine !== false;
    this.state = { online, userId: null, pending: 0, errors: 0, othersWaiting: 0, syncing: false, lastSyncAt: null, lastReport: null, revision: 0 };
  }

  getState = (): OfflineState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<OfflineState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Starts listening to the browser's online/offline events; returns the stop function. */
  attach(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
    const onOnline = () => {
      this.set({ online: true });
      void this.syncNow();
    };
    const onOffline = () => this.set({ online: false });
    target.addEventListener('online', onOnline);
    target.addEventListener('offline', onOffline);
    this.timer = setInterval(() => {
      if (this.state.online && this.state.pending > 0) void this.syncNow();
    }, RETRY_MS);
    return () => {
      target.removeEventListener('online', onOnline);
      target.removeEventListener('offline', onOffline);
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    };
  }

  async setUser(userId: string | null) {
    if (userId === this.state.userId) return;
    this.set({ userId, pending: 0, errors: 0, othersWaiting: 0, lastReport: null });
    await this.refresh();
    if (userId && this.state.pending > 0) void this.syncNow();
  }

  async refresh() {
    const userId = this.state.userId;
    if (!userId) return;
    const all = await this.store.listAllEntries();
    // Entries without an owner (an earlier format) need this user's plans to decide; others need nothing more.
    const planIds = all.some((e) => ownerOf(e) === null) ? await this.myPlanIds(userId) : new Set<number>();
    const view = partitionQueue(all, userId, planIds);
    for (const entry of view.rewrite) await this.store.putEntry(entry);
    if (userId !== this.state.userId) return;
    this.set({
      pending: view.mine.filter((e) => e.status === 'pending').length,
      errors: view.mine.filter((e) => e.status === 'error').length,
      othersWaiting: view.others.filter(notUploaded).length,
      revision: this.state.revision + 1,
    });
  }

  /** Plans of this user known on this phone: saved kits, and the plan list of their last visit. */
  private async myPlanIds(userId: string): Promise<Set<number>> {
    const ids = new Set(await this.store.kitPlanIds(userId).catch(() => [] as number[]));
    const mine = await this.store.getMeta<{ items?: { id?: unknown }[] }>(minePlansKey(userId)).catch(() => undefined);
    for (const p of mine?.items ?? []) if (typeof p.id === 'number') ids.add(p.id);
    return ids;
  }

  entries(): Promise<QueueEntry[]> {
    return this.state.userId ? this.store.listEntries(this.state.userId) : Promise.resolve([]);
  }

  /** Queues a result with its photos, replacing an earlier unsent version (`replaces`), then tries to send it. */
  async save(entry: QueueEntry, photos: PhotoRecord[], replaces?: string) {
    await this.store.addEntry(entry, photos);
    if (replaces && replaces !== entry.key) await this.store.deleteEntry(replaces);
    await this.refresh();
    if (this.state.online) void this.syncNow();
  }

  async discard(key: string) {
    await this.store.deleteEntry(key);
    await this.refresh();
  }

  /** Runs a sync now (or once more right after the running one, when asked during it). */
  syncNow(): Promise<SyncReport | null> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const userId = this.state.userId;
    if (!userId) return Promise.resolve(null);
    this.set({ syncing: true });
    this.running = (async () => {
      let report: SyncReport | null = null;
      try {
        do {
          this.again = false;
          report = await syncQueue(this.store, this.transport, userId, { onChange: () => void this.refresh() });
        } while (this.again && !report.interrupted && this.state.userId === userId);
        return report;
      } catch (error) {
        // Storage failures: keep the queue as it is and let the next run try again.
        report = { created: 0, duplicate: 0, failed: 0, photosUploaded: 0, remaining: this.state.pending, interrupted: error };
        return report;
      } finally {
        this.running = null;
        this.set({ syncing: false, lastReport: report, lastSyncAt: report && !report.interrupted ? new Date().toISOString() : this.state.lastSyncAt });
        await this.refresh();
      }
    })();
    return this.running;
  }
}

let manager: OfflineManager | null = null;

export function offlineManager(): OfflineManager {
  manager ??= new OfflineManager(offlineStore(), httpTransport);
  return manager;
}
