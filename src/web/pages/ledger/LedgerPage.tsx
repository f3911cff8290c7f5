// 整改台账: pick the period, place, unit, source, result and category; preview the first page of matching cases;
// download the ledger as .xlsx (with before/after thumbnails) or CSV. Self-contained: its words live below in a
// local zh/en dictionary, its calls go straight through the API client.
import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Checkbox, DatePicker, Select, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, downloadUrl, toApiError, type Query } from '../../api/client.js';
import { useSession } from '../../auth/SessionProvider.js';
import { FilterBar, PageHeader } from '../../components/PageHeader.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { ResponsiveTable, type Column } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAsync } from '../../lib/hooks.js';
import { useOrgNodes } from '../../lib/referenceData.js';
import { CASE_STATES, ledgerResult, type CaseState } from '../../../core/cases/index.js';
import type { Role } from '../../../core/roles.js';

type Lang = 'zh' | 'en';
type Result = '已整改' | '整改中' | '挂账';

const TEXT = {
  zh: {
    title: '整改台账',
    intro: '按发现时间、社区、责任单位、问题来源、整改结果和问题类别筛选，导出带整改前后照片的台账。',
    period: ['发现时间起', '发现时间止'],
    community: '所属社区',
    unit: '责任单位',
    source: '问题来源',
    status: '整改结果',
    category: '问题类别',
    photos: '含照片',
    exportXlsx: '导出 Excel',
    exportCsv: '导出 CSV',
    exporting: '正在导出…',
    exported: '已导出 {name}',
    preview: '预览（第一页，共 {count} 条）',
    tooManyPhotos: '含照片的台账一次最多导出 {max} 条，当前 {count} 条：请缩小范围，或取消“含照片”后导出。',
    notAllowed: '您的角色不能导出整改台账。',
    cols: { caseNo: '编号', source: '问题来源', foundAt: '发现时间', place: '所属社区/网格', category: '问题类别', description: '问题描述', unit: '责任单位', deadline: '整改时限', result: '整改结果', closedAt: '销号时间', rebound: '反弹' },
    yes: '是',
  },
  en: {
    title: 'Rectification ledger',
    intro: 'Filter by discovery date, community, responsible unit, source, result and category, then download the ledger with before/after photos.',
    period: ['Found from', 'Found to'],
    community: 'Community',
    unit: 'Responsible unit',
    source: 'Source',
    status: 'Result',
    category: 'Category',
    photos: 'With photos',
    exportXlsx: 'Export Excel',
    exportCsv: 'Export CSV',
    exporting: 'Exporting…',
    exported: 'Downloaded {name}',
    preview: 'Preview (first page of {count})',
    tooManyPhotos: 'An export with photos holds at most {max} cases; this one has {count}. Narrow the filters or untick "With photos".',
    notAllowed: 'Your role may not export the ledger.',
    cols: { caseNo: 'No.', source: 'Source', foundAt: 'Found', place: 'Community / grid', category: 'Category', description: 'Description', unit: 'Unit', deadline: 'Deadline', result: 'Result', closedAt: 'Closed', rebound: 'Rebound' },
    yes: 'Yes',
  },
} as const;

// Mirrors src/server/modules/ledger/labels.ts (the server's words are the ones in the file).
const SOURCES: Record<string, { zh: string; en: string }> = {
  patrol: { zh: '网格员巡查', en: 'Grid patrol' },
  office: { zh: '创城办录入', en: 'Campaign office entry' },
  supervision: { zh: '督查通报', en: 'Supervision notice' },
  hotline: { zh: '12345热线', en: '12345 hotline' },
  citizen_patrol: { zh: '市民巡访团', en: 'Citizen patrol' },
  inspection: { zh: '督查检查', en: 'Inspection' },
  citizen: { zh: '市民随手拍', en: 'Citizen report' },
  media: { zh: '媒体曝光', en: 'Media' },
  leader: { zh: '领导交办', en: "Leader's instruction" },
};
const LEVELS: Record<string, { zh: string; en: string }> = { city: { zh: '市级', en: 'City' }, district: { zh: '区级', en: 'District' }, street: { zh: '街道', en: 'Street' } };
const RESULTS: { value: Result; key: string; en: string; color: string }[] = [
  { value: '已整改', key: 'done', en: 'Rectified', color: 'green' },
  { value: '整改中', key: 'open', en: 'In progress', color: 'blue' },
  { value: '挂账', key: 'hung', en: 'On the backlog', color: 'orange' },
];
/** Mirrors LEDGER_EXPORT_ROLES on the server: volunteers and the citizen patrol may not export. */
const EXPORT_ROLES: readonly Role[] = ['admin', 'leader', 'office', 'dispatcher', 'unit', 'grid_worker', 'inspector'];
const MAX_PHOTO_ROWS = 5000;
const UNIT_KINDS = ['street', 'community', 'grid', 'department', 'stationed_unit', 'property_company'] as const;

interface Filters {
  from?: string;
  to?: string;
  communityId?: string;
  unitId?: string;
  sources: string[];
  results: Result[];
  categoryCodes: string[];
}

