// Dialogs of the planning pages: create/edit a plan, sample points at random, pick points by hand.
import { ReloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ROLE_LABELS } from '../../../core/roles.js';
import { placeApi, userApi } from '../../api/endpoints.js';
import type { Point, User } from '../../api/types.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { FormModal } from '../../components/FormModal.js';
import { showFieldError } from '../../lib/forms.js';
import { useIsMobile } from '../../lib/hooks.js';
import { usePointTypes } from '../../lib/referenceData.js';
import { useCommunityOptions } from '../GridsPage.js';
import { inspectionsApi, type Plan, type PlanInput, type PlanKind } from './api.js';
import { KIND_LABELS, PLAN_KINDS, newKey } from './model.js';
import { useStrings } from './strings.js';

const INSPECTOR_ROLES = ['inspector', 'citizen_patrol', 'office'] as const;

/** People who may inspect: inspectors, the citizen patrol and the office, grouped by role. */
export function useInspectorOptions() {
  const { lang } = useI18n();
  const [users, setUsers] = useState<User[]>([]);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let live = true;
    Promise.all(INSPECTOR_ROLES.map((role) => userApi.list({ role, active: true, pageSize: 200 }).then((p) => p.items, () => [] as User[]))).then((lists) => {
      if (!live) return;
      setUsers(lists.flat());
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, []);
  const options = useMemo(
    () =>
      INSPECTOR_ROLES.map((role) => ({
        label: lang === 'en-US' ? ROLE_LABELS[role].en : ROLE_LABELS[role].zh,
        options: users.filter((u) => u.role === role).map((u) => ({ value: Number(u.id), label: `${u.displayName}（${u.username}）` })),
      })).filter((g) => g.options.length),
    [users, lang],
  );
  return { options, loading };
}

interface PlanFormValues {
  title: string;
  kind: PlanKind;
  dates: [Dayjs, Dayjs];
  inspectorIds: number[];
  note?: string;
}

export function PlanFormDialog({ plan, onClose, onSaved }: { plan?: Plan; onClose: () => void; onSaved: (plan: Plan) => void }) {
  const s = useStrings();
  const { t, lang, errorText } = useI18n();
  const { message } = AntApp.useApp();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<PlanFormValues>();
  const [busy, setBusy] = useState(false);
  const inspectors = useInspectorOptions();

  const submit = async (values: PlanFormValues) => {
    const input: PlanInput = {
      title: values.title.trim(),
      kind: values.kind,
      startsOn: values.dates[0].format('YYYY-MM-DD'),
      endsOn: values.dates[1].format('YYYY-MM-DD'),
      inspectorIds: values.inspectorIds,
      ...(values.note?.trim() ? { note: values.note.trim() } : {}),
    };
    setBusy(true);
    try {
      const saved = plan
        ? await inspectionsApi.update(plan, {
            title: input.title,
            startsOn: input.startsOn,
            endsOn: input.endsOn,
            note: input.note ?? '',
            ...(plan.editable.inspectors ? { inspectorIds: input.inspectorIds } : {}),
          })
        : await inspectionsApi.create(input);
      message.success(plan ? s('saved') : s('created'));
      onSaved(saved);
    } catch (err) {
      if (!showFieldError(form, err, errorText(err), { startsOn: 'dates', endsOn: 'dates' })) message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormModal<PlanFormValues>
      title={plan ? s('editPlan') : s('newPlan')}
      form={form}
      onCancel={onClose}
      onFinish={submit}
      okText={plan ? t('common.save') : t('common.create')}
      okTestId="plan-save"
      busy={busy}
      formTestId="plan-form"
      initialValues={
        plan
          ? { title: plan.title, kind: plan.kind, dates: [dayjs(plan.startsOn), dayjs(plan.endsOn)], inspectorIds: plan.inspectors.map((i) => Number(i.id)), note: plan.note ?? '' }
          : { kind: 'mock', dates: [dayjs(), dayjs().add(6, 'day')], inspectorIds: [] }
      }
    >
      <Form.Item name="title" label={s('planTitle')} rules={[{ required: true, whitespace: true, message: s('titleRequired') }, { max: 100 }]}>
        <Input data-testid="plan-title" maxLength={100} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={10}>
          <Form.Item name="kind" label={s('kind')} rules={[{ required: true }]}>
            <Select
              disabled={Boolean(plan)}
              data-testid="plan-kind"
              options={PLAN_KINDS.map((k) => ({ value: k, label: lang === 'en-US' ? KIND_LABELS[k].en : KIND_LABELS[k].zh }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={14}>
          <Form.Item name="dates" label={s('dates')} rules={[{ required: true, message: s('datesRequired') }]}>
            <DatePicker.RangePicker style={{ width: '100%' }} data-testid="plan-dates" inputReadOnly={isMobile} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="inspectorIds" label={s('inspectors')} extra={s('inspectorsHint')} rules={[{ required: true, type: 'array', min: 1, message: s('inspectorsRequired') }]}>
        <Select mode="multiple" disabled={Boolean(plan && !plan.editable.inspectors)} loading={inspectors.loading} options={inspectors.options} showSearch={{ optionFilterProp: 'label' }} data-testid="plan-inspectors" />
      </Form.Item>
      <Form.Item name="note" label={s('note')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}

interface SampleValues {
  seed?: string;
  total: number;
  minPerType?: number;
  shares?: Record<string, number | null>;
  pointTypes?: string[];
  communityIds?: string[];
}

export function SampleDialog({ plan, onClose, onSaved }: { plan: Plan; onClose: () => void; onSaved: (plan: Plan) => void }) {
  const s = useStrings();
  const { label, errorText } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<SampleValues>();
  const [busy, setBusy] = useState(false);
  const { types } = usePointTypes();
  const communities = useCommunityOptions();
  const chosenTypes = Form.useWatch('pointTypes', form);
  const shownTypes = chosenTypes?.length ? types.filter((t) => chosenTypes.includes(t.code)) : types;
  const last = plan.sampling;
  // The last sample's type filter, unless it was every type (then it is no filter at all).
  useEffect(() => {
    if (last?.pointTypes.length && types.length && last.pointTypes.length < types.length) form.setFieldValue('pointTypes', last.pointTypes);
  }, [types.length]);

  const submit = async (values: SampleValues) => {
    const shares = Object.fromEntries(Object.entries(values.shares ?? {}).filter(([code, v]) => typeof v === 'number' && v > 0 && shownTypes.some((t) => t.code === code))) as Record<string, number>;
    setBusy(true);
    try {
      const saved = await inspectionsApi.sample(plan, {
        ...(values.seed?.trim() ? { seed: values.seed.trim() } : {}),
        total: values.total,
        ...(values.minPerType ? { minPerType: values.minPerType } : {}),
        ...(Object.keys(shares).length ? { shares } : {}),
        ...(values.pointTypes?.length ? { pointTypes: values.pointTypes } : {}),
        ...(values.communityIds?.length ? { communityIds: values.communityIds.map(Number) } : {}),
      });
      message.success(s('sampled', { count: saved.points.length }));
      onSaved(saved);
    } catch (err) {
      if (!showFieldError(form, err, errorText(err))) message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormModal<SampleValues>
      title={s('sampleTitle')}
      form={form}
      onCancel={onClose}
      onFinish={submit}
      okText={s('sample')}
      okTestId="sample-submit"
      busy={busy}
      width={680}
      intro={<Typography.Paragraph type="secondary">{s('sampleHint')}</Typography.Paragraph>}
      formTestId="sample-form"
      initialValues={
        last
          ? { seed: last.seed, total: last.total, minPerType: last.minPerType, shares: last.shares ?? undefined, communityIds: last.communityIds?.map(String) }
          : { seed: newKey().slice(0, 8), total: Math.max(plan.points.length, 20), minPerType: 1 }
      }
    >
      <Row gutter={12}>
        <Col xs={24} sm={10}>
          <Form.Item label={s('seed')} extra={s('seedHint')}>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="seed" noStyle rules={[{ max: 64 }]}>
                <Input data-testid="sample-seed" maxLength={64} />
              </Form.Item>
              <Button icon={<ReloadOutlined />} onClick={() => form.setFieldValue('seed', newKey().slice(0, 8))} aria-label={s('newSeed')} />
            </Space.Compact>
          </Form.Item>
        </Col>
        <Col xs={12} sm={7}>
          <Form.Item name="total" label={s('total')} rules={[{ required: true }]}>
            <InputNumber min={1} max={2000} precision={0} style={{ width: '100%' }} data-testid="sample-total" />
          </Form.Item>
        </Col>
        <Col xs={12} sm={7}>
          <Form.Item name="minPerType" label={s('minPerType')}>
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} data-testid="sample-min" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="pointTypes" label={s('onlyTypes')}>
            <Select mode="multiple" allowClear placeholder={s('allKinds')} options={types.map((t) => ({ value: t.code, label: label(t) }))} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="communityIds" label={s('onlyCommunities')}>
            <Select mode="multiple" allowClear placeholder={s('allCommunities')} options={communities} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={s('shares')} extra={s('sharesHint')}>
        <div className="wm-insp-shares">
          {shownTypes.map((t) => (
            <div key={t.code} className="wm-insp-share">
              <span className="wm-insp-share-name">{label(t)}</span>
              <Form.Item name={['shares', t.code]} noStyle>
                <InputNumber min={0} max={100} precision={0} size="small" style={{ width: 72 }} data-testid={`sample-share-${t.code}`} />
              </Form.Item>
            </div>
          ))}
        </div>
      </Form.Item>
    </FormModal>
  );
}

export function PickPointsDialog({ plan, onClose, onSaved }: { plan: Plan; onClose: () => void; onSaved: (plan: Plan) => void }) {
  const s = useStrings();
  const { errorText, label } = useI18n();
  const { message } = AntApp.useApp();
  const isMobile = useIsMobile();
  const { byCode } = usePointTypes();
  const [selected, setSelected] = useState<number[]>(() => plan.points.map((p) => p.pointId));
  const [known, setKnown] = useState<Map<number, string>>(() => new Map(plan.points.map((p) => [p.pointId, `${p.name} · ${p.typeName ?? p.typeCode}`])));
  const [found, setFound] = useState<Point[]>([]);
  const [searching, setSearching] = useState(false);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);

  const search = (q: string) => {
    const id = ++latest.current;
    setSearching(true);
    placeApi.points({ q: q.trim() || undefined, active: true, pageSize: 50 }).then(
      (page) => {
        if (id !== latest.current) return;
        setFound(page.items);
        setSearching(false);
      },
      () => id === latest.current && setSearching(false),
    );
  };
  useEffect(() => search(''), []);

  const pointLabel = (p: Point) => `${p.name} · ${label(byCode.get(p.typeCode)) || p.typeName}${p.communityName ? ` · ${p.communityName}` : ''}`;
  const options = useMemo(() => {
    const map = new Map(known);
    for (const p of found) map.set(Number(p.id), pointLabel(p));
    return [...map.entries()].map(([value, text]) => ({ value, label: text }));
  }, [known, found, byCode]);

  const save = async () => {
    setBusy(true);
    try {
      const saved = await inspectionsApi.pick(plan, selected);
      message.success(s('saved'));
      onSaved(saved);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={s('pickTitle')}
      onCancel={onClose}
      onOk={save}
      okButtonProps={{ disabled: selected.length === 0, ...({ 'data-testid': 'pick-submit' } as object) }}
      confirmLoading={busy}
      width={isMobile ? '100%' : 680}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{s('pickHint')}</Typography.Paragraph>
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        value={selected}
        onChange={(ids: number[]) => {
          setSelected(ids);
          setKnown((prev) => {
            const next = new Map(prev);
            for (const p of found) if (ids.includes(Number(p.id))) next.set(Number(p.id), pointLabel(p));
            return next;
          });
        }}
        options={options}
        showSearch={{ onSearch: search, filterOption: false }}
        loading={searching}
        placeholder={s('searchPoints')}
        data-testid="pick-points"
        maxTagCount={isMobile ? 6 : 30}
      />
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
        {s('selected', { count: selected.length })}
      </Typography.Text>
    </Modal>
  );
}
