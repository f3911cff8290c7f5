// 问题类别: the 事件/部件 大类 and 小类 the campaign office keeps, with 立案条件, 结案条件, 处置时限 and the default
// responsible unit. A tree table on desktop (大类 → 小类), cards on a phone; the office edits in a dialog.
import { DownloadOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, Col, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag, Tooltip, Typography,
} from 'antd';
import type { TableColumnType } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import {
  CATEGORY_KIND_LABELS,
  DEFAULT_UNIT_ORG_KINDS,
  TIME_LIMIT_UNITS,
  describeDefaultUnitType,
  formatTimeLimit,
  parseDefaultUnitType,
  type CategoryKind,
  type TimeLimitUnit,
} from '../../../core/categories.js';
import { can } from '../../../core/roles.js';
import { ApiError } from '../../api/client.js';
import { useUser } from '../../auth/SessionProvider.js';
import { FormModal } from '../../components/FormModal.js';
import { ImportDialog } from '../../components/ImportDialog.js';
import { FilterBar, PageHeader } from '../../components/PageHeader.js';
import { ResponsiveTable, stop, type Column } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { Lang } from '../../i18n/core.js';
import { showFieldError } from '../../lib/forms.js';
import { useAsync, useIsMobile, useListParams } from '../../lib/hooks.js';
import { categoryApi, categoryTree, type Category, type CategoryInput, type CategoryTreeRow } from './categoryApi.js';
import { invalidateCategories } from '../../lib/categories.js';
import { ActiveToggle } from '../../components/ActiveToggle.js';

const STRINGS = {
  'zh-CN': {
    title: '问题类别',
    subtitle: '事件/部件 大类与小类：立案条件、处置时限、结案条件与默认责任单位',
    code: '编码',
    name: '名称',
    nameEn: '英文名称',
    kind: '类型',
    level: '层级',
    major: '大类',
    minor: '小类',
    limit: '处置时限',
    inherited: '沿用大类',
    urgent: '紧急',
    urgentHint: '紧急类别全天候计时（夜间、周末、节假日照常计算），时限单位须为“小时（全天候）”。',
    defaultUnit: '默认责任单位',
    defaultUnitHint: '责任清单无规则时由谁处置；再无则由网格所属社区兜底。',
    defaultUnitName: '单位名称关键字',
    defaultUnitNameHint: '在所属街道中按名称匹配，如“城管”匹配城管科。',
    unitNone: '无（网格属地兜底）',
    unitCommunity: '属地社区',
    unitGuard: '点位包保单位',
    citizen: '市民可上报',
    filing: '立案条件',
    closing: '结案条件',
    sort: '排序',
    search: '搜索编码或名称',
    allStatus: '全部状态',
    activeOnly: '仅启用',
    inactiveOnly: '仅停用',
    newMajor: '新增大类',
    addMinor: '添加小类',
    editTitle: '编辑类别：{name}',
    newTitle: '新增类别',
    deactivate: '停用',
    reactivate: '启用',
    deactivateConfirm: '停用“{name}”？已有案件不受影响，新问题不能再选此类别。',
    export: '导出 Excel',
    import: '导入',
    importHint: '列：类型、编码、名称、英文名称、立案条件、结案条件、处置时限、时限单位、紧急（全天候）、默认责任单位类型、市民可上报、排序、状态。已有编码将被更新。',
    codeHint: '大类 2 位，小类 4 位（大类编码 + 2 位）。编码保存后不可修改。',
    codeRule: '大类 2 位数字，小类 4 位数字',
    limitRequired: '小类须设定处置时限',
    yes: '是',
    no: '否',
    unitLabels: { work_hours: '工作时', work_days: '工作日', clock_hours: '小时（全天候）' } as Record<TimeLimitUnit, string>,
    orgKinds: { department: '街道部门', stationed_unit: '驻地单位', property_company: '物业公司' } as Record<string, string>,
  },
  'en-US': {
    title: 'Problem categories',
    subtitle: 'Event/component classes: filing condition, time limit, closing condition and default unit',
    code: 'Code',
    name: 'Name',
    nameEn: 'English name',
    kind: 'Kind',
    level: 'Level',
    major: 'Major',
    minor: 'Minor',
    limit: 'Time limit',
    inherited: 'from its major class',
    urgent: 'Urgent',
    urgentHint: 'Urgent categories count round the clock (nights, weekends and holidays included); use "hours round the clock".',
    defaultUnit: 'Default unit',
    defaultUnitHint: 'Who handles it when no responsibility rule applies; otherwise the grid owner.',
    defaultUnitName: 'Unit name contains',
    defaultUnitNameHint: 'Matched by name within the street, e.g. "城管" finds 城管科.',
    unitNone: 'None (grid owner)',
    unitCommunity: 'Community of the location',
    unitGuard: "Point's guard unit",
    citizen: 'Citizens may report',
    filing: 'Filing condition',
    closing: 'Closing condition',
    sort: 'Sort',
    search: 'Search code or name',
    allStatus: 'Any status',
    activeOnly: 'Active only',
    inactiveOnly: 'Inactive only',
    newMajor: 'New major class',
    addMinor: 'Add minor class',
    editTitle: 'Edit category: {name}',
    newTitle: 'New category',
    deactivate: 'Deactivate',
    reactivate: 'Activate',
    deactivateConfirm: 'Deactivate "{name}"? Existing cases keep it; new problems can no longer use it.',
    export: 'Export Excel',
    import: 'Import',
    importHint: 'Columns: kind, code, name, English name, filing condition, closing condition, time limit, unit, urgent, default unit type, citizen reportable, sort, status. Known codes are updated.',
    codeHint: 'Major: 2 digits; minor: 4 digits (major code + 2). A code cannot change once saved.',
    codeRule: '2 digits for a major class, 4 for a minor class',
    limitRequired: 'A minor class needs a time limit',
    yes: 'Yes',
    no: 'No',
    unitLabels: { work_hours: 'work hours', work_days: 'work days', clock_hours: 'hours round the clock' } as Record<TimeLimitUnit, string>,
    orgKinds: { department: 'Department', stationed_unit: 'Stationed unit', property_company: 'Property company' } as Record<string, string>,
  },
};
type Strings = (typeof STRINGS)['zh-CN'];

