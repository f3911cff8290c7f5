// 责任清单 (responsibility list): who handles a problem of a category at a place. The rules are data kept by the
// campaign office; this resolver is the one place that decides which rule wins (docs/routing.md). Pure: the
// server loads the category, the location context and the candidate rules, the resolver answers with the unit,
// the deciding rule and the chain of levels it looked at.
import type { CategoryKind } from './categories.js';
import { parseDefaultUnitType } from './categories.js';

/** What a rule is attached to. */
export const ROUTING_SCOPE_TYPES = ['point', 'point_type', 'grid', 'community', 'street'] as const;
export type RoutingScopeType = (typeof ROUTING_SCOPE_TYPES)[number];

export const ROUTING_SCOPE_LABELS: Record<RoutingScopeType, { zh: string; en: string }> = {
  point: { zh: '点位', en: 'Point' },
  point_type: { zh: '点位类型', en: 'Point type' },
  grid: { zh: '网格/微网格', en: 'Grid / micro-grid' },
  community: { zh: '社区', en: 'Community' },
  street: { zh: '全街道', en: 'Whole street' },
};

/** Org kinds a rule's target may be, per scope (point and point type rules name their street as target). */
export const SCOPE_TARGET_KINDS: Record<RoutingScopeType, readonly string[]> = {
  point: [],
  point_type: ['street'],
  grid: ['grid', 'micro_grid'],
  community: ['community'],
  street: ['street'],
};

/** Org kinds that can be a responsible unit (责任单位). */
export const RESPONSIBLE_UNIT_KINDS = ['community', 'department', 'stationed_unit', 'property_company'] as const;

/** The steps of the decision, in the order of the kind's precedence. */
export type RoutingLevel =
  | 'point' // a rule for this very point (点位)
  | 'guard' // the point's 包保单位
  | 'point_type' // a rule for the point's type (点位类型)
  | 'micro_grid' // a rule for the micro-grid (微网格)
  | 'grid' // a rule for the grid (网格)
  | 'community' // a rule for the community (社区)
  | 'street' // a street-wide rule (全街道)
  | 'category_default' // the category's default responsible unit type
  | 'grid_owner'; // the community that owns the grid (属地兜底)

export const ROUTING_LEVEL_LABELS: Record<RoutingLevel, { zh: string; en: string }> = {
  point: { zh: '点位规则', en: 'Point rule' },
  guard: { zh: '点位包保单位', en: "Point's guard unit" },
  point_type: { zh: '点位类型规则', en: 'Point-type rule' },
  micro_grid: { zh: '微网格规则', en: 'Micro-grid rule' },
  grid: { zh: '网格规则', en: 'Grid rule' },
  community: { zh: '社区规则', en: 'Community rule' },
  street: { zh: '全街道规则', en: 'Street-wide rule' },
  category_default: { zh: '类别默认责任单位', en: "Category's default unit" },
  grid_owner: { zh: '网格属地兜底', en: 'Grid owner (fallback)' },
};

/**
 * 部件 (components): owner first, then territory (先属主、后属地) — the point, its guard unit and its type come
 * before the grid, community and street. 事件 (events): territory first, then owner (先属地、后属主) — grid and
 * community rules come before the point type and the guard unit. Both end with the street-wide rule, the
 * category's default unit and the grid owner.
 */
export const ROUTING_LEVEL_ORDER: Record<CategoryKind, readonly RoutingLevel[]> = {
  component: ['point', 'guard', 'point_type', 'micro_grid', 'grid', 'community', 'street', 'category_default', 'grid_owner'],
  event: ['point', 'micro_grid', 'grid', 'community', 'point_type', 'guard', 'street', 'category_default', 'grid_owner'],
};

export interface RoutingCategory {
  kind: CategoryKind;
  code: string;
  /** The 大类 code of a 小类; null for a 大类. */
  parentCode: string | null;
  defaultUnitType?: string | null;
}

/** Where the problem is. Every field may be missing (a location without a point has no point, type or guard). */
export interface RoutingLocation {
  pointId?: number | null;
  pointTypeCode?: string | null;
  /** The point's 包保单位. */
  guardOrgId?: number | null;
  gridId?: number | null;
  microGridId?: number | null;
  communityId?: number | null;
  streetId?: number | null;
  /** The grid's owner; the community of the grid when not given. */
  gridOwnerId?: number | null;
}

export interface RoutingRule {
  id: number;
  /** A 小类 code, a 大类 code (covers its 小类), or null for any category. */
  categoryCode: string | null;
  scopeType: RoutingScopeType;
  pointId?: number | null;
  pointTypeCode?: string | null;
  /** The target org: grid or micro-grid, community, or street (also the street of a point-type rule). */
  orgId?: number | null;
  unitOrgId: number;
  active?: boolean;
}

export interface RoutingOptions {
  /** The org a tagged default unit type (`department:城管`) names in the location's street; the caller looks it up. */
  defaultUnitOrgId?: number | null;
  /** Units that are switched off: a rule naming one is skipped, with the reason in the chain. */
  inactiveUnitIds?: readonly number[];
}

