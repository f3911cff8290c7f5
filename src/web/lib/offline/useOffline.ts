// React side of the offline queue: the sync loop's state, started for the signed-in user.
import { useEffect, useSyncExternalStore } from 'react';
import { offlineManager, type OfflineState } from './manager.js';

let attached = false;

/**
 * The queue state. The first screen that asks starts the sync loop, which then lives as long as the tab: results
 * queued in the field still go out when the network returns while the person is on another page.
 */
export function useOffline(userId: string | number | null): OfflineState & { manager: ReturnType<typeof offlineManager> } {
  const manager = offlineManager();
  const state = useSyncExternalStore(manager.subscribe, manager.getState, manager.getState);
  useEffect(() => {
    if (attached) return;
    attached = true;
    manager.attach(window);
  }, [manager]);
  useEffect(() => {
    void manager.setUser(userId === null ? null : String(userId));
  }, [manager, userId]);
  return { ...state, manager };
}
