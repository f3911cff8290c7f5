// 问题列表: every case in the caller's scope, filtered by status, source, category, community, unit, flags
// (超期, 督办, 反弹), period and full text, with paging; and the 反弹点 (places where problems keep coming back).
import { GlobalOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Select, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { CASE_STATE_LABELS, CASE_STATES } from '../../../core/cases/index.js';
import { RESPONSIBLE_UNIT_KINDS } from '../../../core/routing.js';
import { caseApi, CASE_SOURCES, type CaseItem, type ReboundSpot } from '../../api/cases.js';
import { useUser } from '../../auth/SessionProvider.js';
import { sourceKey } from '../../components/cases/CaseTags.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { FilterBar } from '../../components/FilterBar.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ResponsiveTable, type Column } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { OFFICE_ROLES } from '../../lib/cases.js';
import { useCategories } from '../../lib/categories.js';
import { useAsync, useListParams } from '../../lib/hooks.js';
import { bindFilter, bindMultiFilter, countActiveFilters, splitCsv } from '../../lib/listFilters.js';
import { useOrgNodes } from '../../lib/referenceData.js';
import { useCommunityOptions } from '../GridsPage.js';
import { useCaseColumns } from './caseColumns.js';
import { useCaseList } from './useCaseList.js';

const FLAGS = ['overdue', 'supervised', 'rebound'] as const;
const FILTER_KEYS = ['tab', 'q', 'status', 'source', 'categoryCode', 'communityId', 'unitId', 'flags', 'from', 'to', 'sort'] as const;
/** The filters folded behind the 筛选 button on phones, counted on it when set. */
const FOLDED_KEYS = ['status', 'source', 'categoryCode', 'communityId', 'unitId', 'flags', 'from', 'sort'] as const;

