// The in-app inbox: each user reads and clears only their own notices.
import type { Actor, Deps } from '../../lib/context.js';
import { Problem } from '../../errors.js';
import { nowIso } from '../../db/database.js';
import { notificationRepo } from './repo.js';

export interface InboxQuery {
  unread?: boolean;
  page: number;
  pageSize: number;
}

export async function listInbox(deps: Deps, actor: Actor, q: InboxQuery) {
  const [page, unread] = await Promise.all([
    notificationRepo.list(deps.db, actor.user.id, q.unread === true, q.page, q.pageSize),
    notificationRepo.unreadCount(deps.db, actor.user.id),
  ]);
  return {
    items: page.items.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      caseId: n.case_id,
      caseNo: n.case_no ?? null,
      createdAt: n.created_at,
      readAt: n.read_at,
    })),
    total: page.total,
    page: q.page,
    pageSize: q.pageSize,
    unread,
  };
}

export async function unreadCount(deps: Deps, actor: Actor) {
  return { unread: await notificationRepo.unreadCount(deps.db, actor.user.id) };
}

/** Marks notices read: the ones named (other users' ids are ignored, not reported), or all. */
export async function markRead(deps: Deps, actor: Actor, input: { ids?: number[]; all?: boolean }) {
  const all = input.all === true;
  if (all === !!input.ids?.length) throw new Problem('VALIDATION_FAILED', { field: 'ids', reason: 'give either ids or all=true' });
  const updated = await notificationRepo.markRead(deps.db, actor.user.id, all ? null : [...new Set(input.ids)], nowIso());
  // The user's other tabs and phone update their badge.
  if (updated) deps.notify('notifications.changed', { userIds: [actor.user.id] });
  return { updated, unread: await notificationRepo.unreadCount(deps.db, actor.user.id) };
}
