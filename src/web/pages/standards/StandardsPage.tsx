// 测评标准: the 测评体系 tree (Ⅰ 测评项目 → Ⅱ 指标 → Ⅲ 测评内容) and its numbered items with their scoring rules, per
// version. Everybody reads; the 创城办 copies the current version into a draft, edits items, and publishes it.
// Self-contained: its API calls and its zh/en strings live in this file (see docs/standards.md for the API).
import { DownloadOutlined, EditOutlined, PlusOutlined, SendOutlined, DeleteOutlined, UploadOutlined, CopyOutlined } from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, Card, Checkbox, Col, Dropdown, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Table, Tag, Tree, Typography,
} from 'antd';
import type { TableColumnType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import {
  METHOD_LABELS, NODE_LEVEL_LABELS, RULE_KINDS, RULE_KIND_LABELS, STANDARD_METHODS, VERSION_STATUS_LABELS, describeRule, parseRule,
  type NodeLevel, type RuleKind, type ScoringRule, type StandardMethod, type VersionStatus,
} from '../../../core/standards/index.js';
import { can } from '../../../core/roles.js';
import { api, downloadUrl } from '../../api/client.js';
import type { ImportResult, PointType } from '../../api/types.js';
import { useUser } from '../../auth/SessionProvider.js';
import { ImportDialog } from '../../components/ImportDialog.js';
import { FilterBar, PageHeader } from '../../components/PageHeader.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { showFieldError } from '../../lib/forms.js';
import { useAsync, useIsMobile } from '../../lib/hooks.js';

// ---- API ---------------------------------------------------------------------------------------------------------

export interface StandardVersion {
  id: number; standardCode: string; versionNo: number; title: string; note: string | null; status: VersionStatus;
  basedOnId: number | null; publishedAt: string | null; itemCount: number | null; createdAt: string; updatedAt: string; version: number;
}
export interface StandardNodeView { id: number; parentId: number | null; level: NodeLevel; code: string; name: string; sort: number; version: number }
export interface StandardItemView {
  id: number; versionId: number; nodeId: number; code: string; number: number; text: string; methods: StandardMethod[]; pointTypes: string[];
  points: number; rule: ScoringRule; ruleText: string; sort: number; version: number; categoryCode: string | null;
}
export interface StandardTree { version: StandardVersion; nodes: StandardNodeView[]; items: StandardItemView[] }
type ItemInput = { text: string; methods: StandardMethod[]; pointTypes: string[]; rule: ScoringRule; categoryCode: string | null };
interface CategoryOption { code: string; level: 'major' | 'minor'; nameZh: string; nameEn: string }

export const standardsApi = {
  versions: () => api.get<{ items: StandardVersion[]; total: number }>('/standards/versions'),
  tree: (id: number) => api.get<StandardTree>(`/standards/versions/${id}`),
  createDraft: (fromVersionId: number) => api.post<StandardTree>('/standards/versions', { fromVersionId }),
  discard: (v: StandardVersion) => api.del<{ deleted: boolean }>(`/standards/versions/${v.id}?version=${v.version}`),
  publish: (v: StandardVersion) => api.post<StandardVersion>(`/standards/versions/${v.id}/publish`, { version: v.version }),
  createItem: (versionId: number, nodeId: number, input: ItemInput) => api.post<StandardItemView>(`/standards/versions/${versionId}/items`, { nodeId, ...input }),
  updateItem: (item: StandardItemView, input: ItemInput) => api.patch<StandardItemView>(`/standards/items/${item.id}`, { version: item.version, ...input }),
  import: (file: File) => api.upload<StandardVersion & { nodeCount: number }>('/standards/import', file),
  exportUrl: (id: number, format: 'json' | 'xlsx') => downloadUrl(`/standards/versions/${id}/export.${format}`),
  pointTypes: () => api.get<PointType[]>('/point-types'),
  categories: () => api.get<{ items: CategoryOption[] }>('/categories', { active: true }),
};

// ---- strings -----------------------------------------------------------------------------------------------------

const STRINGS = {
  'zh-CN': {
    title: '测评标准', subtitle: '测评项目 → 指标 → 测评内容 → 测评标准：测评方法、适用点位类型、分值与计分规则',
    version: '版本', newDraft: '基于此版本新建草稿', publish: '发布', publishConfirm: '发布后此版本不可再修改，现行版本将停用。确定发布？', discard: '放弃草稿',
    discardConfirm: '草稿及其中的修改将被删除。确定放弃？', export: '导出', import: '导入', importHint: '导入为新草稿：.json（导出格式）或 .xlsx（每行一条测评标准：标准编号、测评项目、指标、测评内容、测评标准、测评方法、适用点位类型、计分方式、分值、要求数量、每处扣分、扣分上限、当场整改系数）',
    allTypes: '全部点位类型', allMethods: '全部测评方法', wholeTree: '全部', code: '编号', text: '测评标准', methods: '测评方法', pointTypes: '适用点位类型', points: '分值', rule: '计分规则',
    actions: '操作', edit: '编辑', addItem: '新增测评标准', editItem: '编辑测评标准', readOnly: '已发布的版本不可修改；如需调整，请基于它新建草稿。',
    kind: '计分方式', required: '要求数量', step: '每处扣分', cap: '扣分上限', capHint: '留空则为分值', factor: '当场整改系数', factorHint: '如 0.5：当场整改的问题减半扣分；留空则全额扣分',
    unit: '计量单位', preview: '规则说明', saved: '已保存', published: '已发布', draftCreated: '已新建草稿', discarded: '已放弃草稿', imported: '已导入为新草稿', items: '条',
    selectContent: '请先在左侧选择一个测评内容（Ⅲ）', none: '—',
    category: '问题类别', categoryHint: '实地考察不达标且未当场整改时，按此小类生成问题；留空则用默认类别（其他部件问题）',
  },
  'en-US': {
    title: 'Assessment standard', subtitle: 'Project → indicator → content → standard items: methods, point types, points and scoring rules',
    version: 'Version', newDraft: 'New draft from this version', publish: 'Publish', publishConfirm: 'A published version can no longer change and the current one is retired. Publish?', discard: 'Discard draft',
    discardConfirm: 'The draft and its edits will be deleted. Discard?', export: 'Export', import: 'Import', importHint: 'Imports into a new draft: .json (the export format) or .xlsx (one row per item: code, project, indicator, content, standard, methods, point types, rule, points, required, step, cap, fixed-on-spot factor)',
    allTypes: 'All point types', allMethods: 'All methods', wholeTree: 'All', code: 'Code', text: 'Standard', methods: 'Methods', pointTypes: 'Point types', points: 'Points', rule: 'Scoring rule',
    actions: 'Actions', edit: 'Edit', addItem: 'Add item', editItem: 'Edit item', readOnly: 'A published version cannot change; create a draft from it to make changes.',
    kind: 'Rule', required: 'Required count', step: 'Points per failure', cap: 'Deduction cap', capHint: 'blank: the full points', factor: 'Fixed-on-spot factor', factorHint: 'e.g. 0.5: a problem fixed on the spot costs half; blank: full',
    unit: 'Unit', preview: 'Rule in words', saved: 'Saved', published: 'Published', draftCreated: 'Draft created', discarded: 'Draft discarded', imported: 'Imported as a new draft', items: 'items',
    selectContent: 'Select a content node (Ⅲ) on the left first', none: '—',
    category: 'Case category', categoryHint: 'A failed field item not fixed on the spot becomes a case of this minor class; blank: the default (other facility problem)',
  },
} as const;

const STATUS_COLOR: Record<VersionStatus, string> = { draft: 'gold', published: 'green', retired: 'default' };

// ---- page --------------------------------------------------------------------------------------------------------

export default function StandardsPage() {
  const { lang, errorText } = useI18n();
  const s = STRINGS[lang === 'en-US' ? 'en-US' : 'zh-CN'];
  const zh = lang !== 'en-US';
  const user = useUser();
  const canWrite = can(user.role, 'standard.write');
  const isMobile = useIsMobile();
  const { message } = AntApp.useApp();

  const versions = useAsync(() => standardsApi.versions(), []);
  const pointTypes = useAsync(() => standardsApi.pointTypes(), []);
  const categories = useAsync(() => standardsApi.categories(), []);
  const [versionId, setVersionId] = useState<number | null>(null);
  useEffect(() => {
    const list = versions.data?.items;
    if (list?.length && (versionId === null || !list.some((v) => v.id === versionId))) {
      setVersionId((list.find((v) => v.status === 'published') ?? list[0]!).id);
    }
  }, [versions.data, versionId]);
  const tree = useAsync(() => (versionId ? standardsApi.tree(versionId) : Promise.resolve(undefined)), [versionId]);

  const [nodeCode, setNodeCode] = useState<string | null>(null);
  const [pointType, setPointType] = useState<string | undefined>();
  const [method, setMethod] = useState<StandardMethod | undefined>();
  const [editing, setEditing] = useState<{ item?: StandardItemView; nodeId?: number } | null>(null);
  const [importing, setImporting] = useState(false);

  const typeName = useMemo(() => new Map((pointTypes.data ?? []).map((t) => [t.code, zh ? t.nameZh : t.nameEn])), [pointTypes.data, zh]);
  const current = tree.data;
  const isDraft = current?.version.status === 'draft';
  const selectedNode = current?.nodes.find((n) => n.code === nodeCode);

  const items = useMemo(
    () =>
      (current?.items ?? []).filter(
        (i) =>
          (!nodeCode || i.code.startsWith(`${nodeCode}.`) || i.code.startsWith(`${nodeCode}-`)) &&
          (!pointType || i.pointTypes.includes(pointType)) &&
          (!method || i.methods.includes(method)),
      ),
    [current, nodeCode, pointType, method],
  );

  const treeData = useMemo(() => {
    type TreeNode = { key: string; title: string; children: TreeNode[] };
    const byId = new Map<number, TreeNode>();
    const roots: TreeNode[] = [];
    for (const n of [...(current?.nodes ?? [])].sort((a, b) => a.level - b.level || a.sort - b.sort)) {
      const count = current!.items.filter((i) => i.code.startsWith(`${n.code}.`) || i.code.startsWith(`${n.code}-`)).length;
      const node: TreeNode = { key: n.code, title: `${NODE_LEVEL_LABELS[n.level].numeral} ${n.code} ${n.name}（${count}）`, children: [] };
      byId.set(n.id, node);
      (n.parentId ? byId.get(n.parentId)?.children : roots)?.push(node);
    }
    return roots;
  }, [current]);

  const refresh = () => {
    versions.reload();
    tree.reload();
  };
  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      message.success(done);
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const columns: TableColumnType<StandardItemView>[] = [
    { title: s.code, dataIndex: 'code', width: 90 },
    { title: s.text, dataIndex: 'text' },
    { title: s.methods, dataIndex: 'methods', width: 120, render: (ms: StandardMethod[]) => ms.map((m) => <Tag key={m}>{zh ? METHOD_LABELS[m].zh : METHOD_LABELS[m].en}</Tag>) },
    { title: s.pointTypes, dataIndex: 'pointTypes', width: 200, render: (ts: string[]) => (ts.length ? ts.map((t) => <Tag key={t} color="blue">{typeName.get(t) ?? t}</Tag>) : s.none) },
    { title: s.points, dataIndex: 'points', width: 70, align: 'right' },
    { title: s.rule, dataIndex: 'ruleText', width: 240 },
    ...(canWrite && isDraft
      ? [{ title: s.actions, key: 'actions', width: 80, render: (_: unknown, item: StandardItemView) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ item })}>{s.edit}</Button> }]
      : []),
  ];

  return (
    <div>
      <PageHeader title={s.title} subtitle={s.subtitle} />
      {versions.error ? <Alert type="error" showIcon title={errorText(versions.error)} style={{ marginBottom: 12 }} /> : null}
      <FilterBar>
        <Select
          style={{ minWidth: isMobile ? '100%' : 320 }}
          value={versionId ?? undefined}
          loading={versions.loading}
          onChange={(id: number) => { setVersionId(id); setNodeCode(null); }}
          options={(versions.data?.items ?? []).map((v) => ({
            value: v.id,
            label: (
              <Space>
                <span>v{v.versionNo} {v.title}</span>
                <Tag color={STATUS_COLOR[v.status]}>{zh ? VERSION_STATUS_LABELS[v.status].zh : VERSION_STATUS_LABELS[v.status].en}</Tag>
              </Space>
            ),
          }))}
        />
        <Select allowClear placeholder={s.allTypes} style={{ minWidth: 180 }} value={pointType} onChange={setPointType}
          options={(pointTypes.data ?? []).map((t) => ({ value: t.code, label: zh ? t.nameZh : t.nameEn }))} />
        <Select allowClear placeholder={s.allMethods} style={{ minWidth: 140 }} value={method} onChange={setMethod}
          options={STANDARD_METHODS.map((m) => ({ value: m, label: zh ? METHOD_LABELS[m].zh : METHOD_LABELS[m].en }))} />
        {current ? (
          <Space wrap>
            {canWrite ? (
              <Button icon={<CopyOutlined />} onClick={() => run(async () => { const d = await standardsApi.createDraft(current.version.id); setVersionId(d.version.id); versions.reload(); }, s.draftCreated)}>
                {s.newDraft}
              </Button>
            ) : null}
            {canWrite && isDraft ? (
              <>
                <Popconfirm title={s.publishConfirm} onConfirm={() => run(async () => { await standardsApi.publish(current.version); refresh(); }, s.published)}>
                  <Button type="primary" icon={<SendOutlined />}>{s.publish}</Button>
                </Popconfirm>
                <Popconfirm title={s.discardConfirm} onConfirm={() => run(async () => { await standardsApi.discard(current.version); setVersionId(null); versions.reload(); }, s.discarded)}>
                  <Button danger icon={<DeleteOutlined />}>{s.discard}</Button>
                </Popconfirm>
              </>
            ) : null}
            <Dropdown menu={{ items: [
              { key: 'xlsx', label: <a href={standardsApi.exportUrl(current.version.id, 'xlsx')}>Excel (.xlsx)</a> },
              { key: 'json', label: <a href={standardsApi.exportUrl(current.version.id, 'json')}>JSON</a> },
            ] }}>
              <Button icon={<DownloadOutlined />}>{s.export}</Button>
            </Dropdown>
            {canWrite ? <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>{s.import}</Button> : null}
          </Space>
        ) : null}
      </FilterBar>
      {current && !isDraft && canWrite ? <Alert type="info" showIcon title={s.readOnly} style={{ marginBottom: 12 }} /> : null}
      {tree.error ? <Alert type="error" showIcon title={errorText(tree.error)} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={16}>
        <Col xs={24} md={8} lg={7}>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Button type={nodeCode ? 'link' : 'text'} size="small" onClick={() => setNodeCode(null)}>{s.wholeTree}（{current?.items.length ?? 0} {s.items}）</Button>
            {treeData.length ? (
              <Tree blockNode defaultExpandAll key={current?.version.id} treeData={treeData} selectedKeys={nodeCode ? [nodeCode] : []}
                onSelect={(keys) => setNodeCode(keys.length ? String(keys[0]) : null)} />
            ) : null}
          </Card>
        </Col>
        <Col xs={24} md={16} lg={17}>
          {canWrite && isDraft ? (
            <Space style={{ marginBottom: 8 }}>
              <Button icon={<PlusOutlined />} disabled={selectedNode?.level !== 3} title={selectedNode?.level !== 3 ? s.selectContent : undefined}
                onClick={() => setEditing({ nodeId: selectedNode!.id })}>
                {s.addItem}
              </Button>
              {selectedNode?.level !== 3 ? <Typography.Text type="secondary">{s.selectContent}</Typography.Text> : null}
            </Space>
          ) : null}
          <Table<StandardItemView> rowKey="id" size="small" loading={tree.loading} columns={columns} dataSource={items} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 900 }} />
        </Col>
      </Row>
      {editing && current ? (
        <ItemDialog
          strings={s}
          zh={zh}
          item={editing.item}
          pointTypes={pointTypes.data ?? []}
          categories={(categories.data?.items ?? []).filter((c) => c.level === 'minor')}
          onClose={() => setEditing(null)}
          onSave={async (input) => {
            if (editing.item) await standardsApi.updateItem(editing.item, input);
            else await standardsApi.createItem(current.version.id, editing.nodeId!, input);
            message.success(s.saved);
            setEditing(null);
            tree.reload();
          }}
        />
      ) : null}
      <ImportDialog
        open={importing}
        title={s.import}
        accept=".xlsx,.json"
        hint={s.importHint}
        upload={async (file: File): Promise<ImportResult> => {
          const result = await standardsApi.import(file);
          setVersionId(result.id);
          versions.reload();
          return { imported: result.itemCount ?? 0 };
        }}
        onClose={() => setImporting(false)}
        onImported={() => message.success(s.imported)}
      />
    </div>
  );
}