/** How closely a rule's category fits: the category itself (小类), its 大类, or any category. */
export type CategoryMatch = 'exact' | 'parent' | 'any';
const MATCH_RANK: Record<CategoryMatch, number> = { exact: 0, parent: 1, any: 2 };

export type RoutingOutcome = 'matched' | 'no_match' | 'not_applicable' | 'skipped';

export type RoutingReason =
  | 'rule' // a rule decided
  | 'guard_unit' // the point's guard unit decided
  | 'category_default' // the category's default unit decided
  | 'grid_owner' // the grid owner decided
  | 'no_rule' // the place is known but no rule covers it
  | 'no_point' // no point given
  | 'no_point_type'
  | 'no_guard' // the point has no guard unit
  | 'no_micro_grid'
  | 'no_grid'
  | 'no_community'
  | 'no_street'
  | 'no_default' // the category names no default unit
  | 'default_unit_missing' // the default unit type names an org that the street does not have
  | 'unit_inactive'; // the unit is switched off

export interface RoutingStep {
  level: RoutingLevel;
  outcome: RoutingOutcome;
  reason: RoutingReason;
  ruleId: number | null;
  unitOrgId: number | null;
  categoryMatch: CategoryMatch | null;
}

export interface RoutingDecision {
  /** The responsible unit, or null when nothing (not even a grid owner) is known. */
  unitOrgId: number | null;
  level: RoutingLevel | null;
  ruleId: number | null;
  categoryMatch: CategoryMatch | null;
  /** The levels looked at, in order, ending with the one that decided. */
  steps: RoutingStep[];
}

export function categoryMatch(rule: Pick<RoutingRule, 'categoryCode'>, category: Pick<RoutingCategory, 'code' | 'parentCode'>): CategoryMatch | null {
  if (rule.categoryCode === null || rule.categoryCode === undefined) return 'any';
  if (rule.categoryCode === category.code) return 'exact';
  if (category.parentCode && rule.categoryCode === category.parentCode) return 'parent';
  return null;
}

/** The rules of one level that apply to the location; null when the location lacks what the level needs. */
function rulesAtLevel(level: RoutingLevel, loc: RoutingLocation, rules: readonly RoutingRule[]): { missing: RoutingReason } | RoutingRule[] {
  const has = (v: unknown) => v !== null && v !== undefined;
  switch (level) {
    case 'point':
      if (!has(loc.pointId)) return { missing: 'no_point' };
      return rules.filter((r) => r.scopeType === 'point' && r.pointId === loc.pointId);
    case 'point_type':
      if (!has(loc.pointTypeCode)) return { missing: has(loc.pointId) ? 'no_point_type' : 'no_point' };
      return rules.filter(
        (r) => r.scopeType === 'point_type' && r.pointTypeCode === loc.pointTypeCode && (!has(r.orgId) || r.orgId === loc.streetId),
      );
    case 'micro_grid':
      if (!has(loc.microGridId)) return { missing: 'no_micro_grid' };
      return rules.filter((r) => r.scopeType === 'grid' && r.orgId === loc.microGridId);
    case 'grid':
      if (!has(loc.gridId)) return { missing: 'no_grid' };
      return rules.filter((r) => r.scopeType === 'grid' && r.orgId === loc.gridId);
    case 'community':
      if (!has(loc.communityId)) return { missing: 'no_community' };
      return rules.filter((r) => r.scopeType === 'community' && r.orgId === loc.communityId);
    case 'street':
      if (!has(loc.streetId)) return { missing: 'no_street' };
      return rules.filter((r) => r.scopeType === 'street' && (!has(r.orgId) || r.orgId === loc.streetId));
    default:
      return [];
  }
}

const step = (level: RoutingLevel, outcome: RoutingOutcome, reason: RoutingReason, extra: Partial<RoutingStep> = {}): RoutingStep => ({
  level,
  outcome,
  reason,
  ruleId: null,
  unitOrgId: null,
  categoryMatch: null,
  ...extra,
});

/**
 * Decides the responsible unit. Levels are tried in the kind's order (ROUTING_LEVEL_ORDER); within a rule level
 * a rule for the category itself beats one for its 大类, which beats an any-category rule (ties: lowest id).
 * Inactive rules are ignored; a rule whose unit is switched off is skipped and the next candidate is tried.
 */
