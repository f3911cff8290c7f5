// 问题导入: 督查通报 (city/district/street supervision notices, filed and dispatched at once) and 12345 热线工单
// (verified on site before filing) from Excel. The server checks every row first and imports all or nothing; this
// page shows either what was created (with possible duplicates and rebounds) or the row report (docs/imports.md).
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, DownloadOutlined, InboxOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, Card, Col, Collapse, Input, Radio, Row, Select, Space, Switch, Table, Tabs, Tag, Typography, Upload,
} from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { can } from '../../../core/roles.js';
import { ApiError, api, downloadUrl, request, type ImportRowError } from '../../api/client.js';
import { useUser } from '../../auth/SessionProvider.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { Lang } from '../../i18n/core.js';
import { rowReportCsv } from '../../lib/csv.js';
import { useAsync } from '../../lib/hooks.js';

// ---- API shapes --------------------------------------------------------------------------------------------

type Kind = 'supervision' | 'hotline';
type Level = '' | 'city' | 'district' | 'street';
type Crs = 'WGS84' | 'GCJ02';

export interface CaseImportReport {
  kind: Kind;
  dryRun: boolean;
  imported: number;
  wouldImport?: number;
  caseIds: number[];
  duplicates: { row: number; caseId: number | null; of: { caseId: number | null; caseNo: string | null; row: number | null; distanceM: number }[] }[];
  rebounds: { row: number; caseId: number | null; ofCaseId: number; spotFlagged: boolean }[];
  alreadyImported: { row: number; ref: string; caseId: number }[];
  deadlineWarnings: string[];
}

interface KeywordMapping {
  keyword: string;
  categoryCode: string;
}

interface CategoryItem {
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'major' | 'minor';
  active: boolean;
}

export const IMPORT_ROLES = ['office', 'dispatcher', 'admin'] as const;

const importApi = {
  run: (kind: Kind, file: File, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v !== '') form.append(k, v);
    form.append('file', file, file.name);
    return request<CaseImportReport>('POST', `/cases/import/${kind}`, { form });
  },
  templateUrl: (kind: Kind) => downloadUrl(`/cases/import/${kind}-template.xlsx`),
  keywordMap: () => api.get<{ entries: KeywordMapping[] }>('/cases/import/hotline-category-map'),
  saveKeywordMap: (entries: KeywordMapping[]) => api.put<{ entries: KeywordMapping[] }>('/cases/import/hotline-category-map', { entries }),
  categories: () => api.get<{ items: CategoryItem[] }>('/categories', { active: true }),
};

// ---- strings -----------------------------------------------------------------------------------------------

interface ColumnDoc {
  name: string;
  required: string;
  meaning: string;
}

