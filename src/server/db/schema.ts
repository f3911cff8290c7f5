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

/** 事件/部件 大类 (2-digit code, parent null) and 小类 (4-digit code under its 大类). */
export interface CategoryTable {
  id: Generated<number>;
  kind: string;
  code: string;
  parent_id: number | null;
  name_zh: string;
  name_en: string;
  filing_condition: string;
  closing_condition: string;
  limit_unit: string | null;
  limit_value: number | null;
  urgent: number;
  /** community | guard | department:<name> | stationed_unit:<name> | property_company:<name> (core/categories.ts). */
  default_unit_type: string | null;
  citizen_reportable: number;
  sort: number;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

/** A 责任清单 rule: category (or any) × scope target → responsible unit. */
export interface RoutingRuleTable {
  id: Generated<number>;
  category_id: number | null;
  scope_type: string;
  point_id: number | null;
  point_type_code: string | null;
  scope_org_id: number | null;
  unit_org_id: number;
  rule_key: string;
  notes: string | null;
  active: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** An uploaded photo: private original plus sanitized copies (EXIF stripped) served to readers. */
export interface PhotoTable {
  id: Generated<number>;
  uploader_id: number | null;
  org_path: string | null;
  purpose: string;
  original_name: string;
  original_format: string;
  original_bytes: number;
  sha256: string;
  width: number;
  height: number;
  taken_at: string | null;
  gps_lat: number | null;
  gps_lng: number | null;
  storage_key: string;
  thumbs_ready: number;
  is_public: number;
  created_at: string;
}

/** A photo shown by a record (owner_type × owner_id) in a role: before | after | evidence. */
export interface PhotoLinkTable {
  id: Generated<number>;
  photo_id: number;
  owner_type: string;
  owner_id: number;
  role: string;
  created_by: number | null;
  created_at: string;
}

export interface CaseTable {
  id: Generated<number>;
  case_no: string;
  status: string;
  version: number;
  source: string;
  source_level: string | null;
  source_ref: string | null;
  category_code: string;
  category_kind: string;
  description: string;
  address: string | null;
  lat: number;
  lng: number;
  point_id: number | null;
  grid_id: number;
  micro_grid_id: number | null;
  community_id: number;
  street_id: number;
  /** Path of the grid (or micro-grid) where the problem is: territorial scope. */
  org_path: string;
  reporter_id: number | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  unit_id: number | null;
  /** Path of the responsible unit: a unit sees the cases sent to it wherever they are. */
  unit_path: string | null;
  routing_rule_id: number | null;
  routing_note: string | null;
  deadline: string | null;
  deadline_warning: string | null;
  dispatched_at: string | null;
  pending_extension: string | null;
  mark: string | null;
  overdue: number;
  reminder_level: number;
  escalation_level: number;
  supervised: number;
  supervised_at: string | null;
  rework_count: number;
  return_count: number;
  extension_count: number;
  reopen_count: number;
  is_rebound: number;
  rebound_of_id: number | null;
  rebound_unit_id: number | null;
  merged_into_id: number | null;
  merged_count: number;
  handled_at: string | null;
  handled_on_time: number | null;
  closed_at: string | null;
  closed_on_time: number | null;
  checker_id: number | null;
  idempotency_key: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  actor_org: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  data: string | null;
  deadline: string | null;
}

export interface CalendarDayTable {
  date: string;
  kind: string;
  note: string | null;
  updated_by: number | null;
  updated_at: string;
}

export interface ReboundSpotTable {
  id: Generated<number>;
  category_code: string;
  point_id: number | null;
  lat: number;
  lng: number;
  grid_id: number;
  org_path: string;
  rebound_count: number;
  flagged: number;
  last_case_id: number | null;
  updated_at: string;
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
  categories: CategoryTable;
  routing_rules: RoutingRuleTable;
  photos: PhotoTable;
  photo_links: PhotoLinkTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  calendar_days: CalendarDayTable;
  rebound_spots: ReboundSpotTable;
  notifications: NotificationTable;
  outbox_cursors: OutboxCursorTable;
  outbox_gaps: OutboxGapTable;
  standard_versions: StandardVersionTable;
  standard_nodes: StandardNodeTable;
  standard_items: StandardItemTable;
  inspection_plans: InspectionPlanTable;
  inspection_plan_inspectors: InspectionPlanInspectorTable;
  inspection_plan_points: InspectionPlanPointTable;
  inspection_results: InspectionResultTable;
  inspection_result_items: InspectionResultItemTable;
  inspection_plan_events: InspectionPlanEventTable;
}

export type OrgRow = Selectable<OrgTable>;
export type NewOrg = Insertable<OrgTable>;
export type OrgUpdate = Updateable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type PointRow = Selectable<PointTable>;
export type JobRow = Selectable<JobTable>;
export type CategoryRow = Selectable<CategoryTable>;
export type RoutingRuleRow = Selectable<RoutingRuleTable>;
export type PhotoRow = Selectable<PhotoTable>;
export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;

/** One inbox entry for one user, derived from a case event by the fan-out job (notifications area). */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  /** The case event's action: dispatch, remind, overdue, escalate, supervise, feedback, … */
  kind: string;
  title: string;
  body: string | null;
  case_id: number | null;
  event_id: number | null;
  created_at: string;
  read_at: string | null;
}

/** How far a consumer of case_events (the notification fan-out) has read. */
export interface OutboxCursorTable {
  name: string;
  last_id: number;
  updated_at: string;
}

/** Event ids a cursor stepped over that may still commit (PostgreSQL), re-read until they expire. */
export interface OutboxGapTable {
  id: Generated<number>;
  cursor_name: string;
  from_id: number;
  to_id: number;
  created_at: string;
}

export type NotificationRow = Selectable<NotificationTable>;

/** A version of a 测评体系: draft → published (immutable, the current one) → retired when another is published. */
export interface StandardVersionTable {
  id: Generated<number>;
  standard_code: string;
  version_no: number;
  title: string;
  note: string | null;
  status: string;
  based_on_id: number | null;
  published_at: string | null;
  published_by: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** A node of a version's tree: level 1 测评项目, 2 指标, 3 测评内容. */
export interface StandardNodeTable {
  id: Generated<number>;
  version_id: number;
  parent_id: number | null;
  level: number;
  code: string;
  name: string;
  sort: number;
  version: number;
}

/** A numbered 测评标准 under a level-3 node; methods, point types and rule are JSON text. */
export interface StandardItemTable {
  id: Generated<number>;
  version_id: number;
  node_id: number;
  code: string;
  text: string;
  methods: string;
  point_types: string;
  points: number;
  rule: string;
  /** 小类 a failed item files its case under; null: the default inspection category. */
  category_code: string | null;
  sort: number;
  version: number;
}

export type StandardVersionRow = Selectable<StandardVersionTable>;
export type StandardNodeRow = Selectable<StandardNodeTable>;
export type StandardItemRow = Selectable<StandardItemTable>;

/** 测评计划: a 模拟测评, 督查, 市民巡访 or 回头看 of one street, scored with one standard version. */
export interface InspectionPlanTable {
  id: Generated<number>;
  plan_no: string;
  street_id: number;
  org_path: string;
  kind: string;
  title: string;
  status: string;
  standard_version_id: number;
  starts_on: string;
  ends_on: string;
  note: string | null;
  sampling: string | null;
  based_on_plan_id: number | null;
  created_by: number | null;
  activated_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface InspectionPlanInspectorTable {
  id: Generated<number>;
  plan_id: number;
  user_id: number;
  sort: number;
  created_at: string;
}

export interface InspectionPlanPointTable {
  id: Generated<number>;
  plan_id: number;
  point_id: number;
  seq: number;
  inspector_id: number | null;
}

/** One inspected plan point: check-in, score, and the standard version it was scored with. */
export interface InspectionResultTable {
  id: Generated<number>;
  plan_id: number;
  point_id: number;
  inspector_id: number;
  idempotency_key: string;
  checkin_lat: number | null;
  checkin_lng: number | null;
  checkin_at: string | null;
  checkin_distance_m: number | null;
  checkin_far: number;
  inspected_at: string;
  received_at: string;
  standard_version_id: number;
  earned: number;
  possible: number;
  note: string | null;
}

export interface InspectionResultItemTable {
  id: Generated<number>;
  result_id: number;
  item_id: number;
  item_code: string;
  observation: string;
  earned: number;
  possible: number;
  failed: number;
  fixed_on_spot: number;
  case_id: number | null;
  note: string | null;
}

export interface InspectionPlanEventTable {
  id: Generated<number>;
  plan_id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  data: string | null;
}

export type InspectionPlanRow = Selectable<InspectionPlanTable>;
export type InspectionPlanPointRow = Selectable<InspectionPlanPointTable>;
export type InspectionResultRow = Selectable<InspectionResultTable>;
export type InspectionResultItemRow = Selectable<InspectionResultItemTable>;
