import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useDocumentTitle } from '../lib/hooks.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** Page title with its actions; the actions wrap under the title on narrow screens. */
export function PageHeader({ title, extra, subtitle }: { title: string; extra?: ReactNode; subtitle?: ReactNode }) {
  const { t } = useI18n();
  useDocumentTitle(`${title} · ${t('app.shortName')}`);
  return (
    <Flex className="wm-page-header" justify="space-between" align="center" wrap gap={12}>
      <div>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
          {title}
        </Typography.Title>
        {subtitle ? <Typography.Text type="secondary">{subtitle}</Typography.Text> : null}
      </div>
      {extra ? (
        <Flex gap={8} wrap className="wm-page-actions">
          {extra}
        </Flex>
      ) : null}
    </Flex>
  );
}

// The filter row moved to its own file; pages that still import it from here keep working.
export { FilterBar } from './FilterBar.js';