const STRINGS = {
  'zh-CN': {
    title: '问题导入',
    subtitle: '从 Excel 批量导入督查通报和 12345 热线工单；任一行有错则整批不导入',
    supervision: '督查通报',
    hotline: '12345 热线工单',
    supervisionIntro: '一份通报中的每个问题成为一个案件（来源：督查通报），按责任清单立即立案派遣并计算处置时限。',
    hotlineIntro: '每张工单成为一个案件（来源：12345 热线），状态为"已上报"，须网格员现场核实后再立案，导入时不派遣。已导入过的工单编号自动跳过。',
    level: '通报级别',
    levelFromFile: '按表格"通报级别"列',
    levels: { city: '市级', district: '区级', street: '街道' } as Record<Exclude<Level, ''>, string>,
    levelHint: '表格中某行填写了级别时，以该行为准',
    ref: '通报编号',
    refHint: '表格未填写"通报编号"的行使用此编号',
    refPlaceholder: '如：淄创城通〔2026〕18号',
    dispatch: '立即立案并派遣',
    dispatchHint: '关闭则以"已上报"状态进入派遣员待办',
    crs: '坐标系',
    crsWgs: 'WGS-84（GPS、天地图）',
    crsGcj: 'GCJ-02（高德、腾讯地图拾取）',
    template: '下载模板',
    columns: '表格列说明',
    colName: '列名',
    colRequired: '必填',
    colMeaning: '说明',
    drop: '点击或拖入 .xlsx 文件',
    check: '检查（不导入）',
    run: '导入',
    checked: '检查通过：可导入 {count} 条',
    imported: '已导入 {count} 条',
    alreadyImported: '{count} 张工单此前已导入，已跳过',
    nothingImported: '文件有错误，未导入任何数据。按下表修改后重新导入。',
    downloadReport: '下载错误报告',
    row: '行',
    column: '列',
    reason: '原因',
    duplicates: '疑似重复（已导入，请在案件页合并）',
    duplicateOf: '附近未结案件',
    rowInFile: '本文件第 {row} 行',
    rebounds: '反弹',
    reboundOf: '反弹自案件',
    spotFlagged: '已列为反弹点',
    skipped: '已跳过的工单',
    orderNo: '工单编号',
    caseLink: '案件',
    cases: '新建案件',
    deadlineWarnings: '处置时限提示',
    keywordTitle: '诉求类别关键词对照',
    keywordHint: '12345 的诉求类别（如"城市管理-乱停车"）含有关键词时对应到小类；从上到下第一个命中的关键词生效。诉求类别为空时在诉求内容中查找。',
    keyword: '关键词',
    category: '小类',
    addKeyword: '添加关键词',
    saveKeywords: '保存对照表',
    saved: '已保存',
    readOnly: '仅创城办和管理员可修改对照表',
    notAllowed: '仅创城办、派遣员和管理员可导入问题',
    supervisionColumns: [
      { name: '通报级别', required: '是*', meaning: '市级 / 区级 / 街道；*或在上方为整个文件选择' },
      { name: '通报编号', required: '是*', meaning: '如 淄创城通〔2026〕18号；*或在上方为整个文件填写' },
      { name: '问题类别', required: '是', meaning: '小类编码（1401）或小类名称（机动车乱停放）' },
      { name: '问题描述', required: '是', meaning: '2–2000 字' },
      { name: '地址', required: '否', meaning: '最多 200 字' },
      { name: '经度 / 纬度', required: '二选一', meaning: '十进制度数；无经纬度时须填写点位' },
      { name: '点位', required: '二选一', meaning: '本辖区点位的名称' },
      { name: '发现时间', required: '否', meaning: '北京时间，如 2026-05-08 09:30' },
      { name: '照片', required: '否', meaning: '嵌入的图片不导入；http(s) 链接保留为文字' },
    ] as ColumnDoc[],
    hotlineColumns: [
      { name: '工单编号', required: '是', meaning: '重复导入时按此跳过' },
      { name: '受理时间', required: '否', meaning: '北京时间，如 2026-05-08 09:12' },
      { name: '诉求类别', required: '否', meaning: '小类编码、名称，或含有对照表中的关键词；为空时按诉求内容识别' },
      { name: '诉求内容', required: '是', meaning: '2–2000 字，作为问题描述' },
      { name: '地址', required: '否', meaning: '最多 200 字（不做地址解析）' },
      { name: '经度 / 纬度', required: '二选一', meaning: '无经纬度时须填写可匹配的点位，否则该行报错' },
      { name: '点位', required: '二选一', meaning: '本辖区点位的名称' },
      { name: '市民姓名', required: '否', meaning: '最多 50 字' },
      { name: '联系电话', required: '否', meaning: '仅派遣员、创城办、管理员可见完整号码' },
    ] as ColumnDoc[],
  },
  'en-US': {
    title: 'Import problems',
    subtitle: 'Supervision notices and 12345 hotline work orders from Excel; one bad row and nothing is imported',
    supervision: 'Supervision notice',
    hotline: '12345 work orders',
    supervisionIntro: 'Every problem of a notice becomes a case (source: supervision), filed and dispatched at once by the responsibility list, with its deadline.',
    hotlineIntro: 'Every work order becomes a case (source: hotline) in status "reported": a grid worker verifies it on site before it is filed; nothing is dispatched at import. Orders imported before are skipped.',
    level: 'Notice level',
    levelFromFile: 'From the 通报级别 column',
    levels: { city: 'City', district: 'District', street: 'Street' } as Record<Exclude<Level, ''>, string>,
    levelHint: "A row's own level wins",
    ref: 'Notice number',
    refHint: 'Used for rows without a 通报编号',
    refPlaceholder: 'e.g. 淄创城通〔2026〕18号',
    dispatch: 'File and dispatch at once',
    dispatchHint: 'Off: the problems wait in the dispatcher queue as reported',
    crs: 'Coordinates',
    crsWgs: 'WGS-84 (GPS, Tianditu)',
    crsGcj: 'GCJ-02 (picked on AMap / Tencent)',
    template: 'Template',
    columns: 'Columns',
    colName: 'Column',
    colRequired: 'Required',
    colMeaning: 'Meaning',
    drop: 'Click or drop an .xlsx file',
    check: 'Check (no import)',
    run: 'Import',
    checked: 'Check passed: {count} rows can be imported',
    imported: '{count} imported',
    alreadyImported: '{count} work orders were imported before and are skipped',
    nothingImported: 'The file has errors; nothing was imported. Fix the rows below and import again.',
    downloadReport: 'Download the error report',
    row: 'Row',
    column: 'Column',
    reason: 'Reason',
    duplicates: 'Possible duplicates (imported; merge them on the case page)',
    duplicateOf: 'Open cases nearby',
    rowInFile: 'row {row} of this file',
    rebounds: 'Rebounds',
    reboundOf: 'Rebound of case',
    spotFlagged: 'Flagged as a rebound spot',
    skipped: 'Skipped work orders',
    orderNo: 'Work order',
    caseLink: 'Case',
    cases: 'New cases',
    deadlineWarnings: 'Deadline warnings',
    keywordTitle: 'Hotline category keywords',
    keywordHint: 'A 12345 category such as "城市管理-乱停车" containing a keyword maps to that 小类; the first keyword from the top wins. An empty category is looked up in the content.',
    keyword: 'Keyword',
    category: 'Category',
    addKeyword: 'Add keyword',
    saveKeywords: 'Save',
    saved: 'Saved',
    readOnly: 'Only the campaign office and administrators change this table',
    notAllowed: 'Only the campaign office, dispatchers and administrators import problems',
    supervisionColumns: [
      { name: '通报级别 level', required: 'yes*', meaning: '市级 / 区级 / 街道 (city / district / street); *or choose one above' },
      { name: '通报编号 notice no.', required: 'yes*', meaning: '*or give one above' },
      { name: '问题类别 category', required: 'yes', meaning: '小类 code (1401) or name (机动车乱停放)' },
      { name: '问题描述 description', required: 'yes', meaning: '2–2000 characters' },
      { name: '地址 address', required: 'no', meaning: 'at most 200 characters' },
      { name: '经度 / 纬度 lng / lat', required: 'one of', meaning: 'decimal degrees; without them a 点位 is needed' },
      { name: '点位 point', required: 'one of', meaning: 'name of a point in your area' },
      { name: '发现时间 found at', required: 'no', meaning: 'Beijing time, e.g. 2026-05-08 09:30' },
      { name: '照片 photo', required: 'no', meaning: 'embedded pictures are ignored; an http(s) link is kept as text' },
    ] as ColumnDoc[],
    hotlineColumns: [
      { name: '工单编号 order no.', required: 'yes', meaning: 're-imports are skipped by it' },
      { name: '受理时间 accepted at', required: 'no', meaning: 'Beijing time' },
      { name: '诉求类别 category', required: 'no', meaning: 'code, name, or text with a keyword of the table below; empty: looked up in the content' },
      { name: '诉求内容 content', required: 'yes', meaning: '2–2000 characters, the case description' },
      { name: '地址 address', required: 'no', meaning: 'at most 200 characters (not geocoded)' },
      { name: '经度 / 纬度 lng / lat', required: 'one of', meaning: 'without them the row needs a matching 点位, else it is an error' },
      { name: '点位 point', required: 'one of', meaning: 'name of a point in your area' },
      { name: '市民姓名 caller', required: 'no', meaning: 'at most 50 characters' },
      { name: '联系电话 phone', required: 'no', meaning: 'shown in full only to dispatchers, the office and administrators' },
    ] as ColumnDoc[],
  },
};
type Strings = (typeof STRINGS)['zh-CN'];

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));

