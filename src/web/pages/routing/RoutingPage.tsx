// 责任清单: which unit handles a category at a point, point type, grid, community or across the street, and the
// "谁来处置？" tester that answers for a category at a point or a location with the chain of levels it looked at.
import { AimOutlined, EditOutlined, PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, InputNumber, Row, Segmented, Select,
  Space, Tag, Timeline, TreeSelect, Typography,
} from 'antd';
import { useMemo, useRef, useState } from 'react';
import { CATEGORY_KIND_LABELS, type CategoryKind } from '../../../core/categories.js';
import type { OrgKind } from '../../../core/org.js';
import { can } from '../../../core/roles.js';
import {
  RESPONSIBLE_UNIT_KINDS,
  ROUTING_LEVEL_LABELS,
  ROUTING_LEVEL_ORDER,
  ROUTING_REASON_LABELS,
  ROUTING_SCOPE_LABELS,
  ROUTING_SCOPE_TYPES,
  type RoutingOutcome,
  type RoutingScopeType,
} from '../../../core/routing.js';
import { ApiError, api } from '../../api/client.js';
import type { Page, Point } from '../../api/types.js';
import { useUser } from '../../auth/SessionProvider.js';
import { FormModal } from '../../components/FormModal.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { FilterBar, PageHeader } from '../../components/PageHeader.js';
import { stop, type Column } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { Lang } from '../../i18n/core.js';
import { showFieldError } from '../../lib/forms.js';
import { useAsync, useListParams } from '../../lib/hooks.js';
import { usePointTypes } from '../../lib/referenceData.js';
import { categoryApi, categoryTreeOptions, routingApi, type Category, type Resolution, type RoutingRule, type RuleInput } from '../categories/categoryApi.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ActiveToggle } from '../../components/ActiveToggle.js';

const STRINGS = {
  'zh-CN': {
    title: '责任清单',
    subtitle: '问题类别 × 点位/点位类型/网格/社区/全街道 → 责任单位；部件先属主后属地，事件先属地后属主，无规则时网格属地兜底',
    category: '问题类别',
    anyCategory: '全部类别',
    scope: '适用范围',
    target: '范围对象',
    point: '点位',
    pointType: '点位类型',
    grid: '网格/微网格',
    community: '社区',
    street: '街道',
    streetHint: '留空则为您所在的街道',
    unit: '责任单位',
    unitInactive: '单位已停用',
    notes: '备注',
    search: '搜索单位、地点或备注',
    allStatus: '全部状态',
    activeOnly: '仅启用',
    inactiveOnly: '仅停用',
    newRule: '新增规则',
    editRule: '编辑规则 #{id}',
    deactivate: '停用',
    reactivate: '启用',
    deactivateConfirm: '停用这条规则？之后此处的问题将按下一优先级派给其他单位。',
    pointSearch: '输入点位名称搜索',
    tester: '谁来处置？',
    testerHint: '选择问题类别和点位（或输入坐标），查看按责任清单应由哪个单位处置，以及依据的规则。',
    byPoint: '按点位',
    byLocation: '按坐标',
    lat: '纬度',
    lng: '经度',
    ask: '查询',
    answer: '由 {unit} 处置',
    nobody: '无法确定责任单位：该位置不在任何网格内。',
    decidedBy: '依据',
    rule: '规则 #{id}',
    match: { exact: '本类别规则', parent: '大类规则', any: '全部类别规则' } as Record<string, string>,
    chain: '判定过程',
    order: '优先顺序',
    place: '位置',
    guard: '包保单位',
    outcomes: { matched: '命中', no_match: '无规则', not_applicable: '不适用', skipped: '跳过' } as Record<RoutingOutcome, string>,
  },
  'en-US': {
    title: 'Responsibility list',
    subtitle: 'Category × point / point type / grid / community / street → responsible unit; components: owner first, events: territory first; the grid owner is the fallback',
    category: 'Category',
    anyCategory: 'Any category',
    scope: 'Applies to',
    target: 'Place',
    point: 'Point',
    pointType: 'Point type',
    grid: 'Grid / micro-grid',
    community: 'Community',
    street: 'Street',
    streetHint: 'Leave empty for your own street',
    unit: 'Responsible unit',
    unitInactive: 'unit inactive',
    notes: 'Notes',
    search: 'Search unit, place or notes',
    allStatus: 'Any status',
    activeOnly: 'Active only',
    inactiveOnly: 'Inactive only',
    newRule: 'New rule',
    editRule: 'Edit rule #{id}',
    deactivate: 'Deactivate',
    reactivate: 'Activate',
    deactivateConfirm: 'Deactivate this rule? Problems here will then go to the unit of the next level.',
    pointSearch: 'Type to search points',
    tester: 'Who handles it?',
    testerHint: 'Pick a category and a point (or a location) to see which unit the responsibility list names, and why.',
    byPoint: 'Point',
    byLocation: 'Coordinates',
    lat: 'Latitude',
    lng: 'Longitude',
    ask: 'Ask',
    answer: '{unit} handles it',
    nobody: 'No unit: the location is outside every grid.',
    decidedBy: 'Decided by',
    rule: 'rule #{id}',
    match: { exact: 'rule for this category', parent: 'rule for its major class', any: 'rule for any category' } as Record<string, string>,
    chain: 'How it was decided',
    order: 'Precedence',
    place: 'Place',
    guard: 'Guard unit',
    outcomes: { matched: 'matched', no_match: 'no rule', not_applicable: 'not applicable', skipped: 'skipped' } as Record<RoutingOutcome, string>,
  },
};
type Strings = (typeof STRINGS)['zh-CN'];

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
const categoryName = (lang: Lang, c: Pick<Category, 'nameZh' | 'nameEn'>) => (lang === 'en-US' && c.nameEn ? c.nameEn : c.nameZh);
const SCOPE_COLORS: Record<RoutingScopeType, string> = { point: 'magenta', point_type: 'purple', grid: 'blue', community: 'cyan', street: 'geekblue' };
const TARGET_KINDS: Record<'grid' | 'community' | 'street', readonly OrgKind[]> = { grid: ['grid', 'micro_grid'], community: ['community'], street: ['street'] };
const OUTCOME_COLORS: Record<RoutingOutcome, string> = { matched: 'green', no_match: 'gray', not_applicable: 'gray', skipped: 'orange' };

