// Request and response shapes of the places API. Every number is bounded, every string has a maxLength, ids fit
// PostgreSQL's int4; geometry members are checked in depth by core/geo (the schema only bounds their size).
import { Type, type TSchema } from 'typebox';
import { PageOf, PageQuery } from '../../lib/paging.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
// PostgreSQL text cannot hold NUL: refuse it at the edge instead of failing in the database.
const NO_NUL = '^[^\\u0000]*$';
const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max, pattern: NO_NUL });
export const Phone = Type.String({ maxLength: 20, pattern: '^[0-9+\\-() ]*$' });
export const TypeCode = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' });
export const GridKind = Type.Union([Type.Literal('grid'), Type.Literal('micro_grid')]);
export const Crs = Type.Union([Type.Literal('WGS84'), Type.Literal('GCJ02')], { default: 'WGS84', description: 'coordinate system of the uploaded data; stored as WGS-84' });

// ---- geometry and GeoJSON --------------------------------------------------------------------------------------

export const GeometryInput = Type.Object(
  {
    type: Type.Union([Type.Literal('Point'), Type.Literal('LineString'), Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
    coordinates: Type.Array(Type.Unknown(), { maxItems: 20000 }),
  },
  { additionalProperties: false, description: 'GeoJSON geometry in WGS-84 ([lng, lat])' },
);

export const GeoJsonGeometry = Type.Object({ type: Type.String(), coordinates: Type.Unknown() });

export const Feature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
  geometry: Nullable(GeoJsonGeometry),
  properties: Type.Record(Type.String(), Type.Unknown()),
});

export const FeatureCollection = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Feature) });

/** An uploaded FeatureCollection: features are checked one by one so every bad one is reported with its row. */
export const FeatureCollectionInput = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Unknown(), { maxItems: 20000 }),
});

export const ImportQuery = Type.Object({ crs: Type.Optional(Crs) });

export const ImportReport = Type.Object({
  imported: Type.Integer(),
  created: Type.Optional(Type.Integer()),
  updated: Type.Optional(Type.Integer()),
  pointsMoved: Type.Optional(Type.Integer({ description: 'points whose grid changed with the new grid shapes' })),
  pointsOutside: Type.Optional(Type.Integer({ description: 'points now outside every grid (their grid was kept)' })),
});

// ---- grids and map ---------------------------------------------------------------------------------------------

export const Grid = Type.Object({
  id: Type.Integer(),
  code: Nullable(Type.String()),
  name: Type.String(),
  kind: GridKind,
  parentId: Nullable(Type.Integer()),
  communityId: Nullable(Type.Integer()),
  communityName: Nullable(Type.String()),
  pointCount: Type.Integer(),
});

export const ListGridsQuery = Type.Object({
  communityId: Type.Optional(Id),
  parentId: Type.Optional(Id),
  kind: Type.Optional(GridKind),
  q: Type.Optional(Text(50)),
  ...PageQuery,
});

export const GridPage = PageOf(Grid);

export const ExportGridsQuery = Type.Object({ communityId: Type.Optional(Id), kind: Type.Optional(GridKind) });

export const Layers = Type.Object({
  street: Nullable(Feature),
  streets: FeatureCollection,
  communities: FeatureCollection,
  grids: FeatureCollection,
  microGrids: FeatureCollection,
});

export const LocateQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  crs: Type.Optional(Crs),
});

const PlaceRef = Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), code: Nullable(Type.String()) }));
export const Located = Type.Object({ street: PlaceRef, community: PlaceRef, grid: PlaceRef, microGrid: PlaceRef });

// ---- point types and points ------------------------------------------------------------------------------------

export const PointTypeField = Type.Object({
  key: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  type: Type.Union([Type.Literal('integer'), Type.Literal('number'), Type.Literal('string')]),
  unit: Type.Optional(Type.String()),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
});

export const PointType = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  geometryKind: Type.Union([Type.Literal('point'), Type.Literal('line'), Type.Literal('polygon')]),
  fields: Type.Array(PointTypeField),
});

const AttrValue = Type.Union([Type.Number(), Text(200), Type.Null()]);
export const Attrs = Type.Record(Type.String({ maxLength: 40 }), AttrValue, { maxProperties: 30 });

export const Point = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  typeCode: Type.String(),
  typeName: Type.String(),
  lat: Type.Number(),
  lng: Type.Number(),
  gridId: Type.Integer(),
  gridName: Nullable(Type.String()),
  gridCode: Nullable(Type.String()),
  microGridId: Nullable(Type.Integer()),
  microGridName: Nullable(Type.String()),
  communityId: Type.Integer(),
  communityName: Nullable(Type.String()),
  guardOrgId: Nullable(Type.Integer()),
  guardOrgName: Nullable(Type.String()),
  responsibleName: Nullable(Type.String()),
  responsiblePhone: Nullable(Type.String({ description: 'masked unless the caller is admin, office or dispatcher' })),
  address: Nullable(Type.String()),
  attrs: Type.Record(Type.String(), Type.Unknown()),
  active: Type.Boolean(),
  version: Type.Integer(),
  updatedAt: Type.String(),
  createdAt: Type.Optional(Type.String({ description: 'single point only' })),
  geometry: Type.Optional(GeoJsonGeometry),
});

export const PointPage = PageOf(Point);

export const POINT_SORTS = ['id', '-id', 'name', '-name', 'type', '-type', 'updatedAt', '-updatedAt'] as const;
export type PointSort = (typeof POINT_SORTS)[number];

const PointFilters = {
  type: Type.Optional(TypeCode),
  communityId: Type.Optional(Id),
  gridId: Type.Optional(Id),
  guardOrgId: Type.Optional(Id),
  q: Type.Optional(Text(50)),
  active: Type.Optional(Type.Boolean({ default: true })),
};

export const ListPointsQuery = Type.Object({
  ...PointFilters,
  sort: Type.Optional(Type.Union(POINT_SORTS.map((s) => Type.Literal(s)), { default: '-updatedAt' })),
  ...PageQuery,
});

export const ExportPointsQuery = Type.Object(PointFilters);

export const PointsGeoJsonQuery = Type.Object({
  type: Type.Optional(TypeCode),
  communityId: Type.Optional(Id),
  gridId: Type.Optional(Id),
  bbox: Type.Optional(
    Type.String({ maxLength: 100, pattern: '^\\s*-?[0-9.]+\\s*,\\s*-?[0-9.]+\\s*,\\s*-?[0-9.]+\\s*,\\s*-?[0-9.]+\\s*$', description: 'minLng,minLat,maxLng,maxLat' }),
  ),
});

export const IdParams = Type.Object({ id: Id });

export const CreatePointBody = Type.Object(
  {
    name: Text(100, 1),
    typeCode: TypeCode,
    geometry: GeometryInput,
    guardOrgId: Type.Optional(Nullable(Id)),
    responsibleName: Type.Optional(Nullable(Text(50))),
    responsiblePhone: Type.Optional(Nullable(Phone)),
    address: Type.Optional(Nullable(Text(200))),
    attrs: Type.Optional(Attrs),
  },
  { additionalProperties: false },
);

export const UpdatePointBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    name: Type.Optional(Text(100, 1)),
    typeCode: Type.Optional(TypeCode),
    geometry: Type.Optional(GeometryInput),
    guardOrgId: Type.Optional(Nullable(Id)),
    responsibleName: Type.Optional(Nullable(Text(50))),
    responsiblePhone: Type.Optional(Nullable(Phone)),
    address: Type.Optional(Nullable(Text(200))),
    attrs: Type.Optional(Attrs),
  },
  { additionalProperties: false },
);

export const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });
