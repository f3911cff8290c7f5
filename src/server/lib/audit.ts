import type { Executor, Actor } from './context.js';
import { nowIso } from '../db/database.js';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | number;
  orgPath?: string | null;
  detail?: unknown;
  /** Who acted when there is no signed-in actor (a sign-in attempt): name and address. */
  actorName?: string;
  ip?: string | null;
}

/** Appends to the audit log inside the caller's transaction: the change and its record commit together. */
export async function audit(db: Executor, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: nowIso(),
      actor_id: actor?.user.id ?? null,
      actor_name: actor?.user.username ?? entry.actorName ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId === undefined ? null : String(entry.targetId),
      org_path: entry.orgPath ?? null,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      ip: actor?.ip ?? entry.ip ?? null,
    })
    .execute();
}