/** Active categories as a 事件/部件 → 大类 → 小类 picker. */
function useCategories() {
  const { lang, label } = useI18n();
  const state = useAsync(() => categoryApi.list({ active: true }), []);
  const items = useMemo(() => state.data?.items ?? [], [state.data]);
  const options = useMemo(
    () => categoryTreeOptions(items, (c) => categoryName(lang, c), (k: CategoryKind) => label(CATEGORY_KIND_LABELS[k])),
    [items, lang, label],
  );
  const byId = useMemo(() => new Map(items.map((c) => [String(c.id), c])), [items]);
  return { items, options, byId, loading: state.loading };
}

/** A point picker that searches the server as one types (a street has thousands of points). */
function PointSelect(props: { value?: number | null; onChange?: (v: number | undefined) => void; initial?: { id: number; name: string } | null; placeholder: string; testId?: string }) {
  const [options, setOptions] = useState<{ value: number; label: string }[]>(props.initial ? [{ value: props.initial.id, label: props.initial.name }] : []);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const search = async (text: string) => {
    const id = ++latest.current;
    setLoading(true);
    try {
      const page = await api.get<Page<Point>>('/points', { q: text.trim() || undefined, pageSize: 20 });
      if (id === latest.current) setOptions(page.items.map((p) => ({ value: Number(p.id), label: [p.name, p.typeName, p.communityName].filter(Boolean).join(' · ') })));
    } catch {
      if (id === latest.current) setOptions([]);
    } finally {
      if (id === latest.current) setLoading(false);
    }
  };
  return (
    <Select<number>
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      options={options}
      loading={loading}
      allowClear
      placeholder={props.placeholder}
      showSearch={{ onSearch: search, filterOption: false }}
      onOpenChange={(open) => open && options.length <= 1 && search('')}
      notFoundContent={loading ? undefined : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
      style={{ width: '100%' }}
      data-testid={props.testId}
    />
  );
}

export default function RoutingPage() {
  const { t, lang, label, errorText } = useI18n();
  const s = STRINGS[lang];
  const me = useUser();
  const { message, modal } = AntApp.useApp();
  const canEdit = can(me.role, 'routing.write');
  const list = useListParams(['categoryId', 'scopeType', 'unitOrgId', 'targetOrgId', 'active', 'q']);
  const categories = useCategories();
  const activeFilter = list.get('active') || 'true';
  const { active: _a, categoryId: rawCategory, ...rest } = list.query;
  const query = {
    ...rest,
    ...(rawCategory === 'any' ? { anyCategory: true } : rawCategory ? { categoryId: rawCategory } : {}),
    ...(activeFilter === 'all' ? {} : { active: activeFilter }),
  };
  const rules = useAsync(() => routingApi.rules(query), [JSON.stringify(query)]);
  const [q, setQ] = useState(list.get('q'));
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);

  const setActive = async (r: RoutingRule, active: boolean) => {
    try {
      if (active) await routingApi.update(r.id, r.version, { active: true });
      else await routingApi.deactivate(r.id, r.version);
      message.success(t('common.saved'));
      rules.reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        rules.reload();
      } else message.error(errorText(err));
    }
  };

  const placeText = (r: RoutingRule) => {
    if (r.scopeType === 'point') return r.pointName ?? `#${r.pointId}`;
    if (r.scopeType === 'point_type') return `${r.pointTypeName ?? r.pointTypeCode}${r.targetOrgName ? ` @ ${r.targetOrgName}` : ''}`;
    return r.targetOrgName ?? '—';
  };

  const columns: Column<RoutingRule>[] = [
    {
      title: s.category,
      key: 'category',
      mobile: 'title',
      render: (_: unknown, r) =>
        r.categoryId === null ? (
          <Tag>{s.anyCategory}</Tag>
        ) : (
          <Space size={4} wrap>
            <Typography.Text code>{r.categoryCode}</Typography.Text>
            <span>{r.categoryName}</span>
            {r.categoryKind ? <Tag color={r.categoryKind === 'event' ? 'blue' : 'purple'}>{label(CATEGORY_KIND_LABELS[r.categoryKind])}</Tag> : null}
          </Space>
        ),
    },
    {
      title: s.scope,
      key: 'scope',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Tag color={SCOPE_COLORS[r.scopeType]}>{label(ROUTING_SCOPE_LABELS[r.scopeType])}</Tag>
          <span>{placeText(r)}</span>
        </Space>
      ),
    },
    {
      title: s.unit,
      key: 'unit',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Typography.Text strong>{r.unitOrgName}</Typography.Text>
          {!r.unitActive ? <Tag color="orange">{s.unitInactive}</Tag> : null}
        </Space>
      ),
    },
    { title: s.notes, dataIndex: 'notes', mobile: 'hide', render: (v: string | null) => v || '—' },
    {
      title: t('common.status'),
      dataIndex: 'active',
      render: (v: boolean) => (v ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
    },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, r: RoutingRule) => (
              <Space size={0} onClick={stop}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid="rule-edit">
                  {t('common.edit')}
                </Button>
                <ActiveToggle active={r.active} onChange={(active) => setActive(r, active)} confirm={s.deactivateConfirm} deactivateLabel={s.deactivate} reactivateLabel={s.reactivate} testId="rule" />
              </Space>
            ),
          } satisfies Column<RoutingRule>,
        ]
      : []),
  ];

  return (
    <div className="wm-page">
      <PageHeader
        title={s.title}
        subtitle={s.subtitle}
        extra={
          canEdit ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-create">
              {s.newRule}
            </Button>
          ) : null
        }
      />
      <ResolverPanel strings={s} categories={categories} />
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
        <TreeSelect
          allowClear
          placeholder={s.category}
          value={list.get('categoryId') || undefined}
          onChange={(v) => list.setFilters({ categoryId: v })}
          treeData={[{ value: 'any', title: s.anyCategory }, ...categories.options]}
          showSearch={{ treeNodeFilterProp: 'title' }}
          popupMatchSelectWidth={false}
          style={{ minWidth: 200 }}
          data-testid="filter-category"
        />
        <Select
          allowClear
          placeholder={s.scope}
          value={list.get('scopeType') || undefined}
          onChange={(v) => list.setFilters({ scopeType: v })}
          options={ROUTING_SCOPE_TYPES.map((st) => ({ value: st, label: label(ROUTING_SCOPE_LABELS[st]) }))}
          className="wm-filter"
          data-testid="filter-scope"
        />
        <OrgTreeSelect
          value={list.get('unitOrgId') || undefined}
          onChange={(v) => list.setFilters({ unitOrgId: v })}
          placeholder={s.unit}
          selectableKinds={RESPONSIBLE_UNIT_KINDS}
          hiddenKinds={['grid', 'micro_grid']}
          style={{ minWidth: 180 }}
          testId="filter-unit"
        />
        <OrgTreeSelect
          value={list.get('targetOrgId') || undefined}
          onChange={(v) => list.setFilters({ targetOrgId: v })}
          placeholder={s.target}
          selectableKinds={['street', 'community', 'grid', 'micro_grid']}
          hiddenKinds={['department', 'stationed_unit', 'property_company']}
          style={{ minWidth: 180 }}
          testId="filter-target"
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
      <PagedTable<RoutingRule>
        result={rules}
        list={list}
        testId="rules"
        columns={columns}
        rowKey={(r) => String(r.id)}
        onRowClick={canEdit ? (r) => setEditing(r) : undefined}
      />
      {editing ? (
        <RuleDialog
          rule={editing === 'new' ? null : editing}
          strings={s}
          categoryOptions={categories.options}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            rules.reload();
            message.success(t('common.saved'));
          }}
          onConflict={() => {
            setEditing(null);
            rules.reload();
          }}
        />
      ) : null}
    </div>
  );
}

