import { describe, expect, it } from 'vitest';
import {
  ROUTING_LEVEL_ORDER,
  categoryMatch,
  resolveRouting,
  routingRuleKey,
  type RoutingCategory,
  type RoutingLevel,
  type RoutingLocation,
  type RoutingRule,
} from './routing.js';
import type { CategoryKind } from './categories.js';

// A location with every level known: point 100 (a market guarded by org 50) in micro-grid 11 of grid 10, in
// community 5 of street 2. Each rule level hands the case to its own unit (2xx), so the winner names the level.
const FULL: RoutingLocation = {
  pointId: 100,
  pointTypeCode: 'market',
  guardOrgId: 50,
  gridId: 10,
  microGridId: 11,
  communityId: 5,
  streetId: 2,
  gridOwnerId: 5,
};

const RULE_BY_LEVEL: Partial<Record<RoutingLevel, RoutingRule>> = {
  point: { id: 1, categoryCode: '1401', scopeType: 'point', pointId: 100, unitOrgId: 201 },
  point_type: { id: 3, categoryCode: '1401', scopeType: 'point_type', pointTypeCode: 'market', orgId: 2, unitOrgId: 203 },
  micro_grid: { id: 4, categoryCode: '1401', scopeType: 'grid', orgId: 11, unitOrgId: 204 },
  grid: { id: 5, categoryCode: '1401', scopeType: 'grid', orgId: 10, unitOrgId: 205 },
  community: { id: 6, categoryCode: '1401', scopeType: 'community', orgId: 5, unitOrgId: 206 },
  street: { id: 7, categoryCode: '1401', scopeType: 'street', orgId: 2, unitOrgId: 207 },
};

const UNIT_BY_LEVEL: Record<RoutingLevel, number> = {
  point: 201,
  guard: 50,
  point_type: 203,
  micro_grid: 204,
  grid: 205,
  community: 206,
  street: 207,
  category_default: 300,
  grid_owner: 5,
};

const category = (kind: CategoryKind, over: Partial<RoutingCategory> = {}): RoutingCategory => ({
  kind,
  code: kind === 'event' ? '1401' : '0101',
  parentCode: kind === 'event' ? '14' : '01',
  defaultUnitType: 'department:城管',
  ...over,
});

/** The situation where every level before `level` is switched off, so `level` should decide. */
function upTo(kind: CategoryKind, level: RoutingLevel) {
  const order = ROUTING_LEVEL_ORDER[kind];
  const removed = new Set(order.slice(0, order.indexOf(level)));
  const code = kind === 'event' ? '1401' : '0101';
  const rules = Object.entries(RULE_BY_LEVEL)
    .filter(([l]) => !removed.has(l as RoutingLevel))
    .map(([, r]) => ({ ...r!, categoryCode: code }));
  const location = { ...FULL, guardOrgId: removed.has('guard') ? null : FULL.guardOrgId };
  const cat = category(kind, { defaultUnitType: removed.has('category_default') ? null : 'department:城管' });
  return { rules, location, cat };
}

const cases = (kind: CategoryKind) => ROUTING_LEVEL_ORDER[kind].map((level, i) => [kind, i + 1, level] as const);

describe('resolveRouting precedence', () => {
  it('orders 部件 owner first and 事件 territory first', () => {
    expect(ROUTING_LEVEL_ORDER.component).toEqual(['point', 'guard', 'point_type', 'micro_grid', 'grid', 'community', 'street', 'category_default', 'grid_owner']);
    expect(ROUTING_LEVEL_ORDER.event).toEqual(['point', 'micro_grid', 'grid', 'community', 'point_type', 'guard', 'street', 'category_default', 'grid_owner']);
  });

  it.each([...cases('component'), ...cases('event')])('%s: level %i (%s) decides when the levels before it are empty', (kind, _n, level) => {
    const { rules, location, cat } = upTo(kind, level);
    const d = resolveRouting(cat, location, rules, { defaultUnitOrgId: 300 });
    expect(d.level).toBe(level);
    expect(d.unitOrgId).toBe(UNIT_BY_LEVEL[level]);
    expect(d.ruleId).toBe(RULE_BY_LEVEL[level]?.id ?? null);
    // The chain shows every earlier level as empty, in order, and ends with the decision.
    const order = ROUTING_LEVEL_ORDER[kind];
    expect(d.steps.map((s) => s.level)).toEqual(order.slice(0, order.indexOf(level) + 1));
    expect(d.steps.at(-1)).toMatchObject({ level, outcome: 'matched' });
    expect(d.steps.slice(0, -1).every((s) => s.outcome === 'no_match' || s.outcome === 'not_applicable')).toBe(true);
  });

  it.each([
    // [kind, rules present, the point has a guard unit, expected winning level]: the two kinds disagree exactly
    // where domain.md says they do.
    ['component', ['grid', 'point_type'], false, 'point_type'],
    ['event', ['grid', 'point_type'], false, 'grid'],
    ['component', ['community'], true, 'guard'],
    ['event', ['community'], true, 'community'],
    ['event', ['street'], true, 'guard'],
    ['event', ['point_type'], true, 'point_type'],
    ['component', ['point_type'], true, 'guard'],
  ] as const)('%s with rules at %j (guard unit: %s): %s wins', (kind, levels, guarded, expected) => {
    const code = kind === 'event' ? '1401' : '0101';
    const rules = levels.map((l) => ({ ...RULE_BY_LEVEL[l]!, categoryCode: code }));
    expect(resolveRouting(category(kind), { ...FULL, guardOrgId: guarded ? 50 : null }, rules).level).toBe(expected);
  });
});

