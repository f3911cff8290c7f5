// Table types for Kysely. Conventions shared by SQLite and PostgreSQL: times are ISO-8601 UTC text, booleans are
// integers 0/1, JSON is opaque text, ids are integers. Repositories convert at their edge.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface OrgTable {
  id: Generated<number>;
  parent_id: number | null;
  kind: string;
  name: string;
  short_name: string | null;
  code: string | null;
  /** Materialized path of ids, `/1/4/17/`: a subtree is `path LIKE '/1/4/%'`. */
  path: string;
  depth: number;
  /** GeoJSON Polygon/MultiPolygon (WGS-84) for territorial nodes. */
  geometry: string | null;
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  address: string | null;
  sort: number;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  phone: string | null;
  role: string;
  org_id: number;
  password_hash: string | null;
  active: number;
  failed_logins: number;
  locked_until: string | null;
  must_change_password: number;
  locale: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SessionTable {
  /** sha256 of the cookie token: a leaked table does not leak sessions. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  org_path: string | null;
  detail: string | null;
  ip: string | null;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  status: string; // queued | running | done | failed
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  source: string;
  prefix: string;
  key_hash: string;
  street_id: number | null;
  rate_limit_per_minute: number;
  created_by: number | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface PointTypeTable {
  code: string;
  name_zh: string;
  name_en: string;
  geometry_kind: string;
  fields: string;
  sort: number;
  active: number;
}

export interface PointTable {
  id: Generated<number>;
  name: string;
  type_code: string;
  geometry: string;
  lat: number;
  lng: number;
  min_lng: number;
  min_lat: number;
  max_lng: number;
  max_lat: number;
  grid_id: number;
  micro_grid_id: number | null;
  community_id: number;
  street_id: number;
  /** path of the grid the point lies in, copied for scoped filtering without a join. */
  org_path: string;
  guard_org_id: number | null;
  responsible_name: string | null;
  responsible_phone: string | null;
  address: string | null;
  attrs: string;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

export interface Database {
  orgs: OrgTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  jobs: JobTable;
  api_keys: ApiKeyTable;
  point_types: PointTypeTable;
  points: PointTable;
  settings: SettingTable;
}

export type OrgRow = Selectable<OrgTable>;
export type NewOrg = Insertable<OrgTable>;
export type OrgUpdate = Updateable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type PointRow = Selectable<PointTable>;
export type JobRow = Selectable<JobTable>;