interface CaseItem {
  id: number;
  caseNo: string;
  status: string;
  source: string;
  sourceLevel: string | null;
  categoryCode: string;
  description: string;
  communityName: string | null;
  gridName: string | null;
  unitName: string | null;
  deadline: string | null;
  closedAt: string | null;
  createdAt: string;
  isRebound: boolean;
}

interface CategoryItem {
  code: string;
  level: 'major' | 'minor';
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  active: boolean;
}

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
const beijingMinute = (iso: string | null) => {
  if (!iso) return '—';
  const s = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
};
const resultOf = (status: string): Result | null => ledgerResult(status as CaseState);
const statesOf = (results: Result[]) => CASE_STATES.filter((s) => {
  const r = ledgerResult(s);
  return r !== null && (results.length === 0 || results.includes(r));
});

/** The export's query string: the server reads 整改结果 and categories itself. */
function exportQuery(f: Filters, photos?: boolean): Query {
  return {
    from: f.from,
    to: f.to,
    communityId: f.communityId,
    unitId: f.unitId,
    source: f.sources.join(',') || undefined,
    status: f.results.map((r) => RESULTS.find((x) => x.value === r)!.key).join(',') || undefined,
    categoryCode: f.categoryCodes.join(',') || undefined,
    photos,
  };
}

/** The preview's query on GET /cases: the same rows, expressed as case states. */
function previewQuery(f: Filters): Query {
  return {
    from: f.from,
    to: f.to,
    communityId: f.communityId,
    unitId: f.unitId,
    source: f.sources.join(',') || undefined,
    status: statesOf(f.results).join(','),
    categoryCode: f.categoryCodes.join(',') || undefined,
    sort: 'created',
    page: 1,
    pageSize: 20,
  };
}

