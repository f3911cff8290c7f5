// List filters kept in the URL (useListParams) bound to the controls of a FilterBar: a single choice, a multiple
// choice stored as comma-separated values, and how many filters are set. Every change goes through setFilters, so a
// new filter always returns the list to page 1.
import type { ListParams } from './hooks.js';

export type FilterState = Pick<ListParams, 'get' | 'setFilters'>;

/** "a,b" → ['a', 'b']; '' → []. */
export const splitCsv = (value: string): string[] => (value ? value.split(',') : []);

/**
 * value/onChange for a single-choice Select or OrgTreeSelect: nothing chosen shows the placeholder, clearing removes
 * the filter. `clears` are removed with every change (a grid filter means nothing once the community changes).
 */
export function bindFilter(list: FilterState, key: string, clears: readonly string[] = []) {
  return {
    value: list.get(key) || undefined,
    onChange: (value: string | undefined) => list.setFilters({ [key]: value, ...Object.fromEntries(clears.map((k) => [k, undefined])) }),
  };
}

/** value/onChange for a multiple-choice Select whose values sit in the URL as one comma-separated filter. */
export function bindMultiFilter(list: FilterState, key: string) {
  return {
    value: splitCsv(list.get(key)),
    onChange: (values: string[]) => list.setFilters({ [key]: values.join(',') }),
  };
}

/** How many of these filters are set, for a "筛选 (3)" button. */
export function countActiveFilters(list: Pick<ListParams, 'get'>, keys: readonly string[]): number {
  return keys.filter((k) => list.get(k)).length;
}