export default function CaseListPage() {
  const { t, label, errorText } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const categories = useCategories();
  const communities = useCommunityOptions();
  const list = useListParams(FILTER_KEYS);
  const tab = list.get('tab') === 'rebounds' ? 'rebounds' : 'cases';
  const flags = splitCsv(list.get('flags'));

  const query = useMemo(() => {
    const out: Record<string, string | number | boolean | undefined> = {
      q: list.get('q') || undefined,
      status: list.get('status') || undefined,
      source: list.get('source') || undefined,
      categoryCode: list.get('categoryCode') || undefined,
      communityId: list.get('communityId') || undefined,
      unitId: list.get('unitId') || undefined,
      from: list.get('from') || undefined,
      to: list.get('to') || undefined,
      sort: list.get('sort') || undefined,
      page: list.page,
      pageSize: list.pageSize,
    };
    for (const f of flags) out[f] = true;
    return out;
  }, [list.query]);
  const cases = useCaseList(tab === 'cases' ? query : { page: 1, pageSize: 1 });

  const columns = useCaseColumns(['caseNo', 'status', 'remaining', 'category', 'description', 'source', 'place', 'unit', 'age']);

  const categoryOptions = useMemo(() => {
    const majors = categories.items.filter((c) => c.level === 'major');
    return majors.map((m) => ({
      label: categories.name(m.code),
      options: [
        { value: m.code, label: t('caseList.wholeMajor', { name: categories.name(m.code) }) },
        ...categories.items.filter((c) => c.parentCode === m.code).map((c) => ({ value: c.code, label: `${c.code} ${categories.name(c.code)}` })),
      ],
    }));
  }, [categories, t]);

  const from = list.get('from');
  const to = list.get('to');
  const range = from || to ? ([from ? dayjs(from) : null, to ? dayjs(to) : null] as const) : null;

  return (
    <div className="wm-page">
      <PageHeader title={t('nav.cases')} subtitle={t('caseList.subtitle')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => list.setFilters({ tab: key === 'cases' ? undefined : key })}
        items={[
          { key: 'cases', label: <span data-testid="tab-cases">{t('caseList.tabCases')}</span> },
          { key: 'rebounds', label: <span data-testid="tab-rebounds">{t('caseList.tabRebounds')}</span> },
        ]}
      />
      {tab === 'cases' ? (
        <>
          <FilterBar
            search={{ list, placeholder: t('caseList.search'), testId: 'filter-q' }}
            collapsible={{ active: countActiveFilters(list, FOLDED_KEYS) }}
          >
            <Select
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder={t('common.status')}
              {...bindMultiFilter(list, 'status')}
              options={CASE_STATES.map((s) => ({ value: s, label: label(CASE_STATE_LABELS[s]) }))}
              className="wm-filter wm-filter-wide"
              data-testid="filter-status"
            />
            <Select
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder={t('case.source')}
              {...bindMultiFilter(list, 'source')}
              options={CASE_SOURCES.map((s) => ({ value: s, label: t(sourceKey(s)) }))}
              className="wm-filter wm-filter-wide"
            />
            <Select
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('case.category')}
              {...bindMultiFilter(list, 'categoryCode')}
              options={categoryOptions}
              className="wm-filter wm-filter-wide"
              popupMatchSelectWidth={false}
            />
            {communities.length > 1 || list.get('communityId') ? (
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('case.community')}
                {...bindFilter(list, 'communityId')}
                options={communities}
                className="wm-filter"
              />
            ) : null}
            {OFFICE_ROLES.includes(user.role) ? (
              <OrgTreeSelect
                {...bindFilter(list, 'unitId')}
                selectableKinds={RESPONSIBLE_UNIT_KINDS}
                hiddenKinds={['grid', 'micro_grid']}
                placeholder={t('case.unit')}
                style={{ minWidth: 180 }}
              />
            ) : null}
            <Select
              mode="multiple"
              allowClear
              placeholder={t('caseList.flags')}
              {...bindMultiFilter(list, 'flags')}
              options={FLAGS.map((f) => ({ value: f, label: t(`case.flag.${f}`) }))}
              className="wm-filter"
              data-testid="filter-flags"
            />
            <DatePicker.RangePicker
              value={range as never}
              placeholder={[t('caseList.from'), t('caseList.to')]}
              onChange={(v) => list.setFilters({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
              allowClear
              className="wm-filter wm-filter-wide"
            />
            <Select
              value={list.get('sort') || 'created'}
              onChange={(v) => list.setFilters({ sort: v === 'created' ? undefined : v })}
              options={(['created', 'deadline', 'updated'] as const).map((s) => ({ value: s, label: t(`caseList.sort.${s}`) }))}
              className="wm-filter"
            />
          </FilterBar>
          {cases.error ? <Alert type="error" showIcon title={errorText(cases.error)} style={{ marginBottom: 12 }} /> : null}
          <ResponsiveTable<CaseItem>
            testId="case-list"
            columns={columns}
            data={cases.data?.items}
            loading={cases.loading}
            rowKey={(c) => c.id}
            total={cases.data?.total}
            page={list.page}
            pageSize={list.pageSize}
            onPageChange={list.setPage}
            onRowClick={(c) => navigate(`/cases/${c.id}`)}
          />
        </>
      ) : (
        <ReboundSpots />
      )}
    </div>
  );
}

function ReboundSpots() {
  const { t, errorText, formatDateTime } = useI18n();
  const navigate = useNavigate();
  const categories = useCategories();
  const { byId } = useOrgNodes();
  const [flaggedOnly, setFlaggedOnly] = useState(true);
  const spots = useAsync(() => caseApi.reboundSpots(flaggedOnly), [flaggedOnly]);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const items = spots.data ?? [];

  const columns: Column<ReboundSpot>[] = [
    { key: 'category', title: t('case.category'), dataIndex: 'categoryCode', mobile: 'title', render: (code: string) => <Typography.Text strong>{categories.name(code)}</Typography.Text> },
    { key: 'grid', title: t('case.place'), dataIndex: 'gridId', render: (id: number | null) => (id ? byId.get(String(id))?.name ?? '—' : '—') },
    { key: 'count', title: t('rebound.count'), dataIndex: 'reboundCount', render: (n: number, s) => <Tag color={s.flagged ? 'volcano' : 'default'}>{t('rebound.times', { count: n })}</Tag> },
    { key: 'flagged', title: t('rebound.flagged'), dataIndex: 'flagged', render: (v: boolean) => (v ? <Tag color="red">{t('rebound.spot')}</Tag> : '—') },
    { key: 'updated', title: t('common.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v) },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_: unknown, s) => (
        <>
          {s.lastCaseId ? <Link to={`/cases/${s.lastCaseId}`}>{t('rebound.lastCase')}</Link> : null}
          {s.pointId ? (
            <Button type="link" size="small" icon={<GlobalOutlined />} onClick={() => navigate(`/map?point=${s.pointId}`)}>
              {t('grid.onMap')}
            </Button>
          ) : null}
        </>
      ),
    },
  ];

  return (
    <>
      <FilterBar>
        <Select
          value={flaggedOnly ? 'flagged' : 'all'}
          onChange={(v) => setFlaggedOnly(v === 'flagged')}
          options={[
            { value: 'flagged', label: t('rebound.onlyFlagged') },
            { value: 'all', label: t('rebound.all') },
          ]}
          className="wm-filter"
        />
        <Button icon={<GlobalOutlined />} onClick={() => navigate('/map?layer=rebounds')}>
          {t('rebound.onMap')}
        </Button>
      </FilterBar>
      {spots.error ? <Alert type="error" showIcon title={errorText(spots.error)} style={{ marginBottom: 12 }} /> : null}
      <ResponsiveTable<ReboundSpot>
        testId="rebound-list"
        columns={columns}
        data={items.slice((page - 1) * pageSize, page * pageSize)}
        loading={spots.loading}
        rowKey={(s) => s.id}
        total={items.length}
        page={page}
        pageSize={pageSize}
        onPageChange={(p, size) => {
          setPage(size !== pageSize ? 1 : p);
          setPageSize(size);
        }}
        empty={t('rebound.empty')}
      />
    </>
  );
}
