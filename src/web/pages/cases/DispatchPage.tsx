// 派遣台: everything waiting for the 指挥中心 — new reports to verify or file, filed cases to dispatch, cases a
// unit returned, extension requests to decide. A case opens in a drawer with its photos, map and history and the
// dispatcher's actions; several can be filed or dispatched by the 责任清单 at once.
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Badge, Button, Drawer, Select, Segmented, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { CASE_ACTION_LABELS, type CaseAction, type CaseState } from '../../../core/cases/index.js';
import { caseApi, CASE_SOURCES, type CaseItem } from '../../api/cases.js';
import { CaseActions } from '../../components/cases/CaseActions.js';
import { sourceKey } from '../../components/cases/CaseTags.js';
import { FilterBar } from '../../components/FilterBar.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ResponsiveTable } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { MessageKey } from '../../i18n/core.js';
import { useCategories } from '../../lib/categories.js';
import { useIsMobile, useListParams } from '../../lib/hooks.js';
import { bindFilter } from '../../lib/listFilters.js';
import { useCaseColumns } from './caseColumns.js';
import { CaseDetailView } from './CaseDetailView.js';
import { useCaseCounts, useCaseList } from './useCaseList.js';

const STAGES: { key: string; statuses: CaseState[] }[] = [
  { key: 'all', statuses: [] },
  { key: 'reported', statuses: ['reported'] },
  { key: 'verifying', statuses: ['verifying'] },
  { key: 'filed', statuses: ['filed'] },
  { key: 'returned', statuses: ['returned'] },
  { key: 'extension_requested', statuses: ['extension_requested'] },
];

const BULK: readonly CaseAction[] = ['file', 'dispatch'];

export default function DispatchPage() {
  const { t, label, errorText } = useI18n();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const { message, modal } = AntApp.useApp();
  const categories = useCategories();
  const list = useListParams(['stage', 'q', 'source', 'categoryCode']);
  const [params, setParams] = useSearchParams();
  const stage = STAGES.find((s) => s.key === list.get('stage')) ?? STAGES[0];
  const [selected, setSelected] = useState<CaseItem[]>([]);
  const [bulkBusy, setBulkBusy] = useState<CaseAction | null>(null);
  const openId = params.get('case');

  const query = useMemo(
    () => ({
      queue: 'dispatch',
      status: stage.statuses.join(',') || undefined,
      q: list.get('q') || undefined,
      source: list.get('source') || undefined,
      categoryCode: list.get('categoryCode') || undefined,
      page: list.page,
      pageSize: list.pageSize,
    }),
    [stage, list.query],
  );
  const cases = useCaseList(query);
  const { counts, reload: reloadCounts } = useCaseCounts(
    Object.fromEntries(STAGES.map((s) => [s.key, { queue: 'dispatch', status: s.statuses.join(',') || undefined }])),
  );

  const openCase = (id: number | null) => {
    if (id !== null && isMobile) {
      navigate(`/cases/${id}`);
      return;
    }
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id === null) next.delete('case');
        else next.set('case', String(id));
        return next;
      },
      { replace: id === null },
    );
  };

  const refresh = () => {
    cases.reload();
    reloadCounts();
  };

  const columns = useCaseColumns(['caseNo', 'status', 'source', 'category', 'description', 'place', 'age', 'actions'], {
    actions: (c) => <CaseActions c={c} layout="compact" onDone={refresh} onStale={refresh} exclude={['supervise']} />,
  });

  const runBulk = async (action: CaseAction) => {
    const targets = selected.filter((c) => c.actions.includes(action));
    setBulkBusy(action);
    let ok = 0;
    const failed: string[] = [];
    for (const c of targets) {
      try {
        await caseApi.transition(c.id, { action, version: c.version });
        ok++;
      } catch {
        failed.push(c.caseNo);
      }
    }
    setBulkBusy(null);
    setSelected([]);
    refresh();
    if (failed.length) modal.warning({ title: t('dispatch.bulkPartial', { ok, failed: failed.length }), content: failed.join('、') });
    else message.success(t('dispatch.bulkDone', { count: ok, action: label(CASE_ACTION_LABELS[action]) }));
  };

  return (
    <div className="wm-page">
      <PageHeader
        title={t('nav.dispatch')}
        subtitle={t('dispatch.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="dispatch-refresh">
              {t('common.refresh')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/report')}>
              {t('dispatch.newCase')}
            </Button>
          </>
        }
      />
      <div className="wm-stage-tabs">
        <Segmented
          value={stage.key}
          onChange={(v) => list.setFilters({ stage: v === 'all' ? undefined : String(v) })}
          options={STAGES.map((s) => ({
            value: s.key,
            label: (
              <span data-testid={`stage-${s.key}`}>
                {t(`dispatch.stage.${s.key}` as MessageKey)}
                {counts[s.key] ? <Badge count={counts[s.key]} overflowCount={999} size="small" style={{ marginInlineStart: 6 }} color={s.key === 'returned' ? '#eb2f96' : '#8c8c8c'} /> : null}
              </span>
            ),
          }))}
        />
      </div>
      <FilterBar search={{ list, placeholder: t('caseList.search'), testId: 'filter-q' }}>
        <Select
          allowClear
          placeholder={t('case.source')}
          {...bindFilter(list, 'source')}
          options={CASE_SOURCES.map((s) => ({ value: s, label: t(sourceKey(s)) }))}
          className="wm-filter"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('case.category')}
          {...bindFilter(list, 'categoryCode')}
          options={categories.items.filter((c) => c.level === 'minor').map((c) => ({ value: c.code, label: `${c.code} ${categories.name(c.code)}` }))}
          className="wm-filter wm-filter-wide"
          popupMatchSelectWidth={false}
        />
        {selected.length && !isMobile ? (
          <Space className="wm-bulk">
            <Typography.Text>{t('dispatch.selected', { count: selected.length })}</Typography.Text>
            {BULK.map((a) => {
              const n = selected.filter((c) => c.actions.includes(a)).length;
              return (
                <Button key={a} disabled={!n} loading={bulkBusy === a} onClick={() => void runBulk(a)} data-testid={`bulk-${a}`}>
                  {t(`dispatch.bulk.${a}` as MessageKey, { count: n })}
                </Button>
              );
            })}
          </Space>
        ) : null}
      </FilterBar>
      {cases.error ? <Alert type="error" showIcon title={errorText(cases.error)} style={{ marginBottom: 12 }} /> : null}
      <ResponsiveTable<CaseItem>
        testId="dispatch-list"
        columns={columns}
        data={cases.data?.items}
        loading={cases.loading}
        rowKey={(c) => c.id}
        total={cases.data?.total}
        page={list.page}
        pageSize={list.pageSize}
        onPageChange={list.setPage}
        onRowClick={(c) => openCase(c.id)}
        empty={t('dispatch.empty')}
        rowSelection={{
          selectedRowKeys: selected.map((c) => c.id),
          onChange: (_keys, rows) => setSelected(rows),
          getCheckboxProps: (c) => ({ disabled: !BULK.some((a) => c.actions.includes(a)) }),
        }}
      />
      <Drawer
        open={Boolean(openId) && !isMobile}
        onClose={() => openCase(null)}
        size={760}
        title={t('case.detailTitle')}
        destroyOnHidden
        data-testid="case-drawer"
        extra={
          openId ? (
            <Button type="link" onClick={() => navigate(`/cases/${openId}`)}>
              {t('case.openPage')}
            </Button>
          ) : null
        }
      >
        {openId ? <CaseDetailView id={openId} embedded onChanged={refresh} /> : null}
      </Drawer>
    </div>
  );
}
