import { describe, expect, it } from 'vitest';
import { bindFilter, bindMultiFilter, countActiveFilters, splitCsv, type FilterState } from './listFilters.js';

/** A list whose URL holds `params`; every setFilters call is recorded. */
function fakeList(params: Record<string, string>) {
  const calls: Record<string, string | number | undefined | null>[] = [];
  const list: FilterState = { get: (key) => params[key] ?? '', setFilters: (filters) => void calls.push(filters) };
  return { list, calls };
}

describe('splitCsv', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['reported,filed', ['reported', 'filed']],
  ])('%j → %j', (value, expected) => {
    expect(splitCsv(value)).toEqual(expected);
  });
});

describe('bindFilter', () => {
  it('shows the URL value, or nothing so the placeholder shows', () => {
    expect(bindFilter(fakeList({ role: 'unit' }).list, 'role').value).toBe('unit');
    expect(bindFilter(fakeList({}).list, 'role').value).toBeUndefined();
  });

  it('sets and clears the filter', () => {
    const { list, calls } = fakeList({ role: 'unit' });
    bindFilter(list, 'role').onChange('office');
    bindFilter(list, 'role').onChange(undefined);
    expect(calls).toEqual([{ role: 'office' }, { role: undefined }]);
  });

  it('drops the dependent filters with every change', () => {
    const { list, calls } = fakeList({ communityId: '3', gridId: '12' });
    bindFilter(list, 'communityId', ['gridId']).onChange('4');
    bindFilter(list, 'communityId', ['gridId']).onChange(undefined);
    expect(calls).toEqual([
      { communityId: '4', gridId: undefined },
      { communityId: undefined, gridId: undefined },
    ]);
  });
});

describe('bindMultiFilter', () => {
  it('reads and writes comma-separated values', () => {
    const { list, calls } = fakeList({ status: 'reported,filed' });
    const bound = bindMultiFilter(list, 'status');
    expect(bound.value).toEqual(['reported', 'filed']);
    bound.onChange(['filed', 'closed']);
    bound.onChange([]);
    expect(calls).toEqual([{ status: 'filed,closed' }, { status: '' }]);
    expect(bindMultiFilter(fakeList({}).list, 'status').value).toEqual([]);
  });
});

describe('countActiveFilters', () => {
  it('counts only the named filters that are set', () => {
    const { list } = fakeList({ q: 'abc', status: 'reported', flags: '', from: '2025-01-01' });
    expect(countActiveFilters(list, ['status', 'flags', 'from', 'sort'])).toBe(2);
    expect(countActiveFilters(list, [])).toBe(0);
  });
});
