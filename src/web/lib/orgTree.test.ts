import { describe, expect, it } from 'vitest';
import { ALLOWED_PARENTS, ORG_KINDS, type OrgKind } from '../../core/org.js';
import type { OrgNode } from '../api/types.js';
import { buildOrgTree, CHILD_KINDS, matchOrgTree, suggestChildCode, toId } from './orgTree.js';

const node = (id: number, parentId: number | null, kind: OrgKind, name: string, code: string | null = null, sort = 0): OrgNode => ({
  id, parentId, kind, name, code, sort, active: true, childCount: 0,
});

const nodes: OrgNode[] = [
  node(1, null, 'street', '新华街道', '370303001'),
  node(3, 1, 'community', '杏园社区', '370303001002', 2),
  node(2, 1, 'community', '华光社区', '370303001001', 1),
  node(4, 2, 'grid', '华光一网格', '370303001001001'),
  node(5, 1, 'department', '城管科'),
  node(6, 99, 'grid', '外部父节点的网格', '370303009001001'),
];

describe('buildOrgTree', () => {
  it('nests children under parents, ordered by sort then code', () => {
    const roots = buildOrgTree(nodes);
    const street = roots.find((r) => r.id === 1)!;
    expect(street.children.map((c) => c.name)).toEqual(['城管科', '华光社区', '杏园社区']);
    expect(street.children[1].children.map((c) => c.name)).toEqual(['华光一网格']);
  });

  it('makes a node whose parent is outside the visible subtree a root', () => {
    expect(buildOrgTree(nodes).map((r) => r.id).sort()).toEqual([1, 6]);
  });
});

describe('matchOrgTree', () => {
  it('finds by name or code and expands the ancestors', () => {
    const { matches, expand } = matchOrgTree(nodes, '一网格');
    expect([...matches]).toEqual(['4']);
    expect([...expand].sort()).toEqual(['1', '2']);
    expect([...matchOrgTree(nodes, '370303001002').matches]).toEqual(['3']);
  });

  it('matches nothing for blank text', () => {
    expect(matchOrgTree(nodes, '  ').matches.size).toBe(0);
  });
});

describe('CHILD_KINDS', () => {
  it.each(ORG_KINDS)('offers under %s only kinds the server accepts there', (parent) => {
    for (const child of CHILD_KINDS[parent]) expect(ALLOWED_PARENTS[child]).toContain(parent);
  });

  it.each<[OrgKind, OrgKind[]]>([
    ['street', ['community', 'department', 'stationed_unit', 'property_company']],
    ['community', ['grid']],
    ['grid', ['micro_grid']],
    ['micro_grid', []],
  ])('under %s: %j', (parent, expected) => {
    expect(CHILD_KINDS[parent]).toEqual(expected);
  });
});

describe('suggestChildCode', () => {
  it.each([
    ['370303001001', ['370303001001001', '370303001001003'], '370303001001004'],
    ['370303001001', [], '370303001001001'],
    ['370303001', ['370303001009', null, '999'], '370303001010'],
    [null, ['1'], ''],
  ])('under %s with %j → %s', (parent, siblings, expected) => {
    expect(suggestChildCode(parent, siblings)).toBe(expected);
  });
});

describe('toId', () => {
  it.each([
    ['21', 21],
    [21, 21],
    ['a1b2', 'a1b2'],
    ['0190f0e2-uuid', '0190f0e2-uuid'],
  ])('%j → %j', (value, expected) => {
    expect(toId(value)).toBe(expected);
  });
});
