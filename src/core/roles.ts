// Roles of domain.md. A user has one role and belongs to one org node; the role says what they may do, the
// org node says where (its subtree).
export const ROLES = [
  'admin', // 系统管理员
  'leader', // 街道领导
  'office', // 创城办
  'dispatcher', // 指挥中心/派遣员
  'unit', // 责任单位
  'grid_worker', // 网格员/微网格长
  'inspector', // 督查员
  'citizen_patrol', // 市民巡访团
  'volunteer', // 志愿者
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  leader: { zh: '街道领导', en: 'Street leader' },
  office: { zh: '创城办', en: 'Campaign office' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
  unit: { zh: '责任单位', en: 'Responsible unit' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  inspector: { zh: '督查员', en: 'Inspector' },
  citizen_patrol: { zh: '市民巡访团', en: 'Citizen patrol' },
  volunteer: { zh: '志愿者', en: 'Volunteer' },
};

/** Declarative permissions: which roles may perform an action (org scope is checked separately). */
export const PERMISSIONS = {
  'org.read': ROLES,
  'org.write': ['admin', 'office'],
  'user.read': ['admin', 'office', 'leader', 'dispatcher', 'unit'],
  'user.write': ['admin', 'office'],
  'place.read': ROLES,
  'place.write': ['admin', 'office'],
  'settings.write': ['admin', 'office'],
  'audit.read': ['admin', 'office', 'leader'],
  'apikey.manage': ['admin'],
  'jobs.read': ['admin'],
  'category.read': ROLES,
  'category.write': ['admin', 'office'],
  'routing.read': ['admin', 'office', 'leader', 'dispatcher', 'unit', 'grid_worker', 'inspector'],
  'routing.write': ['admin', 'office'],
  'standard.read': ROLES,
  'standard.write': ['admin', 'office'],
  'inspection.read': ['admin', 'office', 'leader', 'dispatcher', 'inspector', 'citizen_patrol'],
  'inspection.plan': ['admin', 'office'],
  'inspection.perform': ['admin', 'office', 'inspector', 'citizen_patrol'],
  // 材料审核: the street office and community officers (unit role at a community) submit; leaders and the office judge.
  'evidence.read': ['admin', 'office', 'leader', 'unit'],
  'evidence.upload': ['admin', 'office', 'unit'],
  'evidence.review': ['admin', 'office', 'leader'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Roles that see personal phone numbers in full (PIPL: only those who need them). */
export const PHONE_VISIBLE_ROLES: readonly Role[] = ['admin', 'office', 'dispatcher'];

export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
