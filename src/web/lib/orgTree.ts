// The org tree as the screens need it: nested from GET /orgs/tree's flat list, searchable, with the kinds a new
// child may take.
import type { OrgKind } from '../../core/org.js';
import type { Id, OrgNode } from '../api/types.js';

export interface OrgTreeNode extends OrgNode {
  children: OrgTreeNode[];
}

/** Child kinds offered when adding under a parent (a subset of ALLOWED_PARENTS, in the order people expect). */
export const CHILD_KINDS: Record<OrgKind, OrgKind[]> = {
  district: ['street', 'department'],
  street: ['community', 'department', 'stationed_unit', 'property_company'],
  community: ['grid'],
  grid: ['micro_grid'],
  micro_grid: [],
  department: [],
  stationed_unit: [],
  property_company: [],
};

export function buildOrgTree(nodes: OrgNode[]): OrgTreeNode[] {
  const byId = new Map<string, OrgTreeNode>();
  for (const node of nodes) byId.set(String(node.id), { ...node, children: [] });
  const roots: OrgTreeNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId === null ? undefined : byId.get(String(node.parentId));
    // A node whose parent is outside the caller's subtree is a root of what they see.
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const order = (list: OrgTreeNode[]) => {
    list.sort((a, b) => a.sort - b.sort || (a.code ?? '').localeCompare(b.code ?? '') || a.name.localeCompare(b.name, 'zh-CN'));
    for (const n of list) order(n.children);
  };
  order(roots);
  return roots;
}

/** Ids of the nodes whose name or code contains the text, plus all their ancestors (to expand them). */
export function matchOrgTree(nodes: OrgNode[], text: string): { matches: Set<string>; expand: Set<string> } {
  const needle = text.trim().toLowerCase();
  const matches = new Set<string>();
  const expand = new Set<string>();
  if (!needle) return { matches, expand };
  const byId = new Map(nodes.map((n) => [String(n.id), n]));
  for (const node of nodes) {
    if (node.name.toLowerCase().includes(needle) || (node.code ?? '').includes(needle)) {
      matches.add(String(node.id));
      let parentId = node.parentId;
      while (parentId !== null && parentId !== undefined) {
        const key = String(parentId);
        if (expand.has(key)) break;
        expand.add(key);
        parentId = byId.get(key)?.parentId ?? null;
      }
    }
  }
  return { matches, expand };
}

/** Suggested code for a new child: the parent's code plus the next free 3-digit sequence. */
export function suggestChildCode(parentCode: string | null, siblingCodes: (string | null)[]): string {
  if (!parentCode) return '';
  let max = 0;
  for (const code of siblingCodes) {
    if (code && code.startsWith(parentCode) && code.length === parentCode.length + 3) {
      const seq = Number(code.slice(parentCode.length));
      if (Number.isFinite(seq) && seq > max) max = seq;
    }
  }
  return `${parentCode}${String(max + 1).padStart(3, '0')}`;
}

/**
 * Pickers and URLs carry ids as strings; the API's ids are integers and its JSON schemas do not coerce, so a
 * numeric string goes back as a number.
 */
export function toId(value: string | number): Id {
  return typeof value === 'number' || !/^\d{1,15}$/.test(value) ? value : Number(value);
}

export function idKey(id: Id | null | undefined): string {
  return id === null || id === undefined ? '' : String(id);
}