// ---- 谁来处置？ -----------------------------------------------------------------------------------------------------

interface AskValues {
  categoryId?: string;
  mode: 'point' | 'location';
  pointId?: number;
  lat?: number;
  lng?: number;
}

function ResolverPanel({ strings: s, categories }: { strings: Strings; categories: ReturnType<typeof useCategories> }) {
  const { lang, label, errorText } = useI18n();
  const [form] = Form.useForm<AskValues>();
  const mode = Form.useWatch('mode', form) ?? 'point';
  const [answer, setAnswer] = useState<Resolution | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const ask = async (v: AskValues) => {
    const category = v.categoryId ? categories.byId.get(v.categoryId) : undefined;
    if (!category) return;
    setBusy(true);
    setError(null);
    try {
      const res = await routingApi.resolve(
        v.mode === 'point' ? { categoryCode: category.code, pointId: v.pointId } : { categoryCode: category.code, lat: v.lat, lng: v.lng },
      );
      setAnswer(res);
    } catch (err) {
      setAnswer(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const useMyLocation = () => {
    navigator.geolocation?.getCurrentPosition((pos) => {
      form.setFieldsValue({ lat: Number(pos.coords.latitude.toFixed(6)), lng: Number(pos.coords.longitude.toFixed(6)) });
    });
  };

  const loc = answer?.location;
  const place = loc ? [loc.point?.name, loc.microGrid?.name ?? loc.grid?.name, loc.community?.name, loc.street?.name].filter(Boolean).join(' · ') : '';

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <Space>
          <QuestionCircleOutlined />
          {s.tester}
        </Space>
      }
      data-testid="resolver"
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {s.testerHint}
      </Typography.Paragraph>
      <Form<AskValues> form={form} layout="vertical" initialValues={{ mode: 'point' }} onFinish={ask}>
        <Row gutter={12} align="bottom">
          <Col xs={24} md={7}>
            <Form.Item name="categoryId" label={s.category} rules={[{ required: true }]}>
              <TreeSelect
                treeData={categories.options}
                loading={categories.loading}
                showSearch={{ treeNodeFilterProp: 'title' }}
                popupMatchSelectWidth={false}
                placeholder={s.category}
                data-testid="resolver-category"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={4}>
            <Form.Item name="mode">
              <Segmented
                block
                options={[
                  { value: 'point', label: s.byPoint },
                  { value: 'location', label: s.byLocation },
                ]}
                data-testid="resolver-mode"
              />
            </Form.Item>
          </Col>
          {mode === 'point' ? (
            <Col xs={24} md={9}>
              <Form.Item name="pointId" label={s.point} rules={[{ required: true }]}>
                <PointSelect placeholder={s.pointSearch} testId="resolver-point" />
              </Form.Item>
            </Col>
          ) : (
            <>
              <Col xs={12} md={4}>
                <Form.Item name="lat" label={s.lat} rules={[{ required: true }]}>
                  <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} data-testid="resolver-lat" />
                </Form.Item>
              </Col>
              <Col xs={12} md={5}>
                <Form.Item label={s.lng} required>
                  <Space.Compact style={{ width: '100%' }}>
                    <Form.Item name="lng" noStyle rules={[{ required: true }]}>
                      <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} data-testid="resolver-lng" />
                    </Form.Item>
                    <Button icon={<AimOutlined />} onClick={useMyLocation} aria-label="GPS" />
                  </Space.Compact>
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24} md={4}>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} block data-testid="resolver-ask">
                {s.ask}
              </Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {error ? <Alert type="error" showIcon title={errorText(error)} data-testid="resolver-error" /> : null}
      {answer ? (
        <Row gutter={16} data-testid="resolver-answer">
          <Col xs={24} md={10}>
            {answer.unit ? (
              <Alert
                type="success"
                showIcon
                title={<span data-testid="resolver-unit">{fill(s.answer, { unit: answer.unit.name })}</span>}
                description={
                  <Space orientation="vertical" size={2}>
                    <span>
                      {s.decidedBy}: {answer.level ? label(ROUTING_LEVEL_LABELS[answer.level]) : '—'}
                      {answer.ruleId ? ` · ${fill(s.rule, { id: answer.ruleId })}` : ''}
                      {answer.categoryMatch ? ` (${s.match[answer.categoryMatch]})` : ''}
                    </span>
                  </Space>
                }
              />
            ) : (
              <Alert type="warning" showIcon title={s.nobody} />
            )}
            <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
              <Descriptions.Item label={s.category}>
                {answer.category.code} {categoryName(lang, answer.category)} · {label(CATEGORY_KIND_LABELS[answer.category.kind])}
              </Descriptions.Item>
              <Descriptions.Item label={s.place}>{place || '—'}</Descriptions.Item>
              {loc?.guard ? <Descriptions.Item label={s.guard}>{loc.guard.name}</Descriptions.Item> : null}
              <Descriptions.Item label={s.order}>
                <Typography.Text type="secondary">{ROUTING_LEVEL_ORDER[answer.category.kind].map((l) => label(ROUTING_LEVEL_LABELS[l])).join(' → ')}</Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          </Col>
          <Col xs={24} md={14}>
            <Typography.Text strong>{s.chain}</Typography.Text>
            <Timeline
              style={{ marginTop: 12 }}
              data-testid="resolver-chain"
              items={answer.steps.map((step, i) => ({
                key: `${step.level}-${i}`,
                color: OUTCOME_COLORS[step.outcome],
                content: (
                  <Flex gap={6} wrap align="baseline">
                    <Typography.Text strong={step.outcome === 'matched'}>{label(ROUTING_LEVEL_LABELS[step.level])}</Typography.Text>
                    <Tag color={OUTCOME_COLORS[step.outcome]}>{s.outcomes[step.outcome]}</Tag>
                    <Typography.Text type="secondary">{label(ROUTING_REASON_LABELS[step.reason])}</Typography.Text>
                    {step.unitName ? <span>→ {step.unitName}</span> : null}
                    {step.ruleId ? <Typography.Text type="secondary">{fill(s.rule, { id: step.ruleId })}</Typography.Text> : null}
                  </Flex>
                ),
              }))}
            />
          </Col>
        </Row>
      ) : null}
    </Card>
  );
}