// ---- item dialog: the rule form changes with the rule kind -------------------------------------------------------

interface RuleForm { kind: RuleKind; points: number; required?: number; step?: number; cap?: number | null; fixedOnSpotFactor?: number | null; unit?: string }
interface ItemForm { text: string; methods: StandardMethod[]; pointTypes: string[]; rule: RuleForm; categoryCode?: string | null }

function ItemDialog(props: {
  strings: (typeof STRINGS)[keyof typeof STRINGS];
  zh: boolean;
  item?: StandardItemView;
  pointTypes: PointType[];
  categories: CategoryOption[];
  onClose: () => void;
  onSave: (input: ItemInput) => Promise<void>;
}) {
  const { strings: s, zh, item } = props;
  const { errorText } = useI18n();
  const [form] = Form.useForm<ItemForm>();
  const [busy, setBusy] = useState(false);
  const rule = Form.useWatch('rule', form) as RuleForm | undefined;
  const methods = Form.useWatch('methods', form) as StandardMethod[] | undefined;
  const kind = rule?.kind ?? item?.rule.kind ?? 'pass_fail';
  const preview = rule ? parseRule(cleanRule(rule)) : null;

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await props.onSave({ text: values.text, methods: values.methods, pointTypes: values.methods.includes('field') ? values.pointTypes ?? [] : [], rule: cleanRule(values.rule) as unknown as ScoringRule, categoryCode: values.categoryCode ?? null });
    } catch (err) {
      if (!showFieldError(form, err, errorText(err))) Modal.error({ title: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={item ? `${s.editItem} ${item.code}` : s.addItem} onCancel={props.onClose} onOk={submit} confirmLoading={busy} width={640} destroyOnHidden>
      <Form<ItemForm> form={form} layout="vertical" initialValues={item ? { text: item.text, methods: item.methods, pointTypes: item.pointTypes, rule: item.rule as RuleForm, categoryCode: item.categoryCode } : { methods: ['field'], pointTypes: [], rule: { kind: 'pass_fail', points: 2 } }}>
        <Form.Item name="text" label={s.text} rules={[{ required: true, max: 500 }]}><Input.TextArea autoSize={{ minRows: 2 }} /></Form.Item>
        <Form.Item name="methods" label={s.methods} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group options={STANDARD_METHODS.map((m) => ({ value: m, label: zh ? METHOD_LABELS[m].zh : METHOD_LABELS[m].en }))} />
        </Form.Item>
        {methods?.includes('field') ? (
          <Form.Item name="pointTypes" label={s.pointTypes} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Select mode="multiple" options={props.pointTypes.map((t) => ({ value: t.code, label: zh ? t.nameZh : t.nameEn }))} />
          </Form.Item>
        ) : null}
        {methods?.includes('field') ? (
          <Form.Item name="categoryCode" label={s.category} extra={s.categoryHint}>
            <Select allowClear showSearch optionFilterProp="label" options={props.categories.map((c) => ({ value: c.code, label: `${c.code} ${zh ? c.nameZh : c.nameEn}` }))} />
          </Form.Item>
        ) : null}
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name={['rule', 'kind']} label={s.kind} rules={[{ required: true }]}>
              <Select options={RULE_KINDS.map((k) => ({ value: k, label: zh ? RULE_KIND_LABELS[k].zh : RULE_KIND_LABELS[k].en }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['rule', 'points']} label={s.points} rules={[{ required: true }]}><InputNumber min={0.01} max={100} step={0.5} style={{ width: '100%' }} /></Form.Item>
          </Col>
          {kind === 'per_missing' ? (
            <>
              <Col span={8}><Form.Item name={['rule', 'required']} label={s.required} rules={[{ required: true }]}><InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
              <Col span={8}><Form.Item name={['rule', 'step']} label={s.step} rules={[{ required: true }]}><InputNumber min={0.01} max={100} step={0.5} style={{ width: '100%' }} /></Form.Item></Col>
              <Col span={8}><Form.Item name={['rule', 'unit']} label={s.unit}><Input maxLength={10} placeholder="处" /></Form.Item></Col>
            </>
          ) : null}
          {kind === 'per_occurrence' ? (
            <>
              <Col span={12}><Form.Item name={['rule', 'step']} label={s.step} rules={[{ required: true }]}><InputNumber min={0.01} max={100} step={0.5} style={{ width: '100%' }} /></Form.Item></Col>
              <Col span={12}><Form.Item name={['rule', 'cap']} label={s.cap} extra={s.capHint}><InputNumber min={0.01} max={100} step={0.5} style={{ width: '100%' }} /></Form.Item></Col>
            </>
          ) : null}
          <Col span={24}>
            <Form.Item name={['rule', 'fixedOnSpotFactor']} label={s.factor} extra={s.factorHint}><InputNumber min={0} max={1} step={0.1} style={{ width: 160 }} /></Form.Item>
          </Col>
        </Row>
        <Form.Item label={s.preview}>
          {preview?.rule ? (
            <Typography.Text strong>{describeRule(preview.rule, zh ? 'zh-CN' : 'en-US')}</Typography.Text>
          ) : (
            <Typography.Text type="danger">{preview?.problems.map((p) => `${p.field} ${p.reason}`).join('; ')}</Typography.Text>
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Drops the empty and the other kinds' fields, so the server gets only what the kind uses. */
function cleanRule(r: RuleForm): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: r.kind, points: r.points };
  if (r.fixedOnSpotFactor !== null && r.fixedOnSpotFactor !== undefined) out.fixedOnSpotFactor = r.fixedOnSpotFactor;
  if (r.kind === 'per_missing') Object.assign(out, { required: r.required, step: r.step, ...(r.unit ? { unit: r.unit } : {}) });
  if (r.kind === 'per_occurrence') Object.assign(out, { step: r.step, ...(r.cap !== null && r.cap !== undefined ? { cap: r.cap } : {}) });
  return out;
}
