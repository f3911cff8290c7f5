// 网格员工作台 (phone first): 待核实 — reports from citizens, the hotline and the media to check on site;
// 待核查 — cases a unit says it fixed, to compare before/after and pass (销号) or send back (返工);
// 我的上报 — what I reported, to follow. The same list serves the inspector's and the patrol's "我的上报".
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Tabs } from 'antd';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import type { CaseItem, CaseQueue } from '../../api/cases.js';
import { useUser } from '../../auth/SessionProvider.js';
import { CaseActions } from '../../components/cases/CaseActions.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ResponsiveTable } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { MessageKey } from '../../i18n/core.js';
import { defaultSourceFor } from '../../lib/cases.js';
import { useListParams } from '../../lib/hooks.js';
import { useCaseColumns, type CaseColumnKey } from './caseColumns.js';
import { useCaseCounts, useCaseList } from './useCaseList.js';

const COLUMNS: Record<string, CaseColumnKey[]> = {
  verify: ['caseNo', 'status', 'category', 'description', 'place', 'source', 'age', 'actions'],
  check: ['caseNo', 'status', 'category', 'description', 'place', 'unit', 'age', 'actions'],
  mine: ['caseNo', 'status', 'category', 'description', 'place', 'unit', 'created'],
};

function QueueList({ queue, page, pageSize, onPage, onChanged }: { queue: CaseQueue; page: number; pageSize: number; onPage: (p: number, s?: number) => void; onChanged: () => void }) {
  const { t, errorText } = useI18n();
  const navigate = useNavigate();
  const cases = useCaseList({ queue, page, pageSize });
  const refresh = () => {
    cases.reload();
    onChanged();
  };
  const columns = useCaseColumns(COLUMNS[queue] ?? COLUMNS.mine, {
    actions: (c) => <CaseActions c={c} layout="compact" onDone={refresh} onStale={refresh} exclude={['supervise']} />,
  });
  return (
    <>
      {cases.error ? <Alert type="error" showIcon title={errorText(cases.error)} style={{ marginBottom: 12 }} /> : null}
      <ResponsiveTable<CaseItem>
        testId={`queue-${queue}`}
        columns={columns}
        data={cases.data?.items}
        loading={cases.loading}
        rowKey={(c) => c.id}
        total={cases.data?.total}
        page={page}
        pageSize={pageSize}
        onPageChange={onPage}
        onRowClick={(c) => navigate(`/cases/${c.id}`)}
        empty={t(`gridWork.empty.${queue}` as MessageKey)}
      />
    </>
  );
}

export function CaseQueuesPage({ queues, title }: { queues: CaseQueue[]; title: string }) {
  const { t } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const list = useListParams(['tab']);
  const tab = (queues.includes(list.get('tab') as CaseQueue) ? list.get('tab') : queues[0]) as CaseQueue;
  const { counts, reload } = useCaseCounts(useMemo(() => Object.fromEntries(queues.map((q) => [q, { queue: q }])), [queues.join(',')]));
  const canReport = Boolean(defaultSourceFor(user.role));

  return (
    <div className="wm-page">
      <PageHeader
        title={title}
        subtitle={user.orgName ?? undefined}
        extra={
          canReport ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/report')} data-testid="queue-report">
              {t('nav.report')}
            </Button>
          ) : null
        }
      />
      {queues.length > 1 ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => list.setFilters({ tab: key === queues[0] ? undefined : key })}
          size="large"
          className="wm-queue-tabs"
          items={queues.map((q) => ({
            key: q,
            label: (
              <span data-testid={`tab-${q}`}>
                {t(`gridWork.tab.${q}` as MessageKey)}
                {counts[q] && q !== 'mine' ? <Badge count={counts[q]} overflowCount={99} size="small" style={{ marginInlineStart: 6 }} /> : null}
              </span>
            ),
          }))}
        />
      ) : null}
      <QueueList key={tab} queue={tab} page={list.page} pageSize={list.pageSize} onPage={list.setPage} onChanged={reload} />
    </div>
  );
}

export default function GridWorkPage() {
  const { t } = useI18n();
  return <CaseQueuesPage queues={['verify', 'check', 'mine']} title={t('nav.gridWork')} />;
}
