import { AimOutlined, DownloadOutlined, GlobalOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Select, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { placeApi } from '../api/endpoints.js';
import type { Grid } from '../api/types.js';
import { useUser } from '../auth/SessionProvider.js';
import { ImportDialog } from '../components/ImportDialog.js';
import { FilterBar } from '../components/FilterBar.js';
import { PageHeader } from '../components/PageHeader.js';
import { stop, type Column } from '../components/ResponsiveTable.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { mayEditPlaces } from '../layout/navigation.js';
import { useAsync, useListParams } from '../lib/hooks.js';
import { bindFilter } from '../lib/listFilters.js';
import { invalidateOrgs, useOrgNodes } from '../lib/referenceData.js';
import { PagedTable } from '../components/PagedTable.js';

export function useCommunityOptions() {
  const { nodes } = useOrgNodes();
  return useMemo(
    () =>
      nodes
        .filter((n) => n.kind === 'community')
        .sort((a, b) => (a.code ?? '').localeCompare(b.code ?? '') || a.name.localeCompare(b.name, 'zh-CN'))
        .map((n) => ({ value: String(n.id), label: n.name })),
    [nodes],
  );
}

export default function GridsPage() {
  const { t, formatNumber } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const canEdit = mayEditPlaces(user.role);
  const list = useListParams(['q', 'communityId']);
  const grids = useAsync(() => placeApi.grids(list.query), [JSON.stringify(list.query)]);
  const communities = useCommunityOptions();
  const [importOpen, setImportOpen] = useState(false);

  const columns: Column<Grid>[] = [
    { title: t('grid.code'), dataIndex: 'code', render: (v: string) => <Typography.Text code copyable={{ text: v }}>{v}</Typography.Text> },
    { title: t('grid.name'), dataIndex: 'name', mobile: 'title' },
    {
      title: t('grid.kind'),
      dataIndex: 'kind',
      render: (k: Grid['kind']) => (k === 'micro_grid' ? <Tag color="lime">{t('grid.microGrid')}</Tag> : <Tag color="gold">{t('grid.grid')}</Tag>),
    },
    { title: t('grid.community'), dataIndex: 'communityName' },
    { title: t('grid.pointCount'), dataIndex: 'pointCount', align: 'right', render: (n: number) => formatNumber(n) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, g) => (
        <Space size={0} onClick={stop}>
          <Button type="link" size="small" icon={<GlobalOutlined />} onClick={() => navigate(`/map?grid=${encodeURIComponent(String(g.id))}`)} data-testid="grid-on-map">
            {t('grid.onMap')}
          </Button>
          <Button type="link" size="small" icon={<AimOutlined />} onClick={() => navigate(`/points?gridId=${encodeURIComponent(String(g.id))}`)}>
            {t('grid.points')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div className="wm-page">
      <PageHeader
        title={t('nav.grids')}
        subtitle={!canEdit ? t('common.readOnly') : undefined}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={placeApi.gridsExportUrl(list.get('communityId') ? { communityId: list.get('communityId') } : undefined)} data-testid="grid-export">
              {t('grid.export')}
            </Button>
            {canEdit ? (
              <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="grid-import">
                {t('grid.import')}
              </Button>
            ) : null}
          </>
        }
      />
      <FilterBar search={{ list, placeholder: t('grid.search'), testId: 'filter-q' }}>
        {communities.length > 1 || list.get('communityId') ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('grid.community')}
            options={communities}
            {...bindFilter(list, 'communityId')}
            className="wm-filter"
            data-testid="filter-community"
          />
        ) : null}
      </FilterBar>
      <PagedTable<Grid>
        result={grids}
        list={list}
        testId="grids"
        columns={columns}
        rowKey={(g) => String(g.id)}
        onRowClick={(g) => navigate(`/points?gridId=${encodeURIComponent(String(g.id))}`)}
      />
      <ImportDialog
        open={importOpen}
        title={t('grid.import')}
        accept=".geojson,.json"
        hint={t('grid.importHint')}
        upload={placeApi.importGrids}
        onClose={() => setImportOpen(false)}
        onImported={() => {
          invalidateOrgs();
          grids.reload();
        }}
      />
    </div>
  );
}
