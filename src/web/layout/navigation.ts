// Console navigation: which screens a role sees. The server enforces permissions; this only keeps menus honest.
import { can, type Role } from '../../core/roles.js';
import type { MessageKey } from '../i18n/core.js';

export type NavKey =
  | 'dispatch'
  | 'todo'
  | 'grid-work'
  | 'report'
  | 'my-reports'
  | 'cases'
  | 'ledger'
  | 'imports'
  | 'map'
  | 'points'
  | 'grids'
  | 'calendar'
  | 'categories'
  | 'routing'
  | 'standards'
  | 'inspections'
  | 'inspect'
  | 'evidence'
  | 'orgs'
  | 'people'
  | 'settings'
  | 'settings-map'
  | 'audit'
  | 'api-keys';

export interface NavItem {
  key: NavKey;
  path: string;
  label: MessageKey;
  roles: readonly Role[];
  children?: NavItem[];
}

const MANAGERS: readonly Role[] = ['admin', 'office', 'leader', 'dispatcher'];
/** Roles that enter problems: the office at a desk, grid workers, inspectors and the citizen patrol in the field. */
const REPORTERS: readonly Role[] = ['admin', 'office', 'dispatcher', 'leader', 'grid_worker', 'inspector', 'citizen_patrol'];
const EVERYONE: readonly Role[] = ['admin', 'leader', 'office', 'dispatcher', 'unit', 'grid_worker', 'inspector', 'citizen_patrol', 'volunteer'];

// Each role's workbench comes first: it is where the role lands after signing in.
export const NAVIGATION: NavItem[] = [
  { key: 'dispatch', path: '/dispatch', label: 'nav.dispatch', roles: MANAGERS },
  { key: 'todo', path: '/todo', label: 'nav.todo', roles: ['unit'] },
  { key: 'grid-work', path: '/grid-work', label: 'nav.gridWork', roles: ['grid_worker'] },
  // 现场测评 on the phone: the inspector's and the citizen patrol's workbench (office staff on a plan open it from there).
  { key: 'inspect', path: '/inspect', label: 'nav.inspect', roles: ['inspector', 'citizen_patrol'] },
  { key: 'cases', path: '/cases', label: 'nav.cases', roles: [...MANAGERS, 'unit'] },
  { key: 'report', path: '/report', label: 'nav.report', roles: REPORTERS },
  { key: 'my-reports', path: '/my-reports', label: 'nav.myReports', roles: ['inspector', 'citizen_patrol'] },
  { key: 'ledger', path: '/ledger', label: 'nav.ledger', roles: MANAGERS },
  // The server lets the 创城办 and dispatchers import (督查通报, 12345); leaders read what came in.
  { key: 'imports', path: '/imports', label: 'nav.imports', roles: ['admin', 'office', 'dispatcher'] },
  // 测评计划: the office plans and scores inspections; leaders read them.
  { key: 'inspections', path: '/inspections', label: 'nav.inspections', roles: ['admin', 'office', 'leader'] },
  // 材料审核: the office and leaders review; community officers (unit role) hand in their community's materials.
  { key: 'evidence', path: '/evidence', label: 'nav.evidence', roles: ['admin', 'office', 'leader', 'unit'] },
  { key: 'map', path: '/map', label: 'nav.map', roles: EVERYONE },
  { key: 'points', path: '/points', label: 'nav.points', roles: EVERYONE },
  { key: 'grids', path: '/grids', label: 'nav.grids', roles: EVERYONE },
  { key: 'calendar', path: '/calendar', label: 'nav.calendar', roles: MANAGERS },
  { key: 'categories', path: '/categories', label: 'nav.categories', roles: ['admin', 'office'] },
  { key: 'routing', path: '/routing', label: 'nav.routing', roles: ['admin', 'office', 'unit'] },
  { key: 'standards', path: '/standards', label: 'nav.standards', roles: ['admin', 'office', 'leader', 'inspector'] },
  { key: 'orgs', path: '/orgs', label: 'nav.orgs', roles: MANAGERS },
  { key: 'people', path: '/people', label: 'nav.people', roles: MANAGERS },
  {
    key: 'settings',
    path: '/settings',
    label: 'nav.settings',
    roles: ['admin', 'office', 'leader'],
    children: [
      { key: 'settings-map', path: '/settings/map', label: 'nav.settingsMap', roles: ['admin', 'office'] },
      { key: 'audit', path: '/settings/audit', label: 'nav.audit', roles: ['admin', 'office', 'leader'] },
      { key: 'api-keys', path: '/settings/api-keys', label: 'nav.apiKeys', roles: ['admin'] },
    ],
  },
];

/** The menu a role sees: items it may open, groups kept only when they still hold a child. */
export function navigationFor(role: Role, items: NavItem[] = NAVIGATION): NavItem[] {
  const result: NavItem[] = [];
  for (const item of items) {
    if (!item.roles.includes(role)) continue;
    if (item.children) {
      const children = navigationFor(role, item.children);
      if (children.length) result.push({ ...item, children });
    } else {
      result.push(item);
    }
  }
  return result;
}

/** The leaf whose path is the longest prefix of the location, for highlighting the menu. */
export function activeNavItem(pathname: string, items: NavItem[] = NAVIGATION): NavItem | null {
  let best: NavItem | null = null;
  const visit = (list: NavItem[]) => {
    for (const item of list) {
      if (item.children) visit(item.children);
      else if ((pathname === item.path || pathname.startsWith(`${item.path}/`)) && (!best || item.path.length > best.path.length)) best = item;
    }
  };
  visit(items);
  return best;
}

/** Where a role lands after signing in: its workbench, the first item of its menu. */
export function landingPath(role: Role): string {
  const first = navigationFor(role)[0];
  return first?.children?.[0]?.path ?? first?.path ?? '/map';
}

export function canOpen(role: Role, key: NavKey): boolean {
  const find = (list: NavItem[]): NavItem | undefined => {
    for (const item of list) {
      if (item.key === key) return item;
      const child = item.children && find(item.children);
      if (child) return child;
    }
    return undefined;
  };
  return find(NAVIGATION)?.roles.includes(role) ?? false;
}

/** Write permissions shown as buttons; mirrors src/core/roles.ts. */
export const mayEditOrgs = (role: Role) => can(role, 'org.write');
export const mayEditUsers = (role: Role) => can(role, 'user.write');
export const mayEditPlaces = (role: Role) => can(role, 'place.write');
export const mayEditSettings = (role: Role) => can(role, 'settings.write');
