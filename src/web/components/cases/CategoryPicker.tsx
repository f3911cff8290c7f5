// 问题类别 for a report: the common problems as big buttons (the person's recent ones first), and every 小类 in a
// searchable list grouped by 大类 (事件 before 部件).
import { Select, Typography } from 'antd';
import { useMemo } from 'react';
import { CATEGORY_KIND_LABELS } from '../../../core/categories.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { quickCategoryCodes } from '../../lib/cases.js';
import { recentCategories, useCategories } from '../../lib/categories.js';

export interface CategoryPickerProps {
  value?: string;
  onChange?: (code: string | undefined) => void;
  testId?: string;
}

export function CategoryPicker({ value, onChange, testId = 'category' }: CategoryPickerProps) {
  const { t, label } = useI18n();
  const categories = useCategories();

  const minors = useMemo(() => categories.items.filter((c) => c.level === 'minor' && c.active), [categories.items]);
  const quick = useMemo(() => quickCategoryCodes(recentCategories(), new Set(minors.map((c) => c.code))), [minors]);

  const options = useMemo(() => {
    const majors = categories.items
      .filter((c) => c.level === 'major')
      .sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'event' ? -1 : 1));
    return majors
      .map((m) => ({
        label: `${label(CATEGORY_KIND_LABELS[m.kind])} · ${categories.name(m.code)}`,
        title: m.code,
        options: minors
          .filter((c) => c.parentCode === m.code)
          .map((c) => ({
            value: c.code,
            search: `${c.code} ${c.nameZh} ${c.nameEn} ${m.nameZh}`.toLowerCase(),
            label: (
              <span className="wm-category-option">
                <span>{categories.name(c.code)}</span>
                <Typography.Text type="secondary" className="wm-category-code">
                  {c.code}
                </Typography.Text>
              </span>
            ),
          })),
      }))
      .filter((g) => g.options.length);
  }, [categories, minors, label]);

  const chosen = value ? categories.byCode.get(value) : undefined;

  return (
    <div className="wm-category-picker" data-testid={testId}>
      {quick.length ? (
        <div className="wm-quick-categories" role="group" aria-label={t('report.quickCategories')}>
          {quick.map((code) => (
            <button
              key={code}
              type="button"
              className={code === value ? 'wm-chip wm-chip-on' : 'wm-chip'}
              aria-pressed={code === value}
              onClick={() => onChange?.(code === value ? undefined : code)}
              data-testid={`${testId}-quick-${code}`}
            >
              {categories.name(code)}
            </button>
          ))}
        </div>
      ) : null}
      <Select
        showSearch={{
          filterOption: (input, option) => String((option as { search?: string } | undefined)?.search ?? '').includes(input.trim().toLowerCase()),
        }}
        allowClear
        value={value}
        onChange={(v) => onChange?.(v ?? undefined)}
        options={options}
        loading={categories.loading}
        placeholder={t('report.categorySearch')}
        style={{ width: '100%' }}
        size="large"
        listHeight={320}
        data-testid={`${testId}-select`}
      />
      {chosen ? (
        <Typography.Text type="secondary" className="wm-category-hint" data-testid={`${testId}-hint`}>
          {t('report.categoryLimit', { limit: chosen.timeLimitText })}
          {chosen.filingCondition ? ` · ${t('report.filingCondition')}${chosen.filingCondition}` : ''}
        </Typography.Text>
      ) : null}
    </div>
  );
}
