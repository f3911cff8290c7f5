// Request and response shapes of the 责任清单 API. Ids fit PostgreSQL's int4, strings are bounded.
import { Type, type TSchema } from 'typebox';
import { ROUTING_SCOPE_TYPES } from '../../../core/routing.js';
import { CATEGORY_CODE_PATTERN } from '../../../core/categories.js';
import { PageOf, PageQuery } from '../../lib/paging.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const TypeCode = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' });
export const ScopeType = Type.Union(ROUTING_SCOPE_TYPES.map((s) => Type.Literal(s)), {
  description: 'point 点位 · point_type 点位类型 (in a street) · grid 网格/微网格 · community 社区 · street 全街道',
});

export const Rule = Type.Object({
  id: Type.Integer(),
  categoryId: Nullable(Type.Integer()),
  categoryCode: Nullable(Type.String()),
  categoryName: Nullable(Type.String()),
  categoryKind: Nullable(Type.String()),
  scopeType: Type.String(),
  pointId: Nullable(Type.Integer()),
  pointName: Nullable(Type.String()),
  pointTypeCode: Nullable(Type.String()),
  pointTypeName: Nullable(Type.String()),
  targetOrgId: Nullable(Type.Integer()),
  targetOrgName: Nullable(Type.String()),
  targetOrgKind: Nullable(Type.String()),
  unitOrgId: Type.Integer(),
  unitOrgName: Type.String(),
  unitOrgKind: Type.String(),
  unitActive: Type.Boolean(),
  notes: Nullable(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const RulePage = PageOf(Rule);

export const ListRulesQuery = Type.Object({
  categoryId: Type.Optional(Id),
  anyCategory: Type.Optional(Type.Boolean({ description: 'only rules for any category' })),
  scopeType: Type.Optional(ScopeType),
  unitOrgId: Type.Optional(Id),
  targetOrgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'rules whose place lies inside this org' })),
  pointId: Type.Optional(Id),
  active: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  ...PageQuery,
});

export const CreateRuleBody = Type.Object({
  categoryId: Nullable(Id),
  scopeType: ScopeType,
  pointId: Type.Optional(Nullable(Id)),
  pointTypeCode: Type.Optional(Nullable(TypeCode)),
  targetOrgId: Type.Optional(Nullable(Id)),
  unitOrgId: Id,
  notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});

export const UpdateRuleBody = Type.Object({
  version: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  categoryId: Type.Optional(Nullable(Id)),
  scopeType: Type.Optional(ScopeType),
  pointId: Type.Optional(Nullable(Id)),
  pointTypeCode: Type.Optional(Nullable(TypeCode)),
  targetOrgId: Type.Optional(Nullable(Id)),
  unitOrgId: Type.Optional(Id),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  active: Type.Optional(Type.Boolean()),
});

export const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const IdParams = Type.Object({ id: Id });

export const ResolveQuery = Type.Object({
  categoryCode: Type.String({ pattern: CATEGORY_CODE_PATTERN, maxLength: 4 }),
  pointId: Type.Optional(Id),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});

const Ref = Nullable(Type.Object({ id: Type.Integer(), name: Type.String() }));

export const Resolution = Type.Object({
  category: Type.Object({ id: Type.Integer(), code: Type.String(), kind: Type.String(), nameZh: Type.String(), nameEn: Type.String(), active: Type.Boolean() }),
  location: Type.Object({
    point: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), typeCode: Type.String() })),
    guard: Ref,
    grid: Ref,
    microGrid: Ref,
    community: Ref,
    street: Ref,
  }),
  unit: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String() })),
  level: Nullable(Type.String({ description: 'the level that decided (core/routing.ts RoutingLevel)' })),
  ruleId: Nullable(Type.Integer()),
  categoryMatch: Nullable(Type.String({ description: 'exact · parent (大类 rule) · any' })),
  steps: Type.Array(
    Type.Object({
      level: Type.String(),
      outcome: Type.String({ description: 'matched · no_match · not_applicable · skipped' }),
      reason: Type.String(),
      ruleId: Nullable(Type.Integer()),
      unitOrgId: Nullable(Type.Integer()),
      unitName: Nullable(Type.String()),
      categoryMatch: Nullable(Type.String()),
    }),
  ),
});