// ---- rule dialog ---------------------------------------------------------------------------------------------

interface RuleFormValues {
  categoryId: string;
  scopeType: RoutingScopeType;
  pointId?: number;
  pointTypeCode?: string;
  targetOrgId?: string;
  unitOrgId?: string;
  notes?: string;
}

function RuleDialog(props: {
  rule: RoutingRule | null;
  strings: Strings;
  categoryOptions: ReturnType<typeof categoryTreeOptions>;
  onClose: () => void;
  onSaved: () => void;
  onConflict: () => void;
}) {
  const { rule, strings: s } = props;
  const { t, label, errorText } = useI18n();
  const { message, modal } = AntApp.useApp();
  const { types } = usePointTypes();
  const [form] = Form.useForm<RuleFormValues>();
  const [busy, setBusy] = useState(false);
  const scopeType = Form.useWatch('scopeType', form) ?? rule?.scopeType ?? 'grid';

  const initialValues: RuleFormValues = rule
    ? {
        categoryId: rule.categoryId === null ? 'any' : String(rule.categoryId),
        scopeType: rule.scopeType,
        pointId: rule.pointId ?? undefined,
        pointTypeCode: rule.pointTypeCode ?? undefined,
        targetOrgId: rule.targetOrgId === null ? undefined : String(rule.targetOrgId),
        unitOrgId: String(rule.unitOrgId),
        notes: rule.notes ?? '',
      }
    : { categoryId: 'any', scopeType: 'grid' };

  const submit = async (v: RuleFormValues) => {
    setBusy(true);
    const input: RuleInput = {
      categoryId: v.categoryId === 'any' ? null : Number(v.categoryId),
      scopeType: v.scopeType,
      pointId: v.scopeType === 'point' ? (v.pointId ?? null) : null,
      pointTypeCode: v.scopeType === 'point_type' ? (v.pointTypeCode ?? null) : null,
      targetOrgId: v.scopeType === 'point' ? null : v.targetOrgId ? Number(v.targetOrgId) : null,
      unitOrgId: v.unitOrgId ? Number(v.unitOrgId) : undefined,
      notes: v.notes?.trim() || null,
    };
    try {
      if (rule) await routingApi.update(rule.id, rule.version, input);
      else await routingApi.create(input);
      props.onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        props.onConflict();
      } else if (!showFieldError(form, err, errorText(err))) {
        message.error(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const targetKinds = scopeType === 'grid' || scopeType === 'community' || scopeType === 'street' ? TARGET_KINDS[scopeType] : TARGET_KINDS.street;

  return (
    <FormModal<RuleFormValues>
      title={rule ? fill(s.editRule, { id: rule.id }) : s.newRule}
      form={form}
      onCancel={props.onClose}
      onFinish={submit}
      okText={rule ? t('common.save') : t('common.create')}
      okTestId="rule-save"
      busy={busy}
      formTestId="rule-form"
      initialValues={initialValues}
    >
      <Row gutter={12}>
        <Col xs={24}>
          <Form.Item name="categoryId" label={s.category} rules={[{ required: true }]}>
            <TreeSelect
              treeData={[{ value: 'any', title: s.anyCategory }, ...props.categoryOptions]}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandAll={false}
              data-testid="rule-field-category"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={10}>
          <Form.Item name="scopeType" label={s.scope} rules={[{ required: true }]}>
            <Select
              options={ROUTING_SCOPE_TYPES.map((st) => ({ value: st, label: label(ROUTING_SCOPE_LABELS[st]) }))}
              onChange={() => form.setFieldsValue({ targetOrgId: undefined, pointId: undefined })}
              data-testid="rule-field-scope"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={14}>
          {scopeType === 'point' ? (
            <Form.Item name="pointId" label={s.point} rules={[{ required: true }]}>
              <PointSelect
                placeholder={s.pointSearch}
                initial={rule?.pointId ? { id: rule.pointId, name: rule.pointName ?? `#${rule.pointId}` } : null}
                testId="rule-field-point"
              />
            </Form.Item>
          ) : scopeType === 'point_type' ? (
            <Form.Item name="pointTypeCode" label={s.pointType} rules={[{ required: true }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={types.map((pt) => ({ value: pt.code, label: label(pt) }))}
                data-testid="rule-field-point-type"
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="targetOrgId"
              label={scopeType === 'grid' ? s.grid : scopeType === 'community' ? s.community : s.street}
              rules={[{ required: scopeType !== 'street' }]}
              extra={scopeType === 'street' ? s.streetHint : undefined}
            >
              <OrgTreeSelect selectableKinds={targetKinds} hiddenKinds={['department', 'stationed_unit', 'property_company']} testId="rule-field-target" />
            </Form.Item>
          )}
        </Col>
        {scopeType === 'point_type' ? (
          <Col xs={24}>
            <Form.Item name="targetOrgId" label={s.street} extra={s.streetHint}>
              <OrgTreeSelect selectableKinds={['street']} hiddenKinds={['community', 'grid', 'micro_grid', 'department', 'stationed_unit', 'property_company']} testId="rule-field-street" />
            </Form.Item>
          </Col>
        ) : null}
        <Col xs={24}>
          <Form.Item name="unitOrgId" label={s.unit} rules={[{ required: true }]}>
            <OrgTreeSelect selectableKinds={RESPONSIBLE_UNIT_KINDS} hiddenKinds={['grid', 'micro_grid']} allowClear={false} testId="rule-field-unit" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="notes" label={s.notes} rules={[{ max: 500 }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} data-testid="rule-field-notes" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
