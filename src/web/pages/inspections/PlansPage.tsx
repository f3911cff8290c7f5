// 测评计划: the list of inspection plans (模拟测评, 督查, 市民巡访, 回头看) with their status and progress. The office
// creates plans here; leaders read them.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Select } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useUser } from '../../auth/SessionProvider.js';
import { PagedTable } from '../../components/PagedTable.js';
import { FilterBar, PageHeader } from '../../components/PageHeader.js';
import type { Column } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAsync, useListParams } from '../../lib/hooks.js';
import { inspectionsApi, type PlanSummary } from './api.js';
import { KIND_LABELS, PLAN_KINDS, PLAN_STATUSES, STATUS_LABELS } from './model.js';
import { PlanFormDialog } from './PlanDialogs.js';
import { KindTag, mayPlan, ProgressBar, StatusTag } from './Tags.js';
import { useStrings } from './strings.js';
import './inspections.css';

export default function PlansPage() {
  const s = useStrings();
  const { lang } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const list = useListParams(['kind', 'status']);
  const plans = useAsync(() => inspectionsApi.plans(list.query), [JSON.stringify(list.query)]);
  const [creating, setCreating] = useState(false);
  const canPlan = mayPlan(user.role);

  const columns: Column<PlanSummary>[] = [
    { title: s('planNo'), dataIndex: 'planNo', width: 130, mobile: 'hide' },
    { title: s('planTitle'), dataIndex: 'title', mobile: 'title', render: (v: string) => <span className="wm-wrap">{v}</span> },
    { title: s('kind'), dataIndex: 'kind', width: 110, render: (k: PlanSummary['kind']) => <KindTag kind={k} /> },
    { title: s('status'), dataIndex: 'status', width: 100, render: (v: PlanSummary['status']) => <StatusTag status={v} /> },
    { title: s('dates'), key: 'dates', width: 200, render: (_: unknown, p) => `${p.startsOn} ~ ${p.endsOn}` },
    { title: s('inspectors'), dataIndex: 'inspectorCount', width: 90, align: 'right' },
    { title: s('progress'), key: 'progress', width: 160, render: (_: unknown, p) => <ProgressBar done={p.progress.done} total={p.progress.total} /> },
  ];

  return (
    <div className="wm-page">
      <PageHeader
        title={s('plansTitle')}
        subtitle={s('plansSubtitle')}
        extra={
          canPlan ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-create">
              {s('newPlan')}
            </Button>
          ) : null
        }
      />
      <FilterBar>
        <Select
          allowClear
          className="wm-filter"
          placeholder={s('allKinds')}
          value={list.get('kind') || undefined}
          onChange={(v?: string) => list.setFilters({ kind: v })}
          options={PLAN_KINDS.map((k) => ({ value: k, label: lang === 'en-US' ? KIND_LABELS[k].en : KIND_LABELS[k].zh }))}
          data-testid="filter-kind"
        />
        <Select
          allowClear
          className="wm-filter"
          placeholder={s('allStatuses')}
          value={list.get('status') || undefined}
          onChange={(v?: string) => list.setFilters({ status: v })}
          options={PLAN_STATUSES.map((k) => ({ value: k, label: lang === 'en-US' ? STATUS_LABELS[k].en : STATUS_LABELS[k].zh }))}
          data-testid="filter-status"
        />
      </FilterBar>
      <PagedTable<PlanSummary>
        result={plans}
        list={list}
        columns={columns}
        rowKey={(p) => p.id}
        testId="plans"
        onRowClick={(p) => navigate(`/inspections/${p.id}`)}
      />
      {creating ? (
        <PlanFormDialog
          onClose={() => setCreating(false)}
          onSaved={(plan) => {
            setCreating(false);
            navigate(`/inspections/${plan.id}`);
          }}
        />
      ) : null}
    </div>
  );
}
