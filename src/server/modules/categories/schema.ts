// Request and response shapes of the categories API. Every number is bounded and every string has a maxLength.
import { Type, type TSchema } from 'typebox';
import { CATEGORY_CODE_PATTERN, CATEGORY_KINDS, DEFAULT_UNIT_TYPE_MAX_LENGTH, MAX_TIME_LIMIT, TIME_LIMIT_UNITS } from '../../../core/categories.js';

const Nullable = <T extends TSchema>(t: T, options: { description?: string } = {}) => Type.Union([t, Type.Null()], options);
export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const CategoryKind = Type.Union(CATEGORY_KINDS.map((k) => Type.Literal(k)));
export const CategoryCode = Type.String({ pattern: CATEGORY_CODE_PATTERN, maxLength: 4, description: '大类 2 digits, 小类 4 digits (大类 + 2)' });

export const TimeLimit = Type.Object(
  {
    unit: Type.Union(TIME_LIMIT_UNITS.map((u) => Type.Literal(u)), { description: 'work_hours 工作时 · work_days 工作日 · clock_hours 小时（全天候）' }),
    value: Type.Number({ exclusiveMinimum: 0, maximum: Math.max(...Object.values(MAX_TIME_LIMIT)) }),
  },
  { additionalProperties: false },
);

export const Category = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  code: Type.String(),
  level: Type.Union([Type.Literal('major'), Type.Literal('minor')]),
  parentId: Nullable(Type.Integer()),
  parentCode: Nullable(Type.String()),
  nameZh: Type.String(),
  nameEn: Type.String(),
  filingCondition: Type.String({ description: '立案条件' }),
  closingCondition: Type.String({ description: '结案条件' }),
  timeLimit: Nullable(Type.Object({ unit: Type.String(), value: Type.Number() }), { description: '处置时限; null on a 大类 without a default' }),
  effectiveTimeLimit: Nullable(Type.Object({ unit: Type.String(), value: Type.Number() }), { description: 'its own limit, else its 大类’s' }),
  timeLimitText: Type.String({ description: 'the effective limit in the caller’s language, e.g. "4 个工作时"' }),
  urgent: Type.Boolean({ description: 'counted round the clock' }),
  defaultUnitType: Nullable(Type.String()),
  citizenReportable: Type.Boolean(),
  active: Type.Boolean(),
  sort: Type.Integer(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const CategoryList = Type.Object({ items: Type.Array(Category), total: Type.Integer() });

export const ListCategoriesQuery = Type.Object({
  kind: Type.Optional(CategoryKind),
  active: Type.Optional(Type.Boolean()),
  citizenReportable: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ maxLength: 50 })),
});

const Text = (max: number) => Type.String({ maxLength: max });
const DefaultUnitType = Type.String({ maxLength: DEFAULT_UNIT_TYPE_MAX_LENGTH, description: "community · guard · department:<name> · stationed_unit:<name> · property_company:<name>" });

export const CreateCategoryBody = Type.Object({
  kind: CategoryKind,
  code: CategoryCode,
  nameZh: Type.String({ minLength: 1, maxLength: 50 }),
  nameEn: Type.Optional(Text(100)),
  filingCondition: Type.Optional(Text(500)),
  closingCondition: Type.Optional(Text(500)),
  timeLimit: Type.Optional(Nullable(TimeLimit)),
  urgent: Type.Optional(Type.Boolean()),
  defaultUnitType: Type.Optional(Nullable(DefaultUnitType)),
  citizenReportable: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
});

export const UpdateCategoryBody = Type.Object({
  version: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  nameEn: Type.Optional(Text(100)),
  filingCondition: Type.Optional(Text(500)),
  closingCondition: Type.Optional(Text(500)),
  timeLimit: Type.Optional(Nullable(TimeLimit)),
  urgent: Type.Optional(Type.Boolean()),
  defaultUnitType: Type.Optional(Nullable(DefaultUnitType)),
  citizenReportable: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  active: Type.Optional(Type.Boolean()),
});

export const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const IdParams = Type.Object({ id: Id });
export const ImportResult = Type.Object({ imported: Type.Integer(), created: Type.Integer(), updated: Type.Integer() });
