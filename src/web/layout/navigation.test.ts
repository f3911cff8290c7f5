import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../core/roles.js';
import { activeNavItem, canOpen, landingPath, navigationFor, type NavItem } from './navigation.js';

const keys = (items: NavItem[]): string[] => items.flatMap((i) => [i.key, ...(i.children ? keys(i.children) : [])]);

const PLACES = ['map', 'points', 'grids'];

describe('navigationFor', () => {
  it.each<[Role, string[]]>([
    ['admin', ['dispatch', 'cases', 'report', 'ledger', 'imports', 'inspections', 'evidence', ...PLACES, 'calendar', 'categories', 'routing', 'standards', 'orgs', 'people', 'settings', 'settings-map', 'audit', 'api-keys']],
    ['office', ['dispatch', 'cases', 'report', 'ledger', 'imports', 'inspections', 'evidence', ...PLACES, 'calendar', 'categories', 'routing', 'standards', 'orgs', 'people', 'settings', 'settings-map', 'audit']],
    ['leader', ['dispatch', 'cases', 'report', 'ledger', 'inspections', 'evidence', ...PLACES, 'calendar', 'standards', 'orgs', 'people', 'settings', 'audit']],
    ['dispatcher', ['dispatch', 'cases', 'report', 'ledger', 'imports', ...PLACES, 'calendar', 'orgs', 'people']],
    ['unit', ['todo', 'cases', 'evidence', ...PLACES, 'routing']],
    ['grid_worker', ['grid-work', 'report', ...PLACES]],
    ['inspector', ['inspect', 'report', 'my-reports', ...PLACES, 'standards']],
    ['citizen_patrol', ['inspect', 'report', 'my-reports', ...PLACES]],
    ['volunteer', PLACES],
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

describe('landingPath', () => {
  it.each<[Role, string]>([
    ['admin', '/dispatch'],
    ['office', '/dispatch'],
    ['dispatcher', '/dispatch'],
    ['leader', '/dispatch'],
    ['unit', '/todo'],
    ['grid_worker', '/grid-work'],
    ['inspector', '/inspect'],
    ['citizen_patrol', '/inspect'],
    ['volunteer', '/map'],
  ])('%s lands on %s', (role, path) => {
    expect(landingPath(role)).toBe(path);
  });
});

describe('activeNavItem', () => {
  it.each([
    ['/map', 'map'],
    ['/points', 'points'],
    ['/settings/audit', 'audit'],
    ['/settings/api-keys', 'api-keys'],
    ['/cases', 'cases'],
    ['/cases/42', 'cases'],
    ['/dispatch', 'dispatch'],
    ['/inspections/12', 'inspections'],
    ['/inspect/12/points/3', 'inspect'],
    ['/nowhere', null],
  ])('%s → %s', (path, key) => {
    expect(activeNavItem(path)?.key ?? null).toBe(key);
  });
});
