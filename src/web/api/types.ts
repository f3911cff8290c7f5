// Shapes of the foundation API (docs/api-foundation.md). Kept loose where the contract says little.
import type { Role } from '../../core/roles.js';
import type { OrgKind } from '../../core/org.js';
import type { GeometryKind } from '../../core/places.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export type Locale = 'zh-CN' | 'en-US';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SessionUser {
  id: number | string;
  username: string;
  displayName: string;
  role: Role;
  orgId: number | string | null;
  orgName: string | null;
  orgKind: OrgKind | null;
  locale: Locale | null;
  mustChangePassword: boolean;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export interface LabelledCode {
  code: string;
  zh: string;
  en: string;
}

export interface PointTypeField {
  key: string;
  zh: string;
  en: string;
  type: 'integer' | 'number' | 'string';
  unit?: string;
  min?: number;
  max?: number;
}

export interface PointType {
  code: string;
  nameZh: string;
  nameEn: string;
  geometryKind: GeometryKind;
  fields: PointTypeField[];
}

export type TileCrs = 'WGS84' | 'GCJ02';

export interface DemoLogin {
  username: string;
  password: string;
  role: Role | string;
  displayName?: string;
}

export interface Meta {
  roles: LabelledCode[];
  orgKinds: LabelledCode[];
  pointTypes: PointType[];
  demo: boolean;
  demoLogins?: DemoLogin[];
  map: { tileUrl: string | null; tileCrs: TileCrs };
}

export type Id = number | string;

export interface OrgNode {
  id: Id;
  parentId: Id | null;
  kind: OrgKind;
  name: string;
  code: string | null;
  sort: number;
  active: boolean;
  childCount: number;
}

export interface Org {
  id: Id;
  parentId: Id | null;
  kind: OrgKind;
  name: string;
  shortName: string | null;
  code: string | null;
  path: string;
  depth: number;
  contactName: string | null;
  contactPhone: string | null;
  address: string | null;
  sort: number;
  active: boolean;
  version: number;
  geometry: Geometry | null;
  createdAt: string;
  updatedAt: string;
}

export interface User {
  id: Id;
  username: string;
  displayName: string;
  phone: string | null;
  role: Role;
  orgId: Id;
  orgName: string | null;
  active: boolean;
  /** Temporarily locked after failed sign-ins (not in the written contract; the server sends it). */
  locked?: boolean;
  lastLoginAt: string | null;
  version: number;
}

export interface Grid {
  id: Id;
  code: string;
  name: string;
  kind: 'grid' | 'micro_grid';
  parentId: Id | null;
  communityId: Id | null;
  communityName: string | null;
  pointCount: number;
}

export interface Point {
  id: Id;
  name: string;
  typeCode: string;
  typeName: string;
  lat: number;
  lng: number;
  gridId: Id | null;
  gridName: string | null;
  gridCode?: string | null;
  microGridId?: Id | null;
  microGridName?: string | null;
  communityId: Id | null;
  communityName: string | null;
  guardOrgId: Id | null;
  guardOrgName: string | null;
  responsibleName: string | null;
  responsiblePhone: string | null;
  address: string | null;
  attrs: Record<string, unknown> | null;
  version: number;
  geometry?: Geometry;
}

export interface GeoLayers {
  street: Feature | null;
  communities: FeatureCollection;
  grids: FeatureCollection;
  microGrids: FeatureCollection;
  roads?: FeatureCollection;
}

export interface PlaceRef {
  id: Id;
  name: string;
  code: string | null;
}

export interface Located {
  street: PlaceRef | null;
  community: PlaceRef | null;
  grid: PlaceRef | null;
  microGrid: PlaceRef | null;
}

export interface AuditEntry {
  id: Id;
  at: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: Id | null;
  detail: unknown;
  ip: string | null;
}

export interface Settings {
  tileUrl: string | null;
  tileCrs: TileCrs;
}

export interface ApiKey {
  id: Id;
  name: string;
  source?: string | null;
  prefix?: string | null;
  rateLimitPerMinute?: number | null;
  createdAt?: string | null;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
  revoked?: boolean;
}

export interface ImportResult {
  imported: number;
}