describe('resolveRouting within a level', () => {
  const grid = (id: number, categoryCode: string | null, unitOrgId: number): RoutingRule => ({ id, categoryCode, scopeType: 'grid', orgId: 10, unitOrgId });

  it.each([
    ['小类 beats 大类 and any', [grid(1, null, 901), grid(2, '14', 902), grid(3, '1401', 903)], 903, 'exact'],
    ['大类 beats any', [grid(1, null, 901), grid(2, '14', 902)], 902, 'parent'],
    ['any applies when nothing closer exists', [grid(1, null, 901)], 901, 'any'],
    ['another 大类 or 小类 does not apply', [grid(1, '11', 911), grid(2, '1402', 912), grid(3, null, 901)], 901, 'any'],
    ['ties go to the lowest id', [grid(8, '1401', 908), grid(4, '1401', 904)], 904, 'exact'],
    ['an inactive rule is ignored', [{ ...grid(3, '1401', 903), active: false }, grid(2, '14', 902)], 902, 'parent'],
  ] as const)('%s', (_name, rules, unit, match) => {
    const d = resolveRouting(category('event'), { gridId: 10, communityId: 5, streetId: 2 }, rules);
    expect(d).toMatchObject({ level: 'grid', unitOrgId: unit, categoryMatch: match });
  });

  it('a 大类 category is matched by its own rule and by any-category rules only', () => {
    const cat: RoutingCategory = { kind: 'event', code: '14', parentCode: null };
    expect(categoryMatch({ categoryCode: '14' }, cat)).toBe('exact');
    expect(categoryMatch({ categoryCode: '1401' }, cat)).toBeNull();
    expect(categoryMatch({ categoryCode: null }, cat)).toBe('any');
  });

  it('skips a rule whose unit is inactive and takes the next candidate, showing the skip in the chain', () => {
    const rules = [grid(3, '1401', 903), grid(2, '14', 902)];
    const d = resolveRouting(category('event'), { gridId: 10, communityId: 5 }, rules, { inactiveUnitIds: [903] });
    expect(d).toMatchObject({ unitOrgId: 902, ruleId: 2, level: 'grid' });
    expect(d.steps.filter((s) => s.level === 'grid')).toEqual([
      { level: 'grid', outcome: 'skipped', reason: 'unit_inactive', ruleId: 3, unitOrgId: 903, categoryMatch: 'exact' },
      { level: 'grid', outcome: 'matched', reason: 'rule', ruleId: 2, unitOrgId: 902, categoryMatch: 'parent' },
    ]);
  });

  it('moves on to the next level when every rule of a level names an inactive unit', () => {
    const rules = [grid(3, '1401', 903), { id: 6, categoryCode: null, scopeType: 'community' as const, orgId: 5, unitOrgId: 906 }];
    const d = resolveRouting(category('event'), { gridId: 10, communityId: 5 }, rules, { inactiveUnitIds: [903] });
    expect(d).toMatchObject({ level: 'community', unitOrgId: 906 });
  });
});

describe('resolveRouting with partial locations', () => {
  it('a location without a point skips the point, type and guard levels as not applicable', () => {
    const d = resolveRouting(category('component', { defaultUnitType: null }), { gridId: 10, communityId: 5, streetId: 2 }, []);
    expect(d).toMatchObject({ level: 'grid_owner', unitOrgId: 5, ruleId: null });
    const byLevel = Object.fromEntries(d.steps.map((s) => [s.level, s]));
    expect(byLevel.point).toMatchObject({ outcome: 'not_applicable', reason: 'no_point' });
    expect(byLevel.guard).toMatchObject({ outcome: 'not_applicable', reason: 'no_point' });
    expect(byLevel.point_type).toMatchObject({ outcome: 'not_applicable', reason: 'no_point' });
    expect(byLevel.micro_grid).toMatchObject({ outcome: 'not_applicable', reason: 'no_micro_grid' });
    expect(byLevel.grid).toMatchObject({ outcome: 'no_match', reason: 'no_rule' });
    expect(byLevel.category_default).toMatchObject({ outcome: 'not_applicable', reason: 'no_default' });
  });

  it('a point without a guard unit says so', () => {
    const d = resolveRouting(category('component', { defaultUnitType: null }), { ...FULL, guardOrgId: null }, []);
    expect(d.steps.find((s) => s.level === 'guard')).toMatchObject({ outcome: 'not_applicable', reason: 'no_guard' });
  });

  it('a point-type rule of another street does not apply', () => {
    const rule: RoutingRule = { id: 1, categoryCode: null, scopeType: 'point_type', pointTypeCode: 'market', orgId: 99, unitOrgId: 203 };
    expect(resolveRouting(category('event', { defaultUnitType: null }), { ...FULL, guardOrgId: null }, [rule]).level).toBe('grid_owner');
  });

  it('outside every grid and without a point nobody is responsible', () => {
    const d = resolveRouting(category('event', { defaultUnitType: null }), {}, []);
    expect(d).toMatchObject({ unitOrgId: null, level: null, ruleId: null });
    expect(d.steps.at(-1)).toMatchObject({ level: 'grid_owner', outcome: 'not_applicable', reason: 'no_grid' });
  });

  it('the grid owner defaults to the community of the grid', () => {
    expect(resolveRouting(category('event', { defaultUnitType: null }), { gridId: 10, communityId: 5 }, []).unitOrgId).toBe(5);
    expect(resolveRouting(category('event', { defaultUnitType: null }), { gridId: 10, communityId: 5, gridOwnerId: 8 }, []).unitOrgId).toBe(8);
  });

  it.each([
    ['community', { gridId: 10, communityId: 5 }, undefined, 5, 'matched', 'category_default'],
    ['guard', { pointId: 100, guardOrgId: null, gridId: 10, communityId: 5 }, undefined, 5, 'not_applicable', 'no_guard'],
    ['guard', { gridId: 10, communityId: 5 }, undefined, 5, 'not_applicable', 'no_point'],
    ['department:城管', { gridId: 10, communityId: 5 }, 300, 300, 'matched', 'category_default'],
    ['department:城管', { gridId: 10, communityId: 5 }, null, 5, 'not_applicable', 'default_unit_missing'],
  ] as const)('default unit type %s → unit %s', (type, location, defaultUnitOrgId, unit, outcome, reason) => {
    const d = resolveRouting(category('event', { defaultUnitType: type }), location, [], { defaultUnitOrgId });
    expect(d.unitOrgId).toBe(unit);
    expect(d.steps.find((s) => s.level === 'category_default')).toMatchObject({ outcome, reason });
  });

  it('skips an inactive guard unit and an inactive grid owner', () => {
    const d = resolveRouting(category('component', { defaultUnitType: null }), FULL, [], { inactiveUnitIds: [50, 5] });
    expect(d.unitOrgId).toBeNull();
    expect(d.steps.find((s) => s.level === 'guard')).toMatchObject({ outcome: 'skipped', reason: 'unit_inactive', unitOrgId: 50 });
  });
});

describe('routingRuleKey', () => {
  it.each([
    [{ categoryId: 3, scopeType: 'grid', orgId: 10 }, 'c3|grid|o10'],
    [{ categoryId: null, scopeType: 'street', orgId: 2 }, 'c*|street|o2'],
    [{ categoryId: 3, scopeType: 'point', pointId: 100 }, 'c3|point|p100'],
    [{ categoryId: 3, scopeType: 'point_type', pointTypeCode: 'market', orgId: 2 }, 'c3|point_type|tmarket@2'],
  ] as const)('%j → %s', (rule, key) => {
    expect(routingRuleKey(rule)).toBe(key);
  });
});
