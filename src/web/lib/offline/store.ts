// Where the offline data lives: IndexedDB in the browser (a tiny promise wrapper, no library), or memory where
// IndexedDB is missing (tests, very old private modes: the queue then lasts until the tab closes).
import { planIdsFromKitKeys } from './ownership.js';
import type { Kit, PhotoRecord, QueueEntry } from './types.js';

export interface KitRecord {
  key: string;
  userId: string;
  planId: number;
  kit: Kit;
  savedAt: string;
}

export interface OfflineStore {
  getKit(userId: string, planId: number): Promise<KitRecord | undefined>;
  putKit(userId: string, kit: Kit): Promise<void>;
  getMeta<T>(key: string): Promise<T | undefined>;
  putMeta(key: string, value: unknown): Promise<void>;
  listEntries(userId: string): Promise<QueueEntry[]>;
  /** Every entry on this device, whoever recorded it (for the ownership split, ownership.ts). */
  listAllEntries(): Promise<QueueEntry[]>;
  /** Plans whose kit this user has saved on this device. */
  kitPlanIds(userId: string): Promise<number[]>;
  getEntry(key: string): Promise<QueueEntry | undefined>;
  putEntry(entry: QueueEntry): Promise<void>;
  /** Stores a new entry with its photos in one transaction (a crash leaves neither). */
  addEntry(entry: QueueEntry, photos: PhotoRecord[]): Promise<void>;
  /** Removes an entry and its photos. */
  deleteEntry(key: string): Promise<void>;
  getPhoto(key: string): Promise<PhotoRecord | undefined>;
  deletePhotosOf(entryKey: string): Promise<void>;
}

export const kitKey = (userId: string, planId: number) => `${userId}:${planId}`;

// ---- IndexedDB ---------------------------------------------------------------------------------------------------

const DB_NAME = 'wenming-offline';
const DB_VERSION = 1;

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

function openDb(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('kits')) db.createObjectStore('kits', { keyPath: 'key' });
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
      if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'key' }).createIndex('userId', 'userId');
      if (!db.objectStoreNames.contains('photos')) db.createObjectStore('photos', { keyPath: 'key' }).createIndex('entryKey', 'entryKey');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('offline storage is blocked by another tab'));
  });
}

export function indexedDbStore(factory: IDBFactory): OfflineStore {
  let opening: Promise<IDBDatabase> | null = null;
  const db = () => {
    opening ??= openDb(factory).then((d) => {
      // Another tab upgrading the schema: let it, and reopen on the next call.
      d.onversionchange = () => {
        d.close();
        opening = null;
      };
      return d;
    });
    opening.catch(() => {
      opening = null;
    });
    return opening;
  };
  const read = async <T>(store: string, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = (await db()).transaction(store, 'readonly');
    return promised(op(tx.objectStore(store)));
  };
  const write = async (stores: string[], op: (tx: IDBTransaction) => void): Promise<void> => {
    const tx = (await db()).transaction(stores, 'readwrite');
    const finished = done(tx);
    op(tx);
    await finished;
  };
  const deletePhotos = (tx: IDBTransaction, entryKey: string) => {
    const index = tx.objectStore('photos').index('entryKey');
    const cursor = index.openKeyCursor(entryKey);
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return;
      tx.objectStore('photos').delete(c.primaryKey);
      c.continue();
    };
  };
  return {
    getKit: (userId, planId) => read<KitRecord | undefined>('kits', (s) => s.get(kitKey(userId, planId))),
    putKit: (userId, kit) =>
      write(['kits'], (tx) => {
        tx.objectStore('kits').put({ key: kitKey(userId, kit.plan.id), userId, planId: kit.plan.id, kit, savedAt: new Date().toISOString() } satisfies KitRecord);
      }),
    getMeta: async <T>(key: string) => (await read<{ key: string; value: T } | undefined>('meta', (s) => s.get(key)))?.value,
    putMeta: (key, value) =>
      write(['meta'], (tx) => {
        tx.objectStore('meta').put({ key, value });
      }),
    listEntries: (userId) => read<QueueEntry[]>('queue', (s) => s.index('userId').getAll(userId)),
    listAllEntries: () => read<QueueEntry[]>('queue', (s) => s.getAll()),
    kitPlanIds: async (userId) => planIdsFromKitKeys(await read<IDBValidKey[]>('kits', (s) => s.getAllKeys()), userId),
    getEntry: (key) => read<QueueEntry | undefined>('queue', (s) => s.get(key)),
    putEntry: (entry) =>
      write(['queue'], (tx) => {
        tx.objectStore('queue').put(entry);
      }),
    addEntry: (entry, photos) =>
      write(['queue', 'photos'], (tx) => {
        tx.objectStore('queue').put(entry);
        for (const p of photos) tx.objectStore('photos').put(p);
      }),
    deleteEntry: (key) =>
      write(['queue', 'photos'], (tx) => {
        tx.objectStore('queue').delete(key);
        deletePhotos(tx, key);
      }),
    getPhoto: (key) => read<PhotoRecord | undefined>('photos', (s) => s.get(key)),
    deletePhotosOf: (entryKey) => write(['photos'], (tx) => deletePhotos(tx, entryKey)),
  };
}

// ---- memory ------------------------------------------------------------------------------------------------------

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

export function memoryStore(): OfflineStore {
  const kits = new Map<string, KitRecord>();
  const meta = new Map<string, unknown>();
  const queue = new Map<string, QueueEntry>();
  const photos = new Map<string, PhotoRecord>();
  return {
    getKit: async (userId, planId) => clone(kits.get(kitKey(userId, planId))),
    putKit: async (userId, kit) => {
      kits.set(kitKey(userId, kit.plan.id), clone({ key: kitKey(userId, kit.plan.id), userId, planId: kit.plan.id, kit, savedAt: new Date().toISOString() }));
    },
    getMeta: async <T>(key: string) => clone(meta.get(key) as T | undefined),
    putMeta: async (key, value) => {
      meta.set(key, clone(value));
    },
    listEntries: async (userId) => [...queue.values()].filter((e) => e.userId === userId).map(clone),
    listAllEntries: async () => [...queue.values()].map(clone),
    kitPlanIds: async (userId) => planIdsFromKitKeys([...kits.keys()], userId),
    getEntry: async (key) => clone(queue.get(key)),
    putEntry: async (entry) => {
      queue.set(entry.key, clone(entry));
    },
    addEntry: async (entry, list) => {
      queue.set(entry.key, clone(entry));
      for (const p of list) photos.set(p.key, p);
    },
    deleteEntry: async (key) => {
      queue.delete(key);
      for (const [k, p] of photos) if (p.entryKey === key) photos.delete(k);
    },
    getPhoto: async (key) => photos.get(key),
    deletePhotosOf: async (entryKey) => {
      for (const [k, p] of photos) if (p.entryKey === entryKey) photos.delete(k);
    },
  };
}

let shared: OfflineStore | null = null;

/** The store of this browser: IndexedDB when there is one. */
export function offlineStore(): OfflineStore {
  shared ??= typeof indexedDB !== 'undefined' ? indexedDbStore(indexedDB) : memoryStore();
  return shared;
}
