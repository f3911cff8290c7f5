import { DownloadOutlined, EditOutlined, GlobalOutlined, PlusOutlined, ReloadOutlined, StopOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, Card, Col, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, Popconfirm, Row,
  Select, Space, Spin, Tag, Tree, Typography,
} from 'antd';
import type { TreeDataNode } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { CODE_LENGTH, ORG_KIND_LABELS, type OrgKind } from '../../core/org.js';
import { ApiError } from '../api/client.js';
import { orgApi, type OrgInput } from '../api/endpoints.js';
import type { Org, OrgNode } from '../api/types.js';
import { useUser } from '../auth/SessionProvider.js';
import { FormModal } from '../components/FormModal.js';
import { ImportDialog } from '../components/ImportDialog.js';
import { ORG_KIND_ICONS, OrgKindTag } from '../components/OrgKindTag.js';
import { PageHeader } from '../components/PageHeader.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { mayEditOrgs } from '../layout/navigation.js';
import { showFieldError } from '../lib/forms.js';
import { useAsync, useIsMobile } from '../lib/hooks.js';
import { CHILD_KINDS, matchOrgTree, suggestChildCode, type OrgTreeNode } from '../lib/orgTree.js';
import { invalidateOrgs, useOrgNodes } from '../lib/referenceData.js';

type OrgFormValues = OrgInput & { kind?: OrgKind };

/** Kinds drawn as areas on the map page, so a node can be shown there. */
const ON_MAP_KINDS: readonly OrgKind[] = ['community', 'grid', 'micro_grid'];

function highlight(text: string, needle: string): ReactNode {
  const q = needle.trim();
  if (!q) return text;
  const at = text.toLowerCase().indexOf(q.toLowerCase());
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <mark className="wm-mark">{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length)}
    </>
  );
}

export default function OrgPage() {
  const { t } = useI18n();
  const user = useUser();
  const isMobile = useIsMobile();
  const canEdit = mayEditOrgs(user.role);
  const { nodes, tree, byId, loading, error } = useOrgNodes();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('id');
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<string[]>([]);
  const [importOpen, setImportOpen] = useState(false);
  const { errorText } = useI18n();

  const { matches, expand } = useMemo(() => matchOrgTree(nodes, search), [nodes, search]);

  // First view: the top two levels open, so a street shows its communities and units.
  useEffect(() => {
    if (expanded.length || !tree.length) return;
    const keys: string[] = [];
    for (const root of tree) {
      keys.push(String(root.id));
      for (const child of root.children) if (child.kind === 'street' || child.kind === 'district') keys.push(String(child.id));
    }
    setExpanded(keys);
  }, [tree, expanded.length]);

  useEffect(() => {
    if (expand.size) setExpanded((prev) => [...new Set([...prev, ...expand])]);
  }, [expand]);

  // Opening a deep link (?id=) expands the path to the node.
  useEffect(() => {
    if (!selectedId || !byId.size) return;
    const path: string[] = [];
    let parent = byId.get(selectedId)?.parentId;
    while (parent !== null && parent !== undefined) {
      path.push(String(parent));
      parent = byId.get(String(parent))?.parentId;
    }
    if (path.length) setExpanded((prev) => [...new Set([...prev, ...path])]);
  }, [selectedId, byId]);

  const treeData = useMemo(() => {
    const convert = (list: OrgTreeNode[]): TreeDataNode[] =>
      list.map((n) => ({
        key: String(n.id),
        icon: ORG_KIND_ICONS[n.kind],
        title: (
          <span className={`wm-tree-title${n.active ? '' : ' wm-inactive'}${matches.has(String(n.id)) ? ' wm-tree-match' : ''}`} data-testid={`org-node-${n.id}`}>
            {highlight(n.name, search)}
            {n.code ? <span className="wm-tree-code">{n.code}</span> : null}
            {!n.active ? <Tag style={{ marginInlineStart: 6 }}>{t('common.inactive')}</Tag> : null}
          </span>
        ),
        children: n.children.length ? convert(n.children) : undefined,
      }));
    return convert(tree);
  }, [tree, matches, search, t]);

  const select = (id: string | null) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('id', id);
        else next.delete('id');
        return next;
      },
      { replace: true },
    );
  };

  const selectedNode = selectedId ? byId.get(selectedId) : undefined;

  const details = selectedId ? (
    <OrgDetails
      key={selectedId}
      id={selectedId}
      node={selectedNode}
      siblings={nodes}
      canEdit={canEdit}
      onSelect={select}
    />
  ) : (
    <Empty description={t('org.pickNode')} style={{ padding: '48px 0' }} />
  );

  return (
    <div className="wm-page">
      <PageHeader
        title={t('nav.orgs')}
        subtitle={t('org.count', { count: nodes.length })}
        extra={
          canEdit ? (
            <>
              <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="org-import">
                {t('org.import')}
              </Button>
              <Button icon={<DownloadOutlined />} href={orgApi.templateUrl()}>
                {t('import.template')}
              </Button>
            </>
          ) : null
        }
      />
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={10} xl={9}>
          <Card size="small" className="wm-tree-card">
            <Input.Search
              placeholder={t('org.search')}
              allowClear
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              style={{ marginBottom: 8 }}
              data-testid="org-search"
            />
            {search.trim() ? (
              <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 6, fontSize: 12 }}>
                {t('org.matches', { count: matches.size })}
              </Typography.Text>
            ) : null}
            <Spin spinning={loading}>
              <Tree
                showIcon
                blockNode
                treeData={treeData}
                expandedKeys={expanded}
                onExpand={(keys) => setExpanded(keys.map(String))}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => select(keys.length ? String(keys[0]) : null)}
                height={isMobile ? undefined : 620}
                data-testid="org-tree"
              />
            </Spin>
          </Card>
        </Col>
        {!isMobile ? (
          <Col md={14} xl={15}>
            <Card size="small">{details}</Card>
          </Col>
        ) : null}
      </Row>
      {isMobile ? (
        <Drawer open={Boolean(selectedId)} onClose={() => select(null)} size="100%" title={selectedNode?.name ?? t('org.details')} placement="right">
          {details}
        </Drawer>
      ) : null}
      <ImportDialog
        open={importOpen}
        title={t('org.import')}
        accept=".xlsx"
        hint={t('org.importHint')}
        templateUrl={orgApi.templateUrl()}
        upload={orgApi.importXlsx}
        onClose={() => setImportOpen(false)}
        onImported={() => invalidateOrgs()}
      />
    </div>
  );
}

