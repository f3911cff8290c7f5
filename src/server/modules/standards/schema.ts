// Request and response shapes of the standards API. Every number is bounded and every string has a maxLength;
// the combination rules of a scoring rule (which fields a kind needs) are checked by core/standards, not here.
import { Type, type TSchema } from 'typebox';
import { MAX_COUNT, MAX_ITEM_TEXT, MAX_NODE_NAME, MAX_POINTS, RULE_KINDS, STANDARD_METHODS, VERSION_STATUSES } from '../../../core/standards/index.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const RowVersion = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'the row version you read; 409 when it moved on' });
const StandardCode = Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'which standard (default national)' });
const PointTypeCode = Type.String({ minLength: 1, maxLength: 40 });
const Method = Type.Union(STANDARD_METHODS.map((m) => Type.Literal(m)), { description: 'field 实地考察 · questionnaire 问卷调查 · document 材料审核' });

/** Loose on purpose: the service reduces it to the fields of its kind and names the first wrong one. */
export const RuleBody = Type.Object(
  {
    kind: Type.Union(RULE_KINDS.map((k) => Type.Literal(k)), { description: 'pass_fail · per_missing · per_occurrence' }),
    points: Type.Number({ minimum: 0, maximum: MAX_POINTS, description: '分值 (full points)' }),
    required: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_COUNT, description: 'per_missing: the count required' })),
    step: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_POINTS, description: 'points per missing one / per occurrence' })),
    cap: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: MAX_POINTS, description: 'per_occurrence: most points deducted (default points)' }))),
    fixedOnSpotFactor: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'share of a deduction when fixed on the spot (0.5 = half)' }))),
    unit: Type.Optional(Type.String({ maxLength: 10, description: 'per_missing: 计量单位 (处, 块, 次)' })),
  },
  { additionalProperties: false },
);

const RuleOut = Type.Object({
  kind: Type.String(),
  points: Type.Number(),
  required: Type.Optional(Type.Integer()),
  step: Type.Optional(Type.Number()),
  cap: Type.Optional(Type.Number()),
  fixedOnSpotFactor: Type.Optional(Type.Number()),
  unit: Type.Optional(Type.String()),
});

export const Version = Type.Object({
  id: Type.Integer(),
  standardCode: Type.String(),
  versionNo: Type.Integer(),
  title: Type.String(),
  note: Nullable(Type.String()),
  status: Type.Union(VERSION_STATUSES.map((s) => Type.Literal(s))),
  basedOnId: Nullable(Type.Integer()),
  publishedAt: Nullable(Type.String()),
  itemCount: Nullable(Type.Integer()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});

export const Node = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  level: Type.Integer({ description: '1 测评项目 · 2 指标 · 3 测评内容' }),
  code: Type.String(),
  name: Type.String(),
  sort: Type.Integer(),
  version: Type.Integer(),
});

const ItemFields = {
  id: Type.Integer(),
  versionId: Type.Integer(),
  nodeId: Type.Integer(),
  code: Type.String({ description: '测评内容 code - number, e.g. 3.2.1-4' }),
  number: Type.Integer(),
  text: Type.String(),
  methods: Type.Array(Type.String()),
  pointTypes: Type.Array(Type.String()),
  points: Type.Number(),
  rule: RuleOut,
  ruleText: Type.String({ description: 'the rule in words, in the caller’s language' }),
  categoryCode: Nullable(Type.String({ description: '小类 a failed item files its case under (null: the default inspection category)' })),
  sort: Type.Integer(),
  version: Type.Integer(),
};
export const Item = Type.Object(ItemFields);

export const VersionList = Type.Object({ items: Type.Array(Version), total: Type.Integer() });
export const Tree = Type.Object({ version: Version, nodes: Type.Array(Node), items: Type.Array(Item) });
export const Checklist = Type.Object({
  version: Version,
  pointType: Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  items: Type.Array(Type.Object({ ...ItemFields, path: Type.Object({ project: Type.String(), indicator: Type.String(), content: Type.String() }) })),
  possible: Type.Number({ description: 'sum of the checklist’s full points' }),
});
export const Deleted = Type.Object({ deleted: Type.Boolean() });
export const ImportResult = Type.Object({ ...Version.properties, nodeCount: Type.Integer() });

export const IdParams = Type.Object({ id: Id });
export const VersionQuery = Type.Object({ version: RowVersion });
export const ListVersionsQuery = Type.Object({ standardCode: Type.Optional(StandardCode) });
export const CurrentQuery = Type.Object({ standardCode: Type.Optional(StandardCode) });
export const ChecklistQuery = Type.Object({ pointType: PointTypeCode, standardCode: Type.Optional(StandardCode) });
export const VersionChecklistQuery = Type.Object({ pointType: PointTypeCode });
export const ImportQuery = Type.Object({ standardCode: Type.Optional(StandardCode) });

export const CreateDraftBody = Type.Object({
  fromVersionId: Type.Optional(Id),
  standardCode: Type.Optional(StandardCode),
  title: Type.Optional(Type.String({ maxLength: 100 })),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});
export const UpdateVersionBody = Type.Object({
  version: RowVersion,
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});
export const VersionBody = Type.Object({ version: RowVersion });

export const CreateNodeBody = Type.Object({
  parentId: Type.Optional(Nullable(Id)),
  number: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
  name: Type.String({ minLength: 1, maxLength: MAX_NODE_NAME }),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
});
export const UpdateNodeBody = Type.Object({
  version: RowVersion,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_NODE_NAME })),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
});

const ItemEditable = {
  text: Type.String({ minLength: 1, maxLength: MAX_ITEM_TEXT }),
  methods: Type.Array(Method, { minItems: 1, maxItems: 3 }),
  pointTypes: Type.Array(PointTypeCode, { maxItems: 50 }),
  rule: RuleBody,
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  categoryCode: Type.Optional(Nullable(Type.String({ pattern: '^\\d{4}$', description: '小类 a failed item files its case under' }))),
};
export const CreateItemBody = Type.Object({ nodeId: Id, number: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })), ...ItemEditable });
export const UpdateItemBody = Type.Object({
  version: RowVersion,
  text: Type.Optional(ItemEditable.text),
  methods: Type.Optional(ItemEditable.methods),
  pointTypes: Type.Optional(ItemEditable.pointTypes),
  rule: Type.Optional(RuleBody),
  sort: ItemEditable.sort,
  categoryCode: ItemEditable.categoryCode,
});
