// Loading case lists: one page of a filtered list, and the counts behind a screen's tabs or chips. Both refetch
// when the server says cases changed.
import { useMemo } from 'react';
import type { Query } from '../../api/client.js';
import { caseApi } from '../../api/cases.js';
import { useCaseLive } from '../../lib/caseLive.js';
import { useAsync } from '../../lib/hooks.js';

export function useCaseList(query: Query) {
  const key = JSON.stringify(query);
  const state = useAsync(() => caseApi.list(query), [key]);
  useCaseLive(state.reload);
  return state;
}

/** How many cases each named query finds (one pageSize=1 call each); null while loading or on error. */
export function useCaseCounts(queries: Record<string, Query>) {
  const key = JSON.stringify(queries);
  const state = useAsync(async () => {
    const entries = await Promise.all(
      Object.entries(queries).map(async ([name, q]) => {
        try {
          return [name, (await caseApi.list({ ...q, page: 1, pageSize: 1 })).total] as const;
        } catch {
          return [name, null] as const;
        }
      }),
    );
    return Object.fromEntries(entries) as Record<string, number | null>;
  }, [key]);
  useCaseLive(state.reload);
  return useMemo(() => ({ counts: state.data ?? {}, reload: state.reload }), [state.data, state.reload]);
}