const fill = (template: string, params: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
const nameOf = (lang: Lang, c: Pick<Category, 'nameZh' | 'nameEn'>) => (lang === 'en-US' && c.nameEn ? c.nameEn : c.nameZh);

export default function CategoriesPage() {
  const { t, lang, label, errorText } = useI18n();
  const s = STRINGS[lang];
  const me = useUser();
  const { message, modal } = AntApp.useApp();
  const isMobile = useIsMobile();
  const canEdit = can(me.role, 'category.write');
  const list = useListParams(['kind', 'q', 'active']);
  const activeFilter = list.get('active') || 'true';
  const query = { kind: list.get('kind') || undefined, q: list.get('q') || undefined, active: activeFilter === 'all' ? undefined : activeFilter };
  const categories = useAsync(() => categoryApi.list(query), [JSON.stringify(query)]);
  const [q, setQ] = useState(list.get('q'));
  const [editing, setEditing] = useState<{ category: Category | null; parent?: Category; kind?: CategoryKind } | null>(null);
  const [importOpen, setImportOpen] = useState(false);

  const items = useMemo(() => categories.data?.items ?? [], [categories.data]);
  const tree = useMemo(() => categoryTree(items), [items]);
  const majorsById = useMemo(() => new Map(items.filter((c) => c.level === 'major').map((c) => [c.id, c])), [items]);

  const setActive = async (c: Category, active: boolean) => {
    try {
      if (active) await categoryApi.update(c.id, c.version, { active: true });
      else await categoryApi.deactivate(c.id, c.version);
      message.success(t('common.saved'));
      invalidateCategories();
      categories.reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        categories.reload();
      } else message.error(errorText(err));
    }
  };

  const limitCell = (c: Category) => (
    <Space size={4} wrap>
      <span data-testid="category-limit">{formatTimeLimit(c.effectiveTimeLimit, lang)}</span>
      {c.urgent ? <Tag color="red">{s.urgent}</Tag> : null}
      {!c.timeLimit && c.effectiveTimeLimit ? <Typography.Text type="secondary">({s.inherited})</Typography.Text> : null}
    </Space>
  );

  const longText = (text: string) =>
    text ? (
      <Tooltip title={text}>
        <Typography.Text style={{ maxWidth: 260 }} ellipsis>
          {text}
        </Typography.Text>
      </Tooltip>
    ) : (
      '—'
    );

  const columns: Column<CategoryTreeRow>[] = [
    { title: s.code, dataIndex: 'code', width: 120, mobile: 'hide', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: s.name,
      dataIndex: 'nameZh',
      mobile: 'title',
      render: (_: unknown, c) => (
        <Space size={4} wrap>
          <Typography.Text strong={c.level === 'major'}>{nameOf(lang, c)}</Typography.Text>
          {isMobile ? <Typography.Text type="secondary">{c.code}</Typography.Text> : null}
          {!c.active ? <Tag>{t('common.inactive')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: s.kind,
      dataIndex: 'kind',
      render: (k: CategoryKind, c) => (
        <Space size={4}>
          <Tag color={k === 'event' ? 'blue' : 'purple'}>{label(CATEGORY_KIND_LABELS[k])}</Tag>
          <Typography.Text type="secondary">{c.level === 'major' ? s.major : s.minor}</Typography.Text>
        </Space>
      ),
    },
    { title: s.limit, key: 'limit', render: (_: unknown, c) => limitCell(c) },
    { title: s.defaultUnit, dataIndex: 'defaultUnitType', render: (v: string | null, c) => (c.level === 'major' && !v ? '—' : describeDefaultUnitType(v, lang)) },
    { title: s.citizen, dataIndex: 'citizenReportable', mobile: 'hide', render: (v: boolean) => (v ? s.yes : s.no) },
    { title: s.filing, dataIndex: 'filingCondition', mobile: 'hide', render: (v: string) => longText(v) },
    { title: s.closing, dataIndex: 'closingCondition', mobile: 'hide', render: (v: string) => longText(v) },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, c: Category) => (
              <Space size={0} onClick={stop} wrap>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ category: c })} data-testid="category-edit">
                  {t('common.edit')}
                </Button>
                {c.level === 'major' && c.active ? (
                  <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => setEditing({ category: null, parent: c, kind: c.kind })} data-testid="category-add-minor">
                    {s.addMinor}
                  </Button>
                ) : null}
                <ActiveToggle active={c.active} onChange={(active) => setActive(c, active)} confirm={fill(s.deactivateConfirm, { name: nameOf(lang, c) })} deactivateLabel={s.deactivate} reactivateLabel={s.reactivate} testId="category" />
              </Space>
            ),
          } satisfies Column<CategoryTreeRow>,
        ]
      : []),
  ];

  return (
    <div className="wm-page">
      <PageHeader
        title={s.title}
        subtitle={s.subtitle}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={categoryApi.exportUrl(query)} data-testid="category-export">
              {s.export}
            </Button>
            {canEdit ? (
              <>
                <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="category-import">
                  {s.import}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ category: null })} data-testid="category-create">
                  {s.newMajor}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <FilterBar>
        <Input.Search
          placeholder={s.search}
          allowClear
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => list.setFilters({ q: v.trim() })}
          className="wm-filter-search"
          data-testid="filter-q"
        />
        <Select
          allowClear
          placeholder={s.kind}
          value={list.get('kind') || undefined}
          onChange={(v) => list.setFilters({ kind: v })}
          options={(['event', 'component'] as const).map((k) => ({ value: k, label: label(CATEGORY_KIND_LABELS[k]) }))}
          className="wm-filter"
          data-testid="filter-kind"
        />
        <Select
          value={activeFilter}
          onChange={(v) => list.setFilters({ active: v === 'true' ? undefined : v })}
          options={[
            { value: 'true', label: s.activeOnly },
            { value: 'false', label: s.inactiveOnly },
            { value: 'all', label: s.allStatus },
          ]}
          className="wm-filter"
          data-testid="filter-active"
        />
      </FilterBar>
      {categories.error ? <Alert type="error" showIcon title={errorText(categories.error)} style={{ marginBottom: 12 }} /> : null}
      {isMobile ? (
        <ResponsiveTable<CategoryTreeRow>
          testId="categories"
          columns={columns}
          data={categories.data ? tree.flatMap((m) => [m, ...(m.children ?? [])]) : undefined}
          loading={categories.loading}
          rowKey={(c) => String(c.id)}
          onRowClick={canEdit ? (c) => setEditing({ category: c }) : undefined}
        />
      ) : (
        <div data-testid="categories">
          <Table<CategoryTreeRow>
            size="middle"
            columns={columns as TableColumnType<CategoryTreeRow>[]}
            dataSource={tree}
            loading={categories.loading}
            rowKey={(c) => String(c.id)}
            pagination={false}
            scroll={{ x: 'max-content' }}
            expandable={{ defaultExpandAllRows: true }}
            key={tree.length ? `tree-${tree.length}` : 'empty'}
            locale={{ emptyText: t('common.empty') }}
            onRow={(c) => ({ 'data-testid': 'categories-row', 'data-row-key': String(c.id) }) as HTMLAttributes<HTMLElement>}
          />
        </div>
      )}
      {editing ? (
        <CategoryDialog
          category={editing.category}
          parent={editing.parent ?? (editing.category?.parentId ? majorsById.get(editing.category.parentId) : undefined)}
          kind={editing.kind}
          strings={s}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            invalidateCategories();
            categories.reload();
            message.success(t('common.saved'));
          }}
          onConflict={() => {
            setEditing(null);
            categories.reload();
          }}
        />
      ) : null}
      <ImportDialog
        open={importOpen}
        title={s.import}
        accept=".xlsx"
        hint={s.importHint}
        templateUrl={categoryApi.templateUrl()}
        upload={categoryApi.importXlsx}
        onClose={() => setImportOpen(false)}
        onImported={() => categories.reload()}
      />
    </div>
  );
}

