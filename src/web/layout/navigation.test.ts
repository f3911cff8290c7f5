import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../core/roles.js';
import { activeNavItem, canOpen, navigationFor, type NavItem } from './navigation.js';

const keys = (items: NavItem[]): string[] => items.flatMap((i) => [i.key, ...(i.children ? keys(i.children) : [])]);

describe('navigationFor', () => {
  it.each<[Role, string[]]>([
    ['admin', ['map', 'points', 'grids', 'orgs', 'people', 'settings', 'settings-map', 'audit', 'api-keys']],
    ['office', ['map', 'points', 'grids', 'orgs', 'people', 'settings', 'settings-map', 'audit']],
    ['leader', ['map', 'points', 'grids', 'orgs', 'people', 'settings', 'audit']],
    ['dispatcher', ['map', 'points', 'grids', 'orgs', 'people']],
    ['unit', ['map', 'points', 'grids']],
    ['grid_worker', ['map', 'points', 'grids']],
    ['inspector', ['map', 'points', 'grids']],
    ['citizen_patrol', ['map', 'points', 'grids']],
    ['volunteer', ['map', 'points', 'grids']],
  ])('%s sees %j', (role, expected) => {
    expect(keys(navigationFor(role))).toEqual(expected);
  });

  it('gives every role at least the map', () => {
    for (const role of ROLES) expect(canOpen(role, 'map')).toBe(true);
  });

  it('keeps API keys for administrators only', () => {
    expect(ROLES.filter((r) => canOpen(r, 'api-keys'))).toEqual(['admin']);
  });
});

describe('activeNavItem', () => {
  it.each([
    ['/map', 'map'],
    ['/points', 'points'],
    ['/settings/audit', 'audit'],
    ['/settings/api-keys', 'api-keys'],
    ['/nowhere', null],
  ])('%s → %s', (path, key) => {
    expect(activeNavItem(path)?.key ?? null).toBe(key);
  });
});
