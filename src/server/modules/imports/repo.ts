// SQL of the case imports: looking up what the rows name (points, earlier work orders) and noting where a case
// came from on its first event.
import type { Executor } from '../../lib/context.js';
import { subtreePattern } from '../../lib/scope.js';

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export interface NamedPoint {
  id: number;
  name: string;
  lat: number;
  lng: number;
  street_id: number;
}

export const importsRepo = {
  /** Active points in the caller's area carrying one of these names (点位 are matched by name). */
  async pointsNamed(db: Executor, scopePath: string, names: readonly string[]): Promise<NamedPoint[]> {
    const out: NamedPoint[] = [];
    for (const part of chunks([...new Set(names)])) {
      out.push(
        ...(await db
          .selectFrom('points')
          .select(['id', 'name', 'lat', 'lng', 'street_id'])
          .where('active', '=', 1)
          .where('org_path', 'like', subtreePattern(scopePath))
          .where('name', 'in', part)
          .execute()),
      );
    }
    return out;
  },

  /** Cases already created under these idempotency keys (an earlier import of the same work orders). */
  async casesByKeys(db: Executor, keys: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const part of chunks([...new Set(keys)])) {
      const rows = await db.selectFrom('cases').select(['id', 'idempotency_key']).where('idempotency_key', 'in', part).execute();
      for (const r of rows) if (r.idempotency_key) found.set(r.idempotency_key, r.id);
    }
    return found;
  },

  /** Adds the import's facts (file row, 发现时间/受理时间, photo link) to the data of the case's `report` event. */
  async annotateReportEvent(db: Executor, caseId: number, extra: Record<string, unknown>): Promise<void> {
    const event = await db.selectFrom('case_events').select(['id', 'data']).where('case_id', '=', caseId).where('action', '=', 'report').orderBy('id').executeTakeFirst();
    if (!event) return;
    const data = { ...(event.data ? (JSON.parse(event.data) as Record<string, unknown>) : {}), import: extra };
    await db.updateTable('case_events').set({ data: JSON.stringify(data) }).where('id', '=', event.id).execute();
  },
};
