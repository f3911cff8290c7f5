// Calls and shapes of the categories and 责任清单 API, shared by the two screens of this area; kept beside them
// so the screens stay self-contained (see docs/routing.md for the contract).
import { api, downloadUrl, type Query } from '../../api/client.js';
import type { Id, ImportResult, Page } from '../../api/types.js';
import type { CategoryKind, TimeLimit } from '../../../core/categories.js';
import type { CategoryMatch, RoutingLevel, RoutingOutcome, RoutingReason, RoutingScopeType } from '../../../core/routing.js';

export interface Category {
  id: number;
  kind: CategoryKind;
  code: string;
  level: 'major' | 'minor';
  parentId: number | null;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  filingCondition: string;
  closingCondition: string;
  timeLimit: TimeLimit | null;
  effectiveTimeLimit: TimeLimit | null;
  timeLimitText: string;
  urgent: boolean;
  defaultUnitType: string | null;
  citizenReportable: boolean;
  active: boolean;
  sort: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CategoryInput {
  kind?: CategoryKind;
  code?: string;
  nameZh?: string;
  nameEn?: string;
  filingCondition?: string;
  closingCondition?: string;
  timeLimit?: TimeLimit | null;
  urgent?: boolean;
  defaultUnitType?: string | null;
  citizenReportable?: boolean;
  sort?: number;
  active?: boolean;
}

export interface RoutingRule {
  id: number;
  categoryId: number | null;
  categoryCode: string | null;
  categoryName: string | null;
  categoryKind: CategoryKind | null;
  scopeType: RoutingScopeType;
  pointId: number | null;
  pointName: string | null;
  pointTypeCode: string | null;
  pointTypeName: string | null;
  targetOrgId: number | null;
  targetOrgName: string | null;
  targetOrgKind: string | null;
  unitOrgId: number;
  unitOrgName: string;
  unitOrgKind: string;
  unitActive: boolean;
  notes: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RuleInput {
  categoryId?: number | null;
  scopeType?: RoutingScopeType;
  pointId?: number | null;
  pointTypeCode?: string | null;
  targetOrgId?: number | null;
  unitOrgId?: number;
  notes?: string | null;
  active?: boolean;
}

interface Ref {
  id: number;
  name: string;
}

export interface Resolution {
  category: { id: number; code: string; kind: CategoryKind; nameZh: string; nameEn: string; active: boolean };
  location: {
    point: { id: number; name: string; typeCode: string } | null;
    guard: Ref | null;
    grid: Ref | null;
    microGrid: Ref | null;
    community: Ref | null;
    street: Ref | null;
  };
  unit: (Ref & { kind: string }) | null;
  level: RoutingLevel | null;
  ruleId: number | null;
  categoryMatch: CategoryMatch | null;
  steps: {
    level: RoutingLevel;
    outcome: RoutingOutcome;
    reason: RoutingReason;
    ruleId: number | null;
    unitOrgId: number | null;
    unitName: string | null;
    categoryMatch: CategoryMatch | null;
  }[];
}

export const categoryApi = {
  list: (query?: Query) => api.get<{ items: Category[]; total: number }>('/categories', query),
  create: (input: CategoryInput) => api.post<Category>('/categories', input),
  update: (id: Id, version: number, input: CategoryInput) => api.patch<Category>(`/categories/${id}`, { version, ...input }),
  deactivate: (id: Id, version: number) => api.post<Category>(`/categories/${id}/deactivate`, { version }),
  importXlsx: (file: File) => api.upload<ImportResult>('/categories/import', file),
  exportUrl: (query?: Query) => downloadUrl('/categories/export.xlsx', query),
  templateUrl: () => downloadUrl('/categories/import-template.xlsx'),
};

export const routingApi = {
  rules: (query: Query) => api.get<Page<RoutingRule>>('/routing/rules', query),
  create: (input: RuleInput) => api.post<RoutingRule>('/routing/rules', input),
  update: (id: Id, version: number, input: RuleInput) => api.patch<RoutingRule>(`/routing/rules/${id}`, { version, ...input }),
  deactivate: (id: Id, version: number) => api.post<RoutingRule>(`/routing/rules/${id}/deactivate`, { version }),
  resolve: (query: Query) => api.get<Resolution>('/routing/resolve', query),
};

export interface CategoryTreeRow extends Category {
  children?: CategoryTreeRow[];
}

/** 大类 with their 小类 as children (a 小类 whose 大类 is filtered out stands on its own). */
export function categoryTree(items: Category[]): CategoryTreeRow[] {
  const majors = new Map<number, CategoryTreeRow>();
  const roots: CategoryTreeRow[] = [];
  for (const c of items) {
    if (c.level === 'major') {
      const row: CategoryTreeRow = { ...c };
      majors.set(c.id, row);
      roots.push(row);
    }
  }
  for (const c of items) {
    if (c.level !== 'minor') continue;
    const parent = c.parentId === null ? undefined : majors.get(c.parentId);
    if (parent) (parent.children ??= []).push({ ...c });
    else roots.push({ ...c });
  }
  const order = (a: Category, b: Category) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'event' ? -1 : 1);
  roots.sort(order);
  for (const r of roots) r.children?.sort(order);
  return roots;
}

/** Options for a category picker: 事件 and 部件, each 大类 with its 小类 (TreeSelect data). */
export function categoryTreeOptions(items: Category[], name: (c: Category) => string, kindName: (k: CategoryKind) => string) {
  const tree = categoryTree(items.filter((c) => c.active));
  return (['event', 'component'] as const).map((kind) => ({
    value: `kind:${kind}`,
    title: kindName(kind),
    selectable: false,
    children: tree
      .filter((m) => m.kind === kind)
      .map((m) => ({
        value: String(m.id),
        title: `${m.code} ${name(m)}`,
        children: m.children?.map((c) => ({ value: String(c.id), title: `${c.code} ${name(c)}` })),
      })),
  }));
}