type UnitChoice = 'none' | 'community' | 'guard' | (typeof DEFAULT_UNIT_ORG_KINDS)[number];

interface CategoryFormValues {
  kind: CategoryKind;
  code: string;
  nameZh: string;
  nameEn?: string;
  filingCondition?: string;
  closingCondition?: string;
  limitValue?: number | null;
  limitUnit?: TimeLimitUnit;
  urgent: boolean;
  unitChoice: UnitChoice;
  defaultUnitName?: string;
  citizenReportable: boolean;
  sort?: number;
}

function unitChoiceOf(type: string | null): { unitChoice: UnitChoice; defaultUnitName?: string } {
  const parsed = parseDefaultUnitType(type);
  if (!parsed) return { unitChoice: 'none' };
  if (parsed.type === 'org') return { unitChoice: parsed.orgKind, defaultUnitName: parsed.name };
  return { unitChoice: parsed.type };
}

function CategoryDialog(props: {
  category: Category | null;
  parent?: Category;
  kind?: CategoryKind;
  strings: Strings;
  onClose: () => void;
  onSaved: (c: Category) => void;
  onConflict: () => void;
}) {
  const { category, parent, strings: s } = props;
  const { t, lang, label, errorText } = useI18n();
  const { message, modal } = AntApp.useApp();
  const [form] = Form.useForm<CategoryFormValues>();
  const [busy, setBusy] = useState(false);
  const urgent = Form.useWatch('urgent', form);
  const unitChoice = Form.useWatch('unitChoice', form);
  const code = Form.useWatch('code', form) ?? category?.code ?? '';
  const isMinor = /^\d{4}$/.test(code);

  const initialValues: CategoryFormValues = category
    ? {
        kind: category.kind,
        code: category.code,
        nameZh: category.nameZh,
        nameEn: category.nameEn,
        filingCondition: category.filingCondition,
        closingCondition: category.closingCondition,
        limitValue: category.timeLimit?.value ?? null,
        limitUnit: category.timeLimit?.unit ?? 'work_hours',
        urgent: category.urgent,
        citizenReportable: category.citizenReportable,
        sort: category.sort,
        ...unitChoiceOf(category.defaultUnitType),
      }
    : {
        kind: props.kind ?? 'event',
        code: parent ? parent.code : '',
        nameZh: '',
        limitUnit: 'work_hours',
        urgent: false,
        citizenReportable: true,
        unitChoice: 'none',
        ...(parent ? unitChoiceOf(parent.defaultUnitType) : {}),
      };

  const submit = async (v: CategoryFormValues) => {
    setBusy(true);
    const defaultUnitType =
      v.unitChoice === 'none' ? null : v.unitChoice === 'community' || v.unitChoice === 'guard' ? v.unitChoice : `${v.unitChoice}:${(v.defaultUnitName ?? '').trim()}`;
    const input: CategoryInput = {
      nameZh: v.nameZh.trim(),
      nameEn: (v.nameEn ?? '').trim(),
      filingCondition: (v.filingCondition ?? '').trim(),
      closingCondition: (v.closingCondition ?? '').trim(),
      timeLimit: v.limitValue ? { unit: v.urgent ? 'clock_hours' : (v.limitUnit ?? 'work_hours'), value: v.limitValue } : null,
      urgent: v.urgent,
      defaultUnitType,
      citizenReportable: v.citizenReportable,
      sort: v.sort ?? undefined,
    };
    try {
      const saved = category
        ? await categoryApi.update(category.id, category.version, input)
        : await categoryApi.create({ ...input, kind: v.kind, code: v.code.trim() });
      props.onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        props.onConflict();
      } else if (
        !showFieldError(form, err, errorText(err), {
          'timeLimit.value': 'limitValue',
          'timeLimit.unit': 'limitUnit',
          timeLimit: 'limitValue',
          defaultUnitType: 'defaultUnitName',
        })
      ) {
        message.error(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const title = category ? fill(s.editTitle, { name: nameOf(lang, category) }) : parent ? `${s.addMinor} · ${parent.code} ${nameOf(lang, parent)}` : s.newTitle;

  return (
    <FormModal<CategoryFormValues>
      title={title}
      form={form}
      onCancel={props.onClose}
      onFinish={submit}
      okText={category ? t('common.save') : t('common.create')}
      okTestId="category-save"
      busy={busy}
      width={720}
      formTestId="category-form"
      initialValues={initialValues}
    >
      <Row gutter={12}>
        <Col xs={12} sm={6}>
          <Form.Item name="kind" label={s.kind} rules={[{ required: true }]}>
            <Select
              disabled={Boolean(category || parent)}
              options={(['event', 'component'] as const).map((k) => ({ value: k, label: label(CATEGORY_KIND_LABELS[k]) }))}
              data-testid="category-field-kind"
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6}>
          <Form.Item name="code" label={s.code} tooltip={!category ? s.codeHint : undefined} rules={[{ required: true, pattern: /^(\d{2}|\d{4})$/, message: s.codeRule }]}>
            <Input disabled={Boolean(category)} inputMode="numeric" maxLength={4} data-testid="category-field-code" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="nameZh" label={s.name} rules={[{ required: true, whitespace: true }, { max: 50 }]}>
            <Input data-testid="category-field-name" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="nameEn" label={s.nameEn} rules={[{ max: 100 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6}>
          <Form.Item name="urgent" label={s.urgent} valuePropName="checked" tooltip={s.urgentHint}>
            <Switch
              data-testid="category-field-urgent"
              onChange={(on) => {
                if (on) form.setFieldValue('limitUnit', 'clock_hours');
              }}
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6}>
          <Form.Item name="citizenReportable" label={s.citizen} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6}>
          <Form.Item name="limitValue" label={s.limit} rules={[{ required: isMinor || Boolean(urgent), message: s.limitRequired }]}>
            <InputNumber min={0.5} max={8760} step={0.5} style={{ width: '100%' }} data-testid="category-field-limit" />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6}>
          <Form.Item name="limitUnit" label=" ">
            <Select disabled={Boolean(urgent)} options={TIME_LIMIT_UNITS.map((u) => ({ value: u, label: s.unitLabels[u] }))} data-testid="category-field-limit-unit" />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6}>
          <Form.Item name="sort" label={s.sort}>
            <InputNumber min={0} max={100000} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={0} sm={6} />
        <Col xs={24} sm={12}>
          <Form.Item name="unitChoice" label={s.defaultUnit} tooltip={s.defaultUnitHint}>
            <Select
              data-testid="category-field-unit"
              options={[
                { value: 'none', label: s.unitNone },
                { value: 'community', label: s.unitCommunity },
                { value: 'guard', label: s.unitGuard },
                ...DEFAULT_UNIT_ORG_KINDS.map((k) => ({ value: k, label: s.orgKinds[k] })),
              ]}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          {unitChoice && unitChoice !== 'none' && unitChoice !== 'community' && unitChoice !== 'guard' ? (
            <Form.Item name="defaultUnitName" label={s.defaultUnitName} tooltip={s.defaultUnitNameHint} rules={[{ required: true, whitespace: true }, { max: 40 }]}>
              <Input data-testid="category-field-unit-name" />
            </Form.Item>
          ) : null}
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="filingCondition" label={s.filing} rules={[{ max: 500 }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="closingCondition" label={s.closing} rules={[{ max: 500 }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
