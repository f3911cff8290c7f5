// Where problems come from (问题来源), and who may enter them: one list for the server and the web app.
import type { Role } from '../roles.js';

export const CASE_SOURCES = ['patrol', 'office', 'supervision', 'hotline', 'citizen_patrol', 'inspection', 'citizen', 'media', 'leader'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** 督查通报 levels: 市级, 区级, 街道. */
export const SOURCE_LEVELS = ['city', 'district', 'street'] as const;
export type SourceLevel = (typeof SOURCE_LEVELS)[number];

/** Which roles may enter a problem from which source (the public citizen page is its own door). */
export const SOURCE_ROLES: Record<CaseSource, readonly Role[]> = {
  patrol: ['grid_worker', 'inspector', 'office', 'dispatcher', 'admin'],
  office: ['office', 'dispatcher', 'admin', 'leader'],
  supervision: ['office', 'dispatcher', 'admin', 'leader'],
  hotline: ['office', 'dispatcher', 'admin'],
  citizen_patrol: ['citizen_patrol', 'office', 'dispatcher', 'admin'],
  inspection: ['inspector', 'office', 'admin'],
  citizen: ['office', 'dispatcher', 'admin'],
  media: ['office', 'dispatcher', 'admin'],
  leader: ['leader', 'office', 'admin'],
};

/** Roles that may file and dispatch a case in the same step as entering it (office entry, 督查通报 import). */
export const DISPATCH_NOW_ROLES: readonly Role[] = ['office', 'dispatcher', 'admin'];
