// 待办: what a responsible unit must handle, the least time left first, coloured green/amber/red, with 督办 and
// overdue badges. 签收 is one tap; 退回, 申请延期 and 反馈 (after-photos and measures) open their forms. Works the
// same at a desk and on a phone.
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Segmented } from 'antd';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import type { CaseItem } from '../../api/cases.js';
import type { Query } from '../../api/client.js';
import { useUser } from '../../auth/SessionProvider.js';
import { CaseActions } from '../../components/cases/CaseActions.js';
import { FilterBar } from '../../components/FilterBar.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ResponsiveTable } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { MessageKey } from '../../i18n/core.js';
import { useListParams } from '../../lib/hooks.js';
import { useCaseColumns } from './caseColumns.js';
import { useCaseCounts, useCaseList } from './useCaseList.js';

const VIEWS: { key: string; query: Query }[] = [
  { key: 'all', query: {} },
  { key: 'overdue', query: { overdue: true } },
  { key: 'supervised', query: { supervised: true } },
  { key: 'dispatched', query: { status: 'dispatched' } },
  { key: 'extension', query: { status: 'extension_requested' } },
];

export default function TodoPage() {
  const { t, errorText } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const list = useListParams(['view', 'q']);
  const view = VIEWS.find((v) => v.key === list.get('view')) ?? VIEWS[0];

  const query = useMemo(
    () => ({ queue: 'unit', ...view.query, q: list.get('q') || undefined, page: list.page, pageSize: list.pageSize }),
    [view, list.query],
  );
  const cases = useCaseList(query);
  const { counts, reload: reloadCounts } = useCaseCounts(Object.fromEntries(VIEWS.map((v) => [v.key, { queue: 'unit', ...v.query }])));
  const refresh = () => {
    cases.reload();
    reloadCounts();
  };

  const columns = useCaseColumns(['caseNo', 'remaining', 'status', 'category', 'description', 'place', 'deadline', 'actions'], {
    actions: (c) => <CaseActions c={c} layout="compact" onDone={refresh} onStale={refresh} exclude={['supervise']} />,
  });

  return (
    <div className="wm-page">
      <PageHeader
        title={t('nav.todo')}
        subtitle={user.orgName ?? undefined}
        extra={
          <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="todo-refresh">
            {t('common.refresh')}
          </Button>
        }
      />
      <div className="wm-stage-tabs">
        <Segmented
          value={view.key}
          onChange={(v) => list.setFilters({ view: v === 'all' ? undefined : String(v) })}
          options={VIEWS.map((v) => ({
            value: v.key,
            label: (
              <span data-testid={`todo-view-${v.key}`}>
                {t(`todo.view.${v.key}` as MessageKey)}
                {counts[v.key] ? (
                  <Badge count={counts[v.key]} overflowCount={999} size="small" style={{ marginInlineStart: 6 }} color={v.key === 'overdue' || v.key === 'supervised' ? '#cf1322' : '#8c8c8c'} />
                ) : null}
              </span>
            ),
          }))}
        />
      </div>
      <FilterBar search={{ list, placeholder: t('caseList.search') }} />
      {cases.error ? <Alert type="error" showIcon title={errorText(cases.error)} style={{ marginBottom: 12 }} /> : null}
      <ResponsiveTable<CaseItem>
        testId="todo-list"
        columns={columns}
        data={cases.data?.items}
        loading={cases.loading}
        rowKey={(c) => c.id}
        total={cases.data?.total}
        page={list.page}
        pageSize={list.pageSize}
        onPageChange={list.setPage}
        onRowClick={(c) => navigate(`/cases/${c.id}`)}
        empty={t('todo.empty')}
      />
    </div>
  );
}