/** Downloads through fetch so a refusal (400/403) shows as a message instead of a page of JSON. */
async function download(path: string, query: Query, lang: string): Promise<string> {
  const res = await fetch(downloadUrl(path, query), { credentials: 'same-origin', headers: { 'Accept-Language': lang } });
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    throw toApiError(res.status, body, res.headers.get('retry-after'));
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : path.split('/').pop()!;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

export default function LedgerPage() {
  const { lang: uiLang, errorText, formatNumber } = useI18n();
  const lang: Lang = uiLang === 'en-US' ? 'en' : 'zh';
  const tx = TEXT[lang];
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const mayExport = !!user && EXPORT_ROLES.includes(user.role);
  const { nodes } = useOrgNodes();
  const [filters, setFilters] = useState<Filters>({ sources: [], results: [], categoryCodes: [] });
  const [photos, setPhotos] = useState(true);
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  const categories = useAsync(() => api.get<{ items: CategoryItem[] }>('/categories', { active: true }), []);
  const preview = useAsync(() => api.get<{ items: CaseItem[]; total: number }>('/cases', previewQuery(filters)), [JSON.stringify(filters)]);

  const communityOptions = useMemo(() => nodes.filter((n) => n.kind === 'community' && n.active).map((n) => ({ value: String(n.id), label: n.name })), [nodes]);
  const categoryName = useMemo(() => new Map((categories.data?.items ?? []).map((c) => [c.code, lang === 'zh' ? c.nameZh : c.nameEn])), [categories.data, lang]);
  const categoryOptions = useMemo(() => {
    const items = (categories.data?.items ?? []).filter((c) => c.active);
    return items
      .filter((c) => c.level === 'major')
      .map((major) => ({
        label: `${major.code} ${lang === 'zh' ? major.nameZh : major.nameEn}`,
        options: items.filter((c) => c.parentCode === major.code).map((c) => ({ value: c.code, label: `${c.code} ${lang === 'zh' ? c.nameZh : c.nameEn}` })),
      }))
      .filter((g) => g.options.length);
  }, [categories.data, lang]);

  const total = preview.data?.total;
  const tooManyPhotos = photos && total !== undefined && total > MAX_PHOTO_ROWS;

  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    setExportError(null);
    try {
      const name = await download(`/cases/export.${format}`, exportQuery(filters, format === 'xlsx' ? photos : undefined), uiLang);
      message.success(fill(tx.exported, { name }));
    } catch (err) {
      setExportError(err);
    } finally {
      setBusy(null);
    }
  };

  const sourceText = (c: CaseItem) => {
    const base = SOURCES[c.source]?.[lang] ?? c.source;
    const level = c.sourceLevel ? LEVELS[c.sourceLevel]?.[lang] : undefined;
    return level ? (lang === 'zh' ? `${level}${base}` : `${base} (${level})`) : base;
  };

  const columns: Column<CaseItem>[] = [
    { title: tx.cols.caseNo, dataIndex: 'caseNo', mobile: 'title', width: 150 },
    { title: tx.cols.source, key: 'source', render: (_: unknown, c) => sourceText(c) },
    { title: tx.cols.foundAt, dataIndex: 'createdAt', render: (v: string) => beijingMinute(v), width: 150 },
    { title: tx.cols.place, key: 'place', render: (_: unknown, c) => [c.communityName, c.gridName].filter(Boolean).join(' / ') || '—' },
    { title: tx.cols.category, dataIndex: 'categoryCode', render: (v: string) => categoryName.get(v) ?? v },
    {
      title: tx.cols.description,
      dataIndex: 'description',
      render: (v: string) => (
        <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 280 }}>
          {v}
        </Typography.Text>
      ),
    },
    { title: tx.cols.unit, dataIndex: 'unitName', mobile: 'hide' },
    { title: tx.cols.deadline, dataIndex: 'deadline', render: (v: string | null) => beijingMinute(v), mobile: 'hide', width: 150 },
    {
      title: tx.cols.result,
      dataIndex: 'status',
      render: (s: string) => {
        const r = resultOf(s);
        const def = RESULTS.find((x) => x.value === r);
        return def ? <Tag color={def.color}>{lang === 'zh' ? def.value : def.en}</Tag> : '—';
      },
    },
    { title: tx.cols.closedAt, dataIndex: 'closedAt', render: (v: string | null) => beijingMinute(v), mobile: 'hide', width: 150 },
    { title: tx.cols.rebound, dataIndex: 'isRebound', render: (v: boolean) => (v ? <Tag color="red">{tx.yes}</Tag> : '—'), mobile: 'hide' },
  ];

  return (
    <div className="wm-page" data-testid="ledger-page">
      <PageHeader
        title={tx.title}
        subtitle={tx.intro}
        extra={
          mayExport ? (
            <>
              <Checkbox checked={photos} onChange={(e) => setPhotos(e.target.checked)} data-testid="ledger-photos">
                {tx.photos}
              </Checkbox>
              <Button type="primary" icon={<FileExcelOutlined />} loading={busy === 'xlsx'} disabled={busy !== null || tooManyPhotos} onClick={() => run('xlsx')} data-testid="ledger-export-xlsx">
                {busy === 'xlsx' ? tx.exporting : tx.exportXlsx}
              </Button>
              <Button icon={<DownloadOutlined />} loading={busy === 'csv'} disabled={busy !== null} onClick={() => run('csv')} data-testid="ledger-export-csv">
                {busy === 'csv' ? tx.exporting : tx.exportCsv}
              </Button>
            </>
          ) : null
        }
      />
      {!mayExport ? <Alert type="info" showIcon title={tx.notAllowed} style={{ marginBottom: 12 }} /> : null}
      <FilterBar>
        <DatePicker.RangePicker
          placeholder={[tx.period[0], tx.period[1]]}
          allowEmpty={[true, true]}
          onChange={(_, [from, to]) => set({ from: from || undefined, to: to || undefined })}
          data-testid="ledger-period"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={tx.community}
          options={communityOptions}
          value={filters.communityId}
          onChange={(v?: string) => set({ communityId: v })}
          style={{ minWidth: 160 }}
          data-testid="ledger-community"
        />
        <OrgTreeSelect value={filters.unitId} onChange={(v) => set({ unitId: v })} selectableKinds={UNIT_KINDS} placeholder={tx.unit} style={{ minWidth: 180 }} testId="ledger-unit" />
        <Select
          mode="multiple"
          allowClear
          placeholder={tx.source}
          options={Object.entries(SOURCES).map(([value, l]) => ({ value, label: l[lang] }))}
          value={filters.sources}
          onChange={(v: string[]) => set({ sources: v })}
          style={{ minWidth: 160 }}
          data-testid="ledger-source"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={tx.status}
          options={RESULTS.map((r) => ({ value: r.value, label: lang === 'zh' ? r.value : r.en }))}
          value={filters.results}
          onChange={(v: Result[]) => set({ results: v })}
          style={{ minWidth: 160 }}
          data-testid="ledger-status"
        />
        <Select
          mode="multiple"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={tx.category}
          options={categoryOptions}
          value={filters.categoryCodes}
          onChange={(v: string[]) => set({ categoryCodes: v })}
          loading={categories.loading}
          style={{ minWidth: 200 }}
          maxTagCount="responsive"
          data-testid="ledger-category"
        />
      </FilterBar>
      {tooManyPhotos ? <Alert type="warning" showIcon title={fill(tx.tooManyPhotos, { max: formatNumber(MAX_PHOTO_ROWS), count: formatNumber(total ?? 0) })} style={{ marginBottom: 12 }} /> : null}
      {exportError ? <Alert type="error" showIcon closable title={errorText(exportError)} onClose={() => setExportError(null)} style={{ marginBottom: 12 }} data-testid="ledger-export-error" /> : null}
      {preview.error ? <Alert type="error" showIcon title={errorText(preview.error)} style={{ marginBottom: 12 }} /> : null}
      <Typography.Title level={5} style={{ marginTop: 4 }}>
        {fill(tx.preview, { count: formatNumber(total ?? 0) })}
      </Typography.Title>
      <ResponsiveTable<CaseItem> testId="ledger-preview" columns={columns} data={preview.data?.items} loading={preview.loading} rowKey={(c) => String(c.id)} total={total} />
    </div>
  );
}
