// The row of filters above a list: an optional search box for the list's `q`, then the page's own filters (bind them
// to the URL with lib/listFilters.ts). It wraps on narrow screens and stacks on phones (styles.css .wm-filter-bar);
// a page with many filters can fold them behind a 筛选 (n) button on phones.
import { FilterOutlined } from '@ant-design/icons';
import { Button, Flex, Input } from 'antd';
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.js';
import { useIsMobile } from '../lib/hooks.js';
import type { FilterState } from '../lib/listFilters.js';

export interface FilterBarSearch {
  list: FilterState;
  placeholder: string;
  testId?: string;
}

export interface FilterBarProps {
  children?: ReactNode;
  /** A search box before the filters: typing only edits it; Enter or the button applies it, trimmed, from page 1. */
  search?: FilterBarSearch;
  /** On phones, hide the filters (not the search box) behind a toggle showing how many of them are set. */
  collapsible?: { active: number };
}

export function FilterBar({ children, search, collapsible }: FilterBarProps) {
  const isMobile = useIsMobile();
  const [open, setOpen] = useState(false);
  const folded = Boolean(collapsible) && isMobile;
  return (
    <Flex className="wm-filter-bar" gap={8} wrap align="center">
      {/* Keyed by the applied text: back/forward (a new `q` in the URL) refills the box. */}
      {search ? <SearchBox key={search.list.get('q')} {...search} /> : null}
      {folded ? <FilterToggle active={collapsible?.active ?? 0} onClick={() => setOpen((v) => !v)} /> : null}
      {!folded || open ? children : null}
    </Flex>
  );
}

function SearchBox({ list, placeholder, testId }: FilterBarSearch) {
  const [text, setText] = useState(list.get('q'));
  return (
    <Input.Search
      placeholder={placeholder}
      allowClear
      value={text}
      onChange={(e) => setText(e.target.value)}
      onSearch={(v) => list.setFilters({ q: v.trim() })}
      className="wm-filter-search"
      data-testid={testId}
    />
  );
}

function FilterToggle({ active, onClick }: { active: number; onClick: () => void }) {
  const { t } = useI18n();
  return (
    <Button icon={<FilterOutlined />} onClick={onClick} data-testid="filter-toggle">
      {t('caseList.moreFilters')}
      {active ? ` (${active})` : ''}
    </Button>
  );
}
