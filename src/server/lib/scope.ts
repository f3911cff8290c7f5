// Org scope: a user sees the subtree of their org node, nothing else. Every repository query that reads scoped
// rows filters by `orgPath` prefix through these helpers; every write checks the target against them.
import type { AuthUser } from './context.js';
import { Problem, notFound } from '../errors.js';
import { can, type Permission } from '../../core/roles.js';

export function inScope(user: Pick<AuthUser, 'orgPath'>, path: string | null | undefined): boolean {
  return !!path && path.startsWith(user.orgPath);
}

/** Out-of-scope rows answer 404, the same as missing ones: existence is not leaked. */
export function assertInScope(user: Pick<AuthUser, 'orgPath'>, path: string | null | undefined, what: string): void {
  if (!inScope(user, path)) throw notFound(what);
}

export function assertCan(user: Pick<AuthUser, 'role'>, permission: Permission): void {
  if (!can(user.role, permission)) throw new Problem('FORBIDDEN');
}

/** The `LIKE` pattern of a subtree; paths are digits and slashes only, so no escaping is needed. */
export const subtreePattern = (path: string) => `${path}%`;

/**
 * The same subtree as a half-open range [lo, hi) of paths, which both engines answer from a b-tree index (SQLite
 * cannot use an index for a case-insensitive LIKE). Paths end in '/', and the character after '/' is '0'.
 */
export function subtreeRange(path: string): [string, string] {
  return [path, `${path.slice(0, -1)}0`];
}