interface OrgDetailsProps {
  id: string;
  node: OrgNode | undefined;
  siblings: OrgNode[];
  canEdit: boolean;
  onSelect: (id: string | null) => void;
}

function OrgDetails({ id, node, siblings, canEdit, onSelect }: OrgDetailsProps) {
  const { t, label, errorText, formatDateTime } = useI18n();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const detail = useAsync(() => orgApi.get(id), [id]);
  const org = detail.data;
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [conflictNotice, setConflictNotice] = useState(false);
  const [form] = Form.useForm<OrgFormValues>();

  useEffect(() => {
    if (org && editing) form.setFieldsValue(editableValues(org));
  }, [org, editing, form]);

  if (detail.loading && !org) return <Spin style={{ display: 'block', padding: 48 }} />;
  if (detail.error) {
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(detail.error)}
        action={<Button size="small" onClick={detail.reload}>{t('common.retry')}</Button>}
      />
    );
  }
  if (!org) return null;

  const childKinds = CHILD_KINDS[org.kind];

  const save = async (values: OrgFormValues) => {
    setBusy(true);
    try {
      const updated = await orgApi.update(org.id, org.version, clean(values));
      detail.setData(updated);
      setEditing(false);
      setConflictNotice(false);
      invalidateOrgs();
      message.success(t('common.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        setConflictNotice(true);
        detail.reload();
      } else if (!showFieldError(form, err, errorText(err))) {
        message.error(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const deactivate = async () => {
    try {
      await orgApi.deactivate(org.id, org.version);
      message.success(t('org.deactivated'));
      invalidateOrgs();
      detail.reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        detail.reload();
      } else message.error(errorText(err));
    }
  };

  const kindLabel = label(ORG_KIND_LABELS[org.kind]);

  return (
    <div data-testid="org-details">
      <Flex justify="space-between" align="flex-start" gap={8} wrap style={{ marginBottom: 12 }}>
        <Space orientation="vertical" size={2}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {org.name} {!org.active ? <Tag>{t('common.inactive')}</Tag> : null}
          </Typography.Title>
          <OrgKindTag kind={org.kind} />
        </Space>
        {!editing ? (
          <Space wrap>
            {ON_MAP_KINDS.includes(org.kind) ? (
              <Button icon={<GlobalOutlined />} onClick={() => navigate(`/map?grid=${encodeURIComponent(String(org.id))}`)} data-testid="org-on-map">
                {t('grid.onMap')}
              </Button>
            ) : null}
            {canEdit ? (
            <>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="org-edit">
              {t('common.edit')}
            </Button>
            {childKinds.length && org.active ? (
              <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="org-add-child">
                {t('org.addChild')}
              </Button>
            ) : null}
            {org.active ? (
              <Popconfirm
                title={t('org.deactivateConfirm', { name: org.name })}
                description={t('org.deactivateHint')}
                okText={t('org.deactivate')}
                okButtonProps={{ danger: true }}
                onConfirm={deactivate}
              >
                <Button danger icon={<StopOutlined />} data-testid="org-deactivate">
                  {t('org.deactivate')}
                </Button>
              </Popconfirm>
            ) : null}
            </>
            ) : null}
          </Space>
        ) : null}
      </Flex>

      {conflictNotice ? <Alert type="warning" showIcon title={t('conflict.reloaded')} style={{ marginBottom: 12 }} closable onClose={() => setConflictNotice(false)} /> : null}

      {editing ? (
        <Form<OrgFormValues> form={form} layout="vertical" onFinish={save} initialValues={editableValues(org)} data-testid="org-form">
          <OrgFields kind={org.kind} parentCode={parentCodeOf(org, siblings)} />
          <Flex gap={8} justify="flex-end">
            <Button onClick={() => { setEditing(false); form.resetFields(); }}>{t('common.cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="org-save">
              {t('common.save')}
            </Button>
          </Flex>
        </Form>
      ) : (
        <Descriptions
          size="small"
          column={1}
          bordered
          styles={{ label: { width: 120 } }}
          items={[
            { key: '0', label: t('org.kind'), children: <>{kindLabel}</> },
            { key: '1', label: t('org.code'), children: <>{org.code ?? '—'}</> },
            { key: '2', label: t('org.shortName'), children: <>{org.shortName || '—'}</> },
            { key: '3', label: t('org.parent'), children: <>{org.parentId !== null ? (
              <Typography.Link onClick={() => onSelect(String(org.parentId))}>{siblings.find((n) => String(n.id) === String(org.parentId))?.name ?? String(org.parentId)}</Typography.Link>
            ) : '—'}</> },
            { key: '4', label: t('org.contactName'), children: <>{org.contactName || '—'}</> },
            { key: '5', label: t('org.contactPhone'), children: <>{org.contactPhone || '—'}</> },
            { key: '6', label: t('org.address'), children: <>{org.address || '—'}</> },
            { key: '7', label: t('org.children'), children: <>{node?.childCount ?? 0}</> },
            { key: '8', label: t('org.sort'), children: <>{org.sort}</> },
            { key: '9', label: t('common.status'), children: <>{org.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}</> },
            { key: '10', label: t('common.updatedAt'), children: <>{formatDateTime(org.updatedAt)}</> },
          ]}
        />
      )}

      {adding ? (
        <AddChildDialog
          parent={org}
          siblings={siblings.filter((n) => String(n.parentId) === String(org.id))}
          onClose={() => setAdding(false)}
          onCreated={(created) => {
            setAdding(false);
            invalidateOrgs();
            onSelect(String(created.id));
          }}
        />
      ) : null}
      {detail.loading ? <ReloadOutlined spin style={{ position: 'absolute', top: 12, right: 12 }} /> : null}
    </div>
  );
}

function parentCodeOf(org: Org, nodes: OrgNode[]): string | null {
  return nodes.find((n) => String(n.id) === String(org.parentId))?.code ?? null;
}

function editableValues(org: Org): OrgFormValues {
  return {
    name: org.name,
    shortName: org.shortName ?? '',
    code: org.code ?? '',
    contactName: org.contactName ?? '',
    contactPhone: org.contactPhone ?? '',
    address: org.address ?? '',
    sort: org.sort,
  };
}

/** Empty text fields are sent as null (cleared), the code only for kinds that carry one. */
function clean(values: OrgFormValues): OrgInput {
  const out: OrgInput = {};
  for (const [key, value] of Object.entries(values) as [keyof OrgFormValues, unknown][]) {
    if (key === 'kind') continue;
    if (typeof value === 'string') (out as Record<string, unknown>)[key] = value.trim() === '' ? null : value.trim();
    else if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  if (out.name === null) delete out.name;
  return out;
}

function OrgFields({ kind, parentCode }: { kind: OrgKind; parentCode: string | null }) {
  const { t } = useI18n();
  const codeLength = CODE_LENGTH[kind];
  return (
    <Row gutter={12}>
      <Col xs={24} sm={12}>
        <Form.Item name="name" label={t('org.name')} rules={[{ required: true, whitespace: true, message: t('org.nameRequired') }, { max: 100 }]}>
          <Input data-testid="org-field-name" />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name="shortName" label={t('org.shortName')} rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
      </Col>
      {codeLength ? (
        <Col xs={24} sm={12}>
          <Form.Item
            name="code"
            label={t('org.code')}
            extra={t('org.codeHint', { length: codeLength, prefix: parentCode ?? '' })}
            rules={[
              { required: true, message: t('org.codeRequired', { length: codeLength }) },
              { pattern: new RegExp(`^\\d{${codeLength}}$`), message: t('org.codeLength', { length: codeLength }) },
              {
                validator: async (_, v: string) => {
                  if (v && parentCode && !v.startsWith(parentCode)) throw new Error(t('org.codePrefix', { prefix: parentCode }));
                },
              },
            ]}
          >
            <Input inputMode="numeric" maxLength={codeLength} data-testid="org-field-code" />
          </Form.Item>
        </Col>
      ) : null}
      <Col xs={24} sm={12}>
        <Form.Item name="sort" label={t('org.sort')}>
          <InputNumber min={0} max={100000} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name="contactName" label={t('org.contactName')} rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name="contactPhone" label={t('org.contactPhone')} rules={[{ pattern: /^[\d\-+ ]{5,20}$/, message: t('common.phoneInvalid') }]}>
          <Input inputMode="tel" />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Form.Item name="address" label={t('org.address')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
      </Col>
    </Row>
  );
}

function AddChildDialog({ parent, siblings, onClose, onCreated }: { parent: Org; siblings: OrgNode[]; onClose: () => void; onCreated: (org: Org) => void }) {
  const { t, label, errorText } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<OrgFormValues>();
  const kinds = CHILD_KINDS[parent.kind];
  const kind = (Form.useWatch('kind', form) as OrgKind | undefined) ?? kinds[0];
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (CODE_LENGTH[kind]) {
      const sameKind = siblings.filter((s) => s.kind === kind).map((s) => s.code);
      form.setFieldValue('code', suggestChildCode(parent.code, sameKind));
    } else form.setFieldValue('code', undefined);
  }, [kind, parent.code, siblings, form]);

  const submit = async (values: OrgFormValues) => {
    setBusy(true);
    try {
      const created = await orgApi.create({ ...clean(values), parentId: parent.id, kind: values.kind ?? kind });
      message.success(t('org.created', { name: created.name }));
      onCreated(created);
    } catch (err) {
      if (!showFieldError(form, err, errorText(err))) message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormModal<OrgFormValues>
      title={t('org.addChildOf', { name: parent.name })}
      form={form}
      onCancel={onClose}
      onFinish={submit}
      okText={t('common.create')}
      busy={busy}
      formTestId="org-add-form"
      initialValues={{ kind: kinds[0], sort: siblings.length + 1 }}
    >
      <Form.Item name="kind" label={t('org.kind')} rules={[{ required: true }]}>
        <Select
          options={kinds.map((k) => ({ value: k, label: <Space>{ORG_KIND_ICONS[k]}{label(ORG_KIND_LABELS[k])}</Space> }))}
          data-testid="org-field-kind"
        />
      </Form.Item>
      <OrgFields kind={kind} parentCode={parent.code} />
    </FormModal>
  );
}