// ---- the page ----------------------------------------------------------------------------------------------

export default function CaseImportPage() {
  const { lang } = useI18n();
  const s = STRINGS[lang];
  const me = useUser();
  const mayImport = (IMPORT_ROLES as readonly string[]).includes(me.role);
  const [tab, setTab] = useState<Kind>('supervision');

  return (
    <div className="wm-page" data-testid="case-import-page">
      <PageHeader title={s.title} subtitle={s.subtitle} />
      {!mayImport ? (
        <Alert type="info" showIcon title={s.notAllowed} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as Kind)}
          items={[
            { key: 'supervision', label: s.supervision, children: <ImportPanel kind="supervision" s={s} lang={lang} /> },
            {
              key: 'hotline',
              label: s.hotline,
              children: (
                <>
                  <ImportPanel kind="hotline" s={s} lang={lang} />
                  <KeywordMapCard s={s} lang={lang} canEdit={can(me.role, 'settings.write')} />
                </>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}

function ImportPanel({ kind, s }: { kind: Kind; s: Strings; lang: Lang }) {
  const { errorText } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [level, setLevel] = useState<Level>('');
  const [ref, setRef] = useState('');
  const [dispatch, setDispatch] = useState(true);
  const [crs, setCrs] = useState<Crs>('WGS84');
  const [busy, setBusy] = useState<'check' | 'run' | null>(null);
  const [report, setReport] = useState<CaseImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const rows = error instanceof ApiError ? error.importRows : [];
  const columns = kind === 'supervision' ? s.supervisionColumns : s.hotlineColumns;

  const submit = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'run');
    setError(null);
    setReport(null);
    const fields: Record<string, string> = { crs, dryRun: String(dryRun) };
    if (kind === 'supervision') Object.assign(fields, { level, sourceRef: ref.trim(), dispatch: String(dispatch) });
    try {
      const res = await importApi.run(kind, file, fields);
      setReport(res);
      if (!dryRun) setFile(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const downloadReport = () => {
    const url = URL.createObjectURL(new Blob([rowReportCsv(rows, [s.row, s.column, s.reason])], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${file?.name ?? kind}-errors.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card size="small" data-testid={`import-${kind}-form`}>
          <Typography.Paragraph>{kind === 'supervision' ? s.supervisionIntro : s.hotlineIntro}</Typography.Paragraph>
          <Space orientation="vertical" style={{ width: '100%' }} size="middle">
            {kind === 'supervision' ? (
              <>
                <Field label={s.level} hint={s.levelHint}>
                  <Select<Level>
                    value={level}
                    onChange={setLevel}
                    style={{ width: '100%' }}
                    options={[{ value: '' as Level, label: s.levelFromFile }, ...(['city', 'district', 'street'] as const).map((l) => ({ value: l as Level, label: s.levels[l] }))]}
                    data-testid="import-level"
                  />
                </Field>
                <Field label={s.ref} hint={s.refHint}>
                  <Input value={ref} onChange={(e) => setRef(e.target.value)} maxLength={100} placeholder={s.refPlaceholder} data-testid="import-ref" />
                </Field>
                <Field label={s.dispatch} hint={s.dispatchHint}>
                  <Switch checked={dispatch} onChange={setDispatch} data-testid="import-dispatch" />
                </Field>
              </>
            ) : null}
            <Field label={s.crs}>
              <Radio.Group value={crs} onChange={(e) => setCrs(e.target.value as Crs)} options={[{ value: 'WGS84', label: s.crsWgs }, { value: 'GCJ02', label: s.crsGcj }]} />
            </Field>
            <Upload.Dragger
              accept=".xlsx"
              maxCount={1}
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size }] : []}
              beforeUpload={(f) => {
                setFile(f);
                setError(null);
                setReport(null);
                return false;
              }}
              onRemove={() => {
                setFile(null);
                return true;
              }}
              data-testid={`import-${kind}-file`}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{s.drop}</p>
            </Upload.Dragger>
            <Space wrap>
              <Button icon={<DownloadOutlined />} href={importApi.templateUrl(kind)} data-testid={`import-${kind}-template`}>
                {s.template}
              </Button>
              <Button loading={busy === 'check'} disabled={!file || busy !== null} onClick={() => submit(true)} data-testid={`import-${kind}-check`}>
                {s.check}
              </Button>
              <Button type="primary" loading={busy === 'run'} disabled={!file || busy !== null} onClick={() => submit(false)} data-testid={`import-${kind}-run`}>
                {s.run}
              </Button>
            </Space>
            <Collapse
              size="small"
              items={[
                {
                  key: 'columns',
                  label: s.columns,
                  children: (
                    <Table<ColumnDoc>
                      size="small"
                      rowKey="name"
                      pagination={false}
                      dataSource={columns}
                      columns={[
                        { title: s.colName, dataIndex: 'name', width: 130 },
                        { title: s.colRequired, dataIndex: 'required', width: 70 },
                        { title: s.colMeaning, dataIndex: 'meaning' },
                      ]}
                    />
                  ),
                },
              ]}
            />
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        {error ? (
          <Card size="small" data-testid={`import-${kind}-error`}>
            <Alert type="error" showIcon title={errorText(error)} description={rows.length ? s.nothingImported : undefined} />
            {rows.length ? (
              <>
                <Table<ImportRowError>
                  style={{ marginTop: 12 }}
                  size="small"
                  rowKey={(r) => `${r.row}:${r.column}:${r.reason}`}
                  dataSource={rows}
                  pagination={rows.length > 15 ? { pageSize: 15, size: 'small' } : false}
                  scroll={{ x: 'max-content' }}
                  columns={[
                    { title: s.row, dataIndex: 'row', width: 64 },
                    { title: s.column, dataIndex: 'column', width: 110 },
                    { title: s.reason, dataIndex: 'reason' },
                  ]}
                />
                <Button icon={<DownloadOutlined />} onClick={downloadReport} style={{ marginTop: 8 }}>
                  {s.downloadReport}
                </Button>
              </>
            ) : null}
          </Card>
        ) : null}
        {report ? <ReportView report={report} s={s} /> : null}
      </Col>
    </Row>
  );
}

function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      <Typography.Text strong>{label}</Typography.Text>
      <div style={{ marginTop: 4 }}>{children}</div>
      {hint ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {hint}
        </Typography.Text>
      ) : null}
    </div>
  );
}

const caseLink = (id: number | null, label?: string) => (id === null ? '—' : <Link to={`/cases/${id}`}>{label ?? `#${id}`}</Link>);

function ReportView({ report, s }: { report: CaseImportReport; s: Strings }) {
  return (
    <Card size="small" data-testid={`import-${report.kind}-report`}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert
          type="success"
          showIcon
          title={report.dryRun ? fill(s.checked, { count: report.wouldImport ?? 0 }) : fill(s.imported, { count: report.imported })}
          description={report.alreadyImported.length ? fill(s.alreadyImported, { count: report.alreadyImported.length }) : undefined}
          data-testid="import-success"
        />
        {report.deadlineWarnings.map((w) => (
          <Alert key={w} type="warning" showIcon title={s.deadlineWarnings} description={w} />
        ))}
        {report.caseIds.length ? (
          <div>
            <Typography.Text strong>{s.cases}</Typography.Text>
            <div style={{ marginTop: 4 }}>
              <Space size={[4, 4]} wrap>
                {report.caseIds.slice(0, 200).map((id) => (
                  <Tag key={id}>{caseLink(id)}</Tag>
                ))}
              </Space>
            </div>
          </div>
        ) : null}
        {report.duplicates.length ? (
          <Table
            size="small"
            title={() => <Typography.Text strong>{s.duplicates}</Typography.Text>}
            rowKey="row"
            dataSource={report.duplicates}
            pagination={report.duplicates.length > 10 ? { pageSize: 10, size: 'small' } : false}
            columns={[
              { title: s.row, dataIndex: 'row', width: 64 },
              { title: s.caseLink, dataIndex: 'caseId', width: 90, render: (id: number | null) => caseLink(id) },
              {
                title: s.duplicateOf,
                key: 'of',
                render: (_: unknown, d: CaseImportReport['duplicates'][number]) => (
                  <Space size={[4, 4]} wrap>
                    {d.of.map((o, i) => (
                      <Tag key={i}>
                        {o.row !== null ? fill(s.rowInFile, { row: o.row }) : caseLink(o.caseId, o.caseNo ?? undefined)} · {Math.round(o.distanceM)} m
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        ) : null}
        {report.rebounds.length ? (
          <Table
            size="small"
            title={() => <Typography.Text strong>{s.rebounds}</Typography.Text>}
            rowKey="row"
            dataSource={report.rebounds}
            pagination={false}
            columns={[
              { title: s.row, dataIndex: 'row', width: 64 },
              { title: s.caseLink, dataIndex: 'caseId', width: 90, render: (id: number | null) => caseLink(id) },
              { title: s.reboundOf, dataIndex: 'ofCaseId', render: (id: number, r: CaseImportReport['rebounds'][number]) => <Space>{caseLink(id)}{r.spotFlagged ? <Tag color="volcano">{s.spotFlagged}</Tag> : null}</Space> },
            ]}
          />
        ) : null}
        {report.alreadyImported.length ? (
          <Table
            size="small"
            title={() => <Typography.Text strong>{s.skipped}</Typography.Text>}
            rowKey="row"
            dataSource={report.alreadyImported}
            pagination={report.alreadyImported.length > 10 ? { pageSize: 10, size: 'small' } : false}
            columns={[
              { title: s.row, dataIndex: 'row', width: 64 },
              { title: s.orderNo, dataIndex: 'ref' },
              { title: s.caseLink, dataIndex: 'caseId', render: (id: number) => caseLink(id) },
            ]}
          />
        ) : null}
      </Space>
    </Card>
  );
}

function KeywordMapCard({ s, lang, canEdit }: { s: Strings; lang: Lang; canEdit: boolean }) {
  const { errorText } = useI18n();
  const { message } = AntApp.useApp();
  const saved = useAsync(() => importApi.keywordMap(), []);
  const categories = useAsync(() => importApi.categories(), []);
  const [entries, setEntries] = useState<KeywordMapping[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (saved.data) setEntries(saved.data.entries);
  }, [saved.data]);

  const options = useMemo(
    () =>
      (categories.data?.items ?? [])
        .filter((c) => c.code.length === 4 && c.active)
        .map((c) => ({ value: c.code, label: `${c.code} ${lang === 'en-US' && c.nameEn ? c.nameEn : c.nameZh}` })),
    [categories.data, lang],
  );

  const update = (i: number, patch: Partial<KeywordMapping>) => setEntries((list) => list.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  const move = (i: number, by: number) =>
    setEntries((list) => {
      const next = [...list];
      const [item] = next.splice(i, 1);
      next.splice(Math.max(0, Math.min(next.length, i + by)), 0, item);
      return next;
    });

  const save = async () => {
    setBusy(true);
    try {
      const res = await importApi.saveKeywordMap(entries.map((e) => ({ keyword: e.keyword.trim(), categoryCode: e.categoryCode })));
      saved.setData(res);
      message.success(s.saved);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={s.keywordTitle} style={{ marginTop: 16 }} data-testid="hotline-keywords">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {s.keywordHint}
        {!canEdit ? ` ${s.readOnly}` : ''}
      </Typography.Paragraph>
      {saved.error ? <Alert type="error" showIcon title={errorText(saved.error)} /> : null}
      <Table<KeywordMapping & { index: number }>
        size="small"
        loading={saved.loading}
        rowKey="index"
        pagination={false}
        dataSource={entries.map((e, index) => ({ ...e, index }))}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '#', dataIndex: 'index', width: 48, render: (i: number) => i + 1 },
          {
            title: s.keyword,
            dataIndex: 'keyword',
            width: 160,
            render: (v: string, e) => (canEdit ? <Input value={v} maxLength={20} onChange={(ev) => update(e.index, { keyword: ev.target.value })} /> : v),
          },
          {
            title: s.category,
            dataIndex: 'categoryCode',
            render: (v: string, e) =>
              canEdit ? (
                <Select value={v} showSearch={{ optionFilterProp: 'label' }} options={options} onChange={(code: string) => update(e.index, { categoryCode: code })} style={{ minWidth: 220 }} />
              ) : (
                options.find((o) => o.value === v)?.label ?? v
              ),
          },
          ...(canEdit
            ? [
                {
                  title: '',
                  key: 'actions',
                  width: 120,
                  render: (_: unknown, e: KeywordMapping & { index: number }) => (
                    <Space size={0}>
                      <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={e.index === 0} onClick={() => move(e.index, -1)} />
                      <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={e.index === entries.length - 1} onClick={() => move(e.index, 1)} />
                      <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => setEntries((list) => list.filter((_, j) => j !== e.index))} />
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {canEdit ? (
        <Space style={{ marginTop: 12 }} wrap>
          <Button icon={<PlusOutlined />} onClick={() => setEntries((list) => [...list, { keyword: '', categoryCode: options[0]?.value ?? '' }])} disabled={entries.length >= 200}>
            {s.addKeyword}
          </Button>
          <Button type="primary" loading={busy} onClick={save} data-testid="hotline-keywords-save">
            {s.saveKeywords}
          </Button>
        </Space>
      ) : null}
    </Card>
  );
}
