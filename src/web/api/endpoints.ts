// Typed calls per endpoint of the foundation contract. Screens use these, never raw paths.
import { api, downloadUrl, type Query } from './client.js';
import type { FeatureCollection } from 'geojson';
import type {
  ApiKey, AuditEntry, GeoLayers, Grid, Id, ImportResult, Locale, Located, Meta, Org, OrgNode, Page, Point, PointType,
  Session, Settings, User,
} from './types.js';

export const authApi = {
  login: (username: string, password: string) =>
    api.post<Session>('/auth/login', { username, password }, { allowUnauthorized: true }),
  logout: () => api.post<{ ok: boolean }>('/auth/logout', {}, { allowUnauthorized: true }),
  me: () => api.get<Session>('/me', undefined, { allowUnauthorized: true }),
  setLocale: (locale: Locale) => api.patch<{ ok: boolean }>('/me', { locale }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<{ ok: boolean }>('/me/password', { currentPassword, newPassword }),
};

export const metaApi = {
  get: () => api.get<Meta>('/meta', undefined, { allowUnauthorized: true }),
};

export type OrgInput = Partial<Pick<Org, 'name' | 'shortName' | 'code' | 'contactName' | 'contactPhone' | 'address' | 'sort'>>;

export const orgApi = {
  tree: () => api.get<{ nodes: OrgNode[] }>('/orgs/tree'),
  list: (query: Query) => api.get<Page<Org>>('/orgs', query),
  get: (id: Id) => api.get<Org>(`/orgs/${id}`),
  create: (input: OrgInput & { parentId: Id; kind: string }) => api.post<Org>('/orgs', input),
  update: (id: Id, version: number, input: OrgInput) => api.patch<Org>(`/orgs/${id}`, { version, ...input }),
  deactivate: (id: Id, version: number) => api.post<unknown>(`/orgs/${id}/deactivate`, { version }),
  importXlsx: (file: File) => api.upload<ImportResult>('/orgs/import', file),
  templateUrl: () => downloadUrl('/orgs/import-template.xlsx'),
};

export interface UserInput {
  username?: string;
  displayName?: string;
  phone?: string | null;
  role?: string;
  orgId?: Id;
  password?: string;
  active?: boolean;
}

export const userApi = {
  list: (query: Query) => api.get<Page<User>>('/users', query),
  create: (input: UserInput) => api.post<User & { temporaryPassword?: string }>('/users', input),
  update: (id: Id, version: number, input: UserInput) => api.patch<User>(`/users/${id}`, { version, ...input }),
  resetPassword: (id: Id) => api.post<{ temporaryPassword: string }>(`/users/${id}/reset-password`, {}),
  importXlsx: (file: File) => api.upload<ImportResult>('/users/import', file),
};

export const placeApi = {
  grids: (query: Query) => api.get<Page<Grid>>('/grids', query),
  layers: () => api.get<GeoLayers>('/geo/layers'),
  gridsExportUrl: (query?: Query) => downloadUrl('/grids/export.geojson', query),
  importGrids: (file: File) => api.upload<ImportResult>('/grids/import', file),
  locate: (lat: number, lng: number) => api.get<Located>('/geo/locate', { lat, lng }),
  pointTypes: () => api.get<PointType[]>('/point-types'),
  points: (query: Query) => api.get<Page<Point>>('/points', query),
  point: (id: Id) => api.get<Point>(`/points/${id}`),
  pointsGeojson: (query?: Query) => api.get<FeatureCollection>('/points.geojson', query),
  createPoint: (input: Record<string, unknown>) => api.post<Point>('/points', input),
  updatePoint: (id: Id, version: number, input: Record<string, unknown>) => api.patch<Point>(`/points/${id}`, { version, ...input }),
  deactivatePoint: (id: Id, version: number) => api.post<unknown>(`/points/${id}/deactivate`, { version }),
  importPoints: (file: File) => api.upload<ImportResult>('/points/import', file),
  pointsExportUrl: (query?: Query) => downloadUrl('/points/export.geojson', query),
};

export const adminApi = {
  audit: (query: Query) => api.get<Page<AuditEntry>>('/audit', query),
  settings: () => api.get<Settings>('/settings'),
  saveSettings: (settings: Settings) => api.put<Settings>('/settings', settings),
  apiKeys: () => api.get<ApiKey[] | { items: ApiKey[] }>('/api-keys'),
  createApiKey: (name: string, source: string, rateLimitPerMinute?: number) =>
    api.post<{ id: Id; key: string }>('/api-keys', { name, source, ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}) }),
  revokeApiKey: (id: Id) => api.post<unknown>(`/api-keys/${id}/revoke`, {}),
};
