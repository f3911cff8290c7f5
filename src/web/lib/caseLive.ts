// Live refresh of case screens: the SSE stream (lib/live.ts) only says "cases changed" (with the case ids when
// it knows them); screens refetch through the normal, scoped API.
import { useLive, type LiveChange } from './live.js';

/** The change may concern the shown case: it names it, or it names none (folded, reconnected). */
export function concernsCase(change: LiveChange, accept: (caseId: number | string | undefined) => boolean): boolean {
  if (change.reconnected || change.merged) return true;
  const ids = [...(change.caseIds ?? []), ...(change.caseId !== undefined ? [change.caseId] : [])];
  if (!ids.length) return accept(undefined);
  return ids.some((id) => accept(id));
}

/**
 * Calls `onChange` when cases change on the server; `accept` narrows it to the cases a screen shows (it gets
 * each changed case's id, or undefined when the signal names none).
 */
export function useCaseLive(onChange: () => void, accept?: (caseId: number | string | undefined) => boolean) {
  useLive(['cases'], (change) => {
    if (!accept || concernsCase(change, accept)) onChange();
  });
}
