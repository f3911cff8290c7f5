import { Input, Typography } from 'antd';
import { useState } from 'react';
import { adminApi } from '../api/endpoints.js';
import type { AuditEntry } from '../api/types.js';
import { FilterBar, PageHeader } from '../components/PageHeader.js';
import { type Column } from '../components/ResponsiveTable.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useAsync, useListParams } from '../lib/hooks.js';
import { PagedTable } from '../components/PagedTable.js';

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined || detail === '') return '';
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

export default function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const list = useListParams(['action'], 50);
  const audit = useAsync(() => adminApi.audit(list.query), [JSON.stringify(list.query)]);
  const [action, setAction] = useState(list.get('action'));

  const columns: Column<AuditEntry>[] = [
    { title: t('audit.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v), mobile: 'title', width: 160 },
    { title: t('audit.actor'), dataIndex: 'actorName' },
    { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: t('audit.target'),
      key: 'target',
      render: (_: unknown, e) => (e.targetType ? `${e.targetType}${e.targetId !== null && e.targetId !== undefined ? ` #${e.targetId}` : ''}` : '—'),
    },
    {
      title: t('audit.detail'),
      dataIndex: 'detail',
      render: (d: unknown) => {
        const text = detailText(d);
        return text ? (
          <Typography.Text className="wm-audit-detail" ellipsis={{ tooltip: text }} style={{ maxWidth: 360 }}>
            {text}
          </Typography.Text>
        ) : '—';
      },
    },
    { title: t('audit.ip'), dataIndex: 'ip', mobile: 'hide' },
  ];

  return (
    <div className="wm-page">
      <PageHeader title={t('nav.audit')} subtitle={t('audit.intro')} />
      <FilterBar>
        <Input.Search
          placeholder={t('audit.filterAction')}
          allowClear
          value={action}
          onChange={(e) => setAction(e.target.value)}
          onSearch={(v) => list.setFilters({ action: v.trim() })}
          className="wm-filter-search"
          data-testid="filter-action"
        />
      </FilterBar>
      <PagedTable<AuditEntry>
        result={audit}
        list={list}
        testId="audit"
        columns={columns}
        rowKey={(e) => String(e.id)}
        expandable={{
          expandedRowRender: (e) => <pre className="wm-pre">{JSON.stringify(e.detail, null, 2)}</pre>,
          rowExpandable: (e) => detailText(e.detail).length > 0,
        }}
      />
    </div>
  );
}
