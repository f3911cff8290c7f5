import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useSearchParams } from 'react-router-dom';

export const PHONE_QUERY = '(max-width: 767.98px)';

export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches, () => false);
}

/** Phones (< 768 px): drawer menu, card lists, full-screen dialogs. */
export function useIsMobile(): boolean {
  return useMediaQuery(PHONE_QUERY);
}

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (data: T) => void;
}

/** Runs a loader whenever its deps change; drops answers that arrive after a newer request started. */
export function useAsync<T>(loader: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;

  useEffect(() => {
    const id = ++latest.current;
    setLoading(true);
    setError(null);
    loaderRef.current().then(
      (value) => {
        if (id !== latest.current) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (id !== latest.current) return;
        setError(err);
        setLoading(false);
      },
    );
    // The caller's deps decide when to reload; the loader itself is read through a ref, so a new closure on
    // every render does not refetch.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

export const DEFAULT_PAGE_SIZE = 20;

export interface ListParams {
  page: number;
  pageSize: number;
  get: (key: string) => string;
  /** Sets filters (empty string or undefined removes one) and returns to page 1. */
  setFilters: (filters: Record<string, string | number | undefined | null>) => void;
  setPage: (page: number, pageSize?: number) => void;
  /** All filters and paging as a query object for the API. */
  query: Record<string, string | number>;
}

/**
 * List state lives in the URL (?q=&type=&page=), so a filtered page can be bookmarked, shared and restored with
 * the back button.
 */
export function useListParams(filterKeys: readonly string[], defaultPageSize = DEFAULT_PAGE_SIZE): ListParams {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || defaultPageSize));
  const keyList = filterKeys.join(',');

  const query = useMemo(() => {
    const q: Record<string, string | number> = { page, pageSize };
    for (const key of keyList.split(',')) {
      const value = params.get(key);
      if (key && value) q[key] = value;
    }
    return q;
  }, [params, page, pageSize, keyList]);

  const setFilters = useCallback(
    (filters: Record<string, string | number | undefined | null>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(filters)) {
            if (value === undefined || value === null || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const setPage = useCallback(
    (nextPage: number, nextSize?: number) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        if (nextSize && nextSize !== pageSize) {
          next.set('pageSize', String(nextSize));
          next.delete('page');
        } else if (nextPage > 1) next.set('page', String(nextPage));
        else next.delete('page');
        return next;
      });
    },
    [setParams, pageSize],
  );

  return { page, pageSize, get: (key: string) => params.get(key) ?? '', setFilters, setPage, query };
}

export function useDocumentTitle(title: string) {
  useEffect(() => {
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [title]);
}
