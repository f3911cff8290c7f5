// A small shared cache for reference data many screens read (org tree, point types, map layers), so opening a
// dialog does not refetch them. Cleared on sign-in and sign-out: another user sees another subtree.
import { useEffect, useState, useSyncExternalStore } from 'react';

const entries = new Map<string, Promise<unknown>>();
const listeners = new Set<() => void>();
let generation = 0;

function notify() {
  generation++;
  for (const listener of listeners) listener();
}

export function cached<T>(key: string, loader: () => Promise<T>): Promise<T> {
  let entry = entries.get(key) as Promise<T> | undefined;
  if (!entry) {
    entry = loader();
    entries.set(key, entry);
    // A failed load is not remembered: the next reader tries again.
    entry.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
  }
  return entry;
}

/** Drops entries whose key starts with the prefix (all when omitted) and tells readers to reload. */
export function invalidate(prefix = '') {
  for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
  notify();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface CachedState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

export function useCached<T>(key: string | null, loader: () => Promise<T>): CachedState<T> {
  const gen = useSyncExternalStore(subscribe, () => generation, () => generation);
  const [state, setState] = useState<CachedState<T>>({ data: undefined, error: null, loading: key !== null });
  useEffect(() => {
    if (key === null) {
      setState({ data: undefined, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    cached(key, loader).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // Reload on a new key or after invalidate(); the loader is tied to the key, so it is not a dependency.
  }, [key, gen]);
  return state;
}
