// The org tree: 区 district → 街道 street → 社区 community → 网格 grid → 微网格 micro-grid, plus departments,
// stationed units (驻地单位) and property companies attached to a street.
export const ORG_KINDS = [
  'district',
  'street',
  'community',
  'grid',
  'micro_grid',
  'department',
  'stationed_unit',
  'property_company',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_KIND_LABELS: Record<OrgKind, { zh: string; en: string }> = {
  district: { zh: '区', en: 'District' },
  street: { zh: '街道', en: 'Street' },
  community: { zh: '社区', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
  micro_grid: { zh: '微网格', en: 'Micro-grid' },
  department: { zh: '街道部门', en: 'Department' },
  stationed_unit: { zh: '驻地单位', en: 'Stationed unit' },
  property_company: { zh: '物业公司', en: 'Property company' },
};

/** Which kinds of node may sit under which parent. */
export const ALLOWED_PARENTS: Record<OrgKind, readonly (OrgKind | null)[]> = {
  district: [null],
  street: ['district', null],
  community: ['street'],
  grid: ['community'],
  micro_grid: ['grid'],
  department: ['street', 'district'],
  stationed_unit: ['street'],
  property_company: ['street'],
};

/**
 * Code lengths per kind (GB/T 30428 style): 6-digit county (GB/T 2260) + 3 street + 3 community + 3 grid;
 * micro-grids add 3 more digits to their grid's code.
 */
export const CODE_LENGTH: Partial<Record<OrgKind, number>> = {
  district: 6,
  street: 9,
  community: 12,
  grid: 15,
  micro_grid: 18,
};

/** Returns null when the code fits the kind and the parent's code, else a reason (English, for the error). */
export function checkOrgCode(kind: OrgKind, code: string | null | undefined, parentCode: string | null | undefined): string | null {
  const len = CODE_LENGTH[kind];
  if (len === undefined) return null; // departments and units carry no territorial code
  if (!code) return `a ${kind} needs a ${len}-digit code`;
  if (!/^\d+$/.test(code)) return 'a code has digits only';
  if (code.length !== len) return `a ${kind} code has ${len} digits, not ${code.length}`;
  if (parentCode && CODE_LENGTH[kind] && !code.startsWith(parentCode)) return `the code must start with the parent's code ${parentCode}`;
  if (/^0+$/.test(code.slice(-3))) return 'the last three digits cannot be 000';
  return null;
}

export const TERRITORIAL_KINDS: readonly OrgKind[] = ['district', 'street', 'community', 'grid', 'micro_grid'];