export function resolveRouting(
  category: RoutingCategory,
  location: RoutingLocation,
  rules: readonly RoutingRule[],
  options: RoutingOptions = {},
): RoutingDecision {
  const inactive = new Set(options.inactiveUnitIds ?? []);
  const steps: RoutingStep[] = [];
  const decide = (s: RoutingStep): RoutingDecision => {
    steps.push(s);
    return { unitOrgId: s.unitOrgId, level: s.level, ruleId: s.ruleId, categoryMatch: s.categoryMatch, steps };
  };
  /** Offers a unit that is not a rule (guard, default, owner): taken unless switched off. */
  const offer = (level: RoutingLevel, unitOrgId: number | null | undefined, reason: RoutingReason, missing: RoutingReason): RoutingDecision | null => {
    if (unitOrgId === null || unitOrgId === undefined) {
      steps.push(step(level, 'not_applicable', missing));
      return null;
    }
    if (inactive.has(unitOrgId)) {
      steps.push(step(level, 'skipped', 'unit_inactive', { unitOrgId }));
      return null;
    }
    return decide(step(level, 'matched', reason, { unitOrgId }));
  };

  const applicable = rules
    .filter((r) => r.active !== false)
    .map((r) => ({ rule: r, match: categoryMatch(r, category) }))
    .filter((c): c is { rule: RoutingRule; match: CategoryMatch } => c.match !== null);

  for (const level of ROUTING_LEVEL_ORDER[category.kind]) {
    let decided: RoutingDecision | null = null;
    switch (level) {
      case 'guard':
        decided = offer(level, location.guardOrgId, 'guard_unit', location.pointId === null || location.pointId === undefined ? 'no_point' : 'no_guard');
        break;
      case 'category_default': {
        const parsed = parseDefaultUnitType(category.defaultUnitType);
        if (!parsed) {
          steps.push(step(level, 'not_applicable', 'no_default'));
          break;
        }
        if (parsed.type === 'community') decided = offer(level, location.communityId, 'category_default', 'no_community');
        else if (parsed.type === 'guard') decided = offer(level, location.guardOrgId, 'category_default', location.pointId == null ? 'no_point' : 'no_guard');
        else decided = offer(level, options.defaultUnitOrgId, 'category_default', 'default_unit_missing');
        break;
      }
      case 'grid_owner':
        decided = offer(level, location.gridOwnerId ?? location.communityId, 'grid_owner', location.gridId == null ? 'no_grid' : 'no_community');
        break;
      default: {
        const found = rulesAtLevel(level, location, applicable.map((c) => c.rule));
        if (!Array.isArray(found)) {
          steps.push(step(level, 'not_applicable', found.missing));
          break;
        }
        const candidates = applicable
          .filter((c) => found.includes(c.rule))
          .sort((a, b) => MATCH_RANK[a.match] - MATCH_RANK[b.match] || a.rule.id - b.rule.id);
        for (const c of candidates) {
          const extra = { ruleId: c.rule.id, unitOrgId: c.rule.unitOrgId, categoryMatch: c.match };
          if (inactive.has(c.rule.unitOrgId)) {
            steps.push(step(level, 'skipped', 'unit_inactive', extra));
            continue;
          }
          decided = decide(step(level, 'matched', 'rule', extra));
          break;
        }
        if (!candidates.length) steps.push(step(level, 'no_match', 'no_rule'));
      }
    }
    if (decided) return decided;
  }
  return { unitOrgId: null, level: null, ruleId: null, categoryMatch: null, steps };
}

export const ROUTING_REASON_LABELS: Record<RoutingReason, { zh: string; en: string }> = {
  rule: { zh: '规则命中', en: 'a rule matched' },
  guard_unit: { zh: '由点位包保单位负责', en: "the point's guard unit" },
  category_default: { zh: '由类别默认责任单位负责', en: "the category's default unit" },
  grid_owner: { zh: '由网格所属社区兜底', en: 'the grid owner, as the fallback' },
  no_rule: { zh: '无适用规则', en: 'no rule applies' },
  no_point: { zh: '未指定点位', en: 'no point given' },
  no_point_type: { zh: '点位无类型', en: 'the point has no type' },
  no_guard: { zh: '点位无包保单位', en: 'the point has no guard unit' },
  no_micro_grid: { zh: '不在微网格内', en: 'not inside a micro-grid' },
  no_grid: { zh: '不在任何网格内', en: 'not inside a grid' },
  no_community: { zh: '无所属社区', en: 'no community' },
  no_street: { zh: '无所属街道', en: 'no street' },
  no_default: { zh: '类别未设默认责任单位', en: 'the category names no default unit' },
  default_unit_missing: { zh: '街道内没有与默认类型相符的单位', en: 'the street has no unit of the default type' },
  unit_inactive: { zh: '责任单位已停用，跳过', en: 'the unit is inactive; skipped' },
};

/** A stable key for "the same rule": one active rule per category × scope × target. */
export function routingRuleKey(r: Pick<RoutingRule, 'scopeType' | 'pointId' | 'pointTypeCode' | 'orgId'> & { categoryId: number | null }): string {
  const target =
    r.scopeType === 'point' ? `p${r.pointId}` : r.scopeType === 'point_type' ? `t${r.pointTypeCode}@${r.orgId ?? ''}` : `o${r.orgId}`;
  return `c${r.categoryId ?? '*'}|${r.scopeType}|${target}`;
}
