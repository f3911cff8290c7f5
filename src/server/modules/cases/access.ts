import type { AuthUser } from '../../lib/context.js';

/**
 * A case is visible when its place is in the user's subtree, it was sent to a unit in that subtree, or the user
 * reported it (a grid worker follows up a report made next door).
 */
export function canSeeCase(user: Pick<AuthUser, 'orgPath' | 'id'>, c: { org_path: string; unit_path: string | null; reporter_id?: number | null }): boolean {
  return c.org_path.startsWith(user.orgPath) || (!!c.unit_path && c.unit_path.startsWith(user.orgPath)) || (c.reporter_id != null && c.reporter_id === user.id);
}
