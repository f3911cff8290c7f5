// The phone's view of a plan: its kit from the network when there is one (then saved on the phone), else the copy
// saved on the phone; and the queue entries of the signed-in user, re-read whenever the queue changes.
import { useEffect, useMemo, useState } from 'react';
import { offlineManager } from '../../lib/offline/manager.js';
import type { Kit, KitPoint, QueueEntry } from '../../lib/offline/types.js';
import { inspectionsApi, type PlanSummary } from './api.js';

export interface KitState {
  kit: Kit | null;
  /** When the shown copy was saved on the phone (null: fresh from the network). */
  cachedAt: string | null;
  loading: boolean;
  error: unknown;
}

/** Kits read in this tab: moving between the plan and its points never waits for storage or the network. */
const memory = new Map<string, { kit: Kit; cachedAt: string | null }>();

export function useKit(userId: string, planId: number, options: { refresh: boolean }): KitState & { reload: () => void } {
  const key = `${userId}:${planId}`;
  const remembered = memory.get(key);
  const [state, setState] = useState<KitState>({ kit: remembered?.kit ?? null, cachedAt: remembered?.cachedAt ?? null, loading: !remembered, error: null });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    const store = offlineManager().store;
    const known = memory.get(key);
    setState((s) => (s.kit?.plan.id === planId ? { ...s, loading: options.refresh || !known } : { kit: known?.kit ?? null, cachedAt: known?.cachedAt ?? null, loading: true, error: null }));
    (async () => {
      let have = known;
      if (!have) {
        const saved = await store.getKit(userId, planId).catch(() => undefined);
        if (saved) {
          have = { kit: saved.kit, cachedAt: saved.savedAt };
          memory.set(key, have);
          if (live) setState({ kit: saved.kit, cachedAt: saved.savedAt, loading: options.refresh, error: null });
        }
      }
      if (!options.refresh && have && tick === 0) {
        if (live) setState((s) => ({ ...s, loading: false }));
        return;
      }
      try {
        const kit = await inspectionsApi.kit(planId);
        await store.putKit(userId, kit).catch(() => undefined);
        memory.set(key, { kit, cachedAt: null });
        if (live) setState({ kit, cachedAt: null, loading: false, error: null });
      } catch (error) {
        if (live) setState((s) => ({ ...s, loading: false, error }));
      }
    })();
    return () => {
      live = false;
    };
  }, [key, tick]);

  return { ...state, reload: () => setTick((n) => n + 1) };
}

/** Saves kits of the given plans on the phone in the background, so they are there when the network is not. */
export async function prefetchKits(userId: string, plans: PlanSummary[]) {
  const store = offlineManager().store;
  for (const plan of plans) {
    try {
      const kit = await inspectionsApi.kit(plan.id);
      await store.putKit(userId, kit);
      memory.set(`${userId}:${plan.id}`, { kit, cachedAt: null });
    } catch {
      // offline again, or not allowed: the plan page tries when opened
    }
  }
}

/** The user's queue, re-read on every change the sync loop reports. */
export function useQueue(revision: number): QueueEntry[] {
  const [entries, setEntries] = useState<QueueEntry[]>([]);
  useEffect(() => {
    let live = true;
    offlineManager()
      .entries()
      .then((list) => live && setEntries(list), () => undefined);
    return () => {
      live = false;
    };
  }, [revision]);
  return entries;
}

export type PointState = 'todo' | 'queued' | 'error' | 'done';

/** A point is done when the server says so or its result went up from here; queued or failed while waiting. */
export function usePointStates(kit: Kit | null, entries: QueueEntry[]): Map<number, { state: PointState; entry?: QueueEntry }> {
  return useMemo(() => {
    const out = new Map<number, { state: PointState; entry?: QueueEntry }>();
    if (!kit) return out;
    for (const p of kit.points) out.set(p.id, { state: p.done ? 'done' : 'todo' });
    const rank: Record<PointState, number> = { todo: 0, queued: 1, error: 2, done: 3 };
    for (const e of entries) {
      if (e.planId !== kit.plan.id) continue;
      const state: PointState = e.status === 'done' ? 'done' : e.status === 'error' ? 'error' : 'queued';
      const current = out.get(e.pointId);
      if (!current || rank[state] > rank[current.state] || (current.state === state && !current.entry)) out.set(e.pointId, { state, entry: e });
    }
    return out;
  }, [kit, entries]);
}

/** The points this person walks: those assigned to them, or all when none is (a planner looking at the plan). */
export function myPoints(kit: Kit, userId: string): KitPoint[] {
  const mine = kit.points.filter((p) => String(p.inspectorId) === userId);
  return (mine.length ? mine : kit.points).slice().sort((a, b) => a.seq - b.seq);
}
