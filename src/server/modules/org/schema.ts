import { Type } from 'typebox';
import { ORG_KINDS } from '../../../core/org.js';
import { PageQuery } from '../../lib/paging.js';

export const OrgKind = Type.Union(ORG_KINDS.map((k) => Type.Literal(k)));
const Phone = Type.String({ maxLength: 20, pattern: '^[0-9+\\-() ]*$' });
const Text = (max: number) => Type.String({ maxLength: max });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const GeometryInput = Type.Object(
  {
    type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
    coordinates: Type.Array(Type.Unknown(), { maxItems: 1000 }),
  },
  { additionalProperties: false },
);

export const Org = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  kind: Type.String(),
  name: Type.String(),
  shortName: Nullable(Type.String()),
  code: Nullable(Type.String()),
  path: Type.String(),
  depth: Type.Integer(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  sort: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
  geometry: Type.Optional(Nullable(Type.Unknown())),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const TreeNode = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  kind: Type.String(),
  name: Type.String(),
  code: Nullable(Type.String()),
  sort: Type.Integer(),
  active: Type.Boolean(),
  childCount: Type.Integer(),
});

export const CreateOrgBody = Type.Object({
  parentId: Type.Integer({ minimum: 1 }),
  kind: OrgKind,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  shortName: Type.Optional(Nullable(Text(40))),
  code: Type.Optional(Nullable(Type.String({ maxLength: 18 }))),
  contactName: Type.Optional(Nullable(Text(50))),
  contactPhone: Type.Optional(Nullable(Phone)),
  address: Type.Optional(Nullable(Text(200))),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  geometry: Type.Optional(Nullable(GeometryInput)),
});

export const UpdateOrgBody = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  parentId: Type.Optional(Type.Integer({ minimum: 1 })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  shortName: Type.Optional(Nullable(Text(40))),
  code: Type.Optional(Nullable(Type.String({ maxLength: 18 }))),
  contactName: Type.Optional(Nullable(Text(50))),
  contactPhone: Type.Optional(Nullable(Phone)),
  address: Type.Optional(Nullable(Text(200))),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  geometry: Type.Optional(Nullable(GeometryInput)),
});

export const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1 }) });

export const ListOrgsQuery = Type.Object({
  kind: Type.Optional(OrgKind),
  parentId: Type.Optional(Type.Integer({ minimum: 1 })),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  active: Type.Optional(Type.Boolean()),
  ...PageQuery,
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
