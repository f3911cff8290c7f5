// The buttons of a case: exactly the actions the server says the caller may take (`actions`), each opening a form
// with exactly the fields that action needs. A stale version (409) or a step the case has moved past (422) is
// explained and the case reloaded; a bad field is shown on the field.
import { MoreOutlined } from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, DatePicker, Dropdown, Empty, Form, Input, InputNumber, Modal, Radio, Segmented, Space, Spin, Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { CASE_ACTION_LABELS, CASE_MARK_LABELS, CASE_STATE_LABELS, type CaseAction } from '../../../core/cases/index.js';
import { RESPONSIBLE_UNIT_KINDS } from '../../../core/routing.js';
import { ApiError } from '../../api/client.js';
import { caseApi, type CaseDetail, type CaseItem, type NearbyCase, type TransitionReply, type TransitionRequest, isVisibleDetail } from '../../api/cases.js';
import { useUser } from '../../auth/SessionProvider.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { MessageKey } from '../../i18n/core.js';
import {
  ACTION_FORMS, ONE_TAP_ACTIONS, actionTone, compositeActionsFor, formatDistance, orderActions, type ActionField, type CompositeAction,
} from '../../lib/cases.js';
import { showFieldError } from '../../lib/forms.js';
import { useAsync, useIsMobile } from '../../lib/hooks.js';
import { OrgTreeSelect } from '../OrgTreeSelect.js';
import { CaseStatusTag } from './CaseTags.js';
import { DeadlineHint, RoutingHint, useRoutingSuggestion } from './DispatchHints.js';
import { PhotoUploader, type UploadedPhoto } from './PhotoUploader.js';

type UiAction = CaseAction | CompositeAction;

const COMPOSITE_FORMS: Record<CompositeAction, { required: ActionField[]; optional: ActionField[] }> = {
  verify_file: { required: [], optional: ['evidencePhotos', 'note'] },
  verify_reject: { required: ['reason'], optional: ['evidencePhotos'] },
};

const isComposite = (a: UiAction): a is CompositeAction => a === 'verify_file' || a === 'verify_reject';

function specOf(action: UiAction) {
  return isComposite(action) ? COMPOSITE_FORMS[action] : ACTION_FORMS[action];
}

/** The case as a list row or a detail: a detail also carries its history (the last return reason). */
export type ActionableCase = CaseItem & Partial<Pick<CaseDetail, 'events'>>;

function useActionLabel() {
  const { t, label } = useI18n();
  const user = useUser();
  return (action: UiAction) => {
    if (isComposite(action)) return t(`caseAction.${action}` as MessageKey);
    // For the office, 核实 means "send a grid worker to verify".
    if (action === 'verify' && user.role !== 'grid_worker') return t('caseAction.verify_office');
    return label(CASE_ACTION_LABELS[action]);
  };
}

export interface CaseActionsProps {
  c: ActionableCase;
  onDone: (reply: TransitionReply, action: CaseAction) => void;
  /** After 409/422: the case changed under the user; reload it. */
  onStale: () => void;
  /** bar: large buttons (detail page, phone action bar); compact: a list row (two buttons and "更多"). */
  layout?: 'bar' | 'compact';
  /** Leave out actions shown elsewhere (e.g. 督办 in a unit's list). */
  exclude?: readonly CaseAction[];
}

export function CaseActions({ c, onDone, onStale, layout = 'bar', exclude = [] }: CaseActionsProps) {
  const { t, label, errorText } = useI18n();
  const { message, modal } = AntApp.useApp();
  const user = useUser();
  const actionLabel = useActionLabel();
  const [open, setOpen] = useState<UiAction | null>(null);
  const [busy, setBusy] = useState<CaseAction | null>(null);

  const composite = compositeActionsFor(user.role, c.status, c.actions);
  const actions: UiAction[] = [
    ...composite,
    ...orderActions(c.actions.filter((a) => !exclude.includes(a) && !(composite.length && a === 'verify'))),
  ];
  if (!actions.length) return null;

  const oneTap = async (action: CaseAction) => {
    setBusy(action);
    try {
      const reply = await caseApi.transition(c.id, { action, version: c.version });
      message.success(t('case.actionDone', { action: label(CASE_ACTION_LABELS[action]) }));
      onDone(reply, action);
    } catch (err) {
      handleTransitionError(err, { t, label, errorText, message, modal, onStale });
    } finally {
      setBusy(null);
    }
  };

  const click = (action: UiAction) => {
    if (!isComposite(action) && ONE_TAP_ACTIONS.includes(action)) void oneTap(action);
    else setOpen(action);
  };

  const button = (action: UiAction, size: 'large' | 'middle' | 'small') => {
    const tone = isComposite(action) ? (action === 'verify_file' ? 'primary' : 'danger') : actionTone(action);
    return (
      <Button
        key={action}
        size={size}
        type={tone === 'primary' ? 'primary' : 'default'}
        danger={tone === 'danger'}
        loading={busy === action}
        onClick={(e) => {
          e.stopPropagation();
          click(action);
        }}
        data-testid={`action-${action}`}
      >
        {actionLabel(action)}
      </Button>
    );
  };

  let buttons: React.ReactNode;
  if (layout === 'compact') {
    const [first, second, ...more] = actions;
    buttons = (
      <Space size={6} wrap onClick={(e) => e.stopPropagation()}>
        {first ? button(first, 'middle') : null}
        {second ? button(second, 'middle') : null}
        {more.length ? (
          <Dropdown
            trigger={['click']}
            menu={{
              items: more.map((a) => ({ key: a, label: <span data-testid={`action-${a}`}>{actionLabel(a)}</span>, danger: !isComposite(a) && actionTone(a) === 'danger' })),
              onClick: ({ key, domEvent }) => {
                domEvent.stopPropagation();
                click(key as UiAction);
              },
            }}
          >
            <Button icon={<MoreOutlined />} aria-label={t('case.moreActions')} data-testid="action-more" />
          </Dropdown>
        ) : null}
      </Space>
    );
  } else {
    buttons = (
      <div className="wm-action-bar-buttons" data-testid="case-actions">
        {actions.map((a) => button(a, 'large'))}
      </div>
    );
  }

  return (
    <>
      {buttons}
      {open ? (
        <ActionDialog
          c={c}
          action={open}
          title={actionLabel(open)}
          onClose={() => setOpen(null)}
          onDone={(reply, action) => {
            setOpen(null);
            onDone(reply, action);
          }}
          onStale={() => {
            setOpen(null);
            onStale();
          }}
        />
      ) : null}
    </>
  );
}

interface ErrorTools {
  t: ReturnType<typeof useI18n>['t'];
  label: ReturnType<typeof useI18n>['label'];
  errorText: (e: unknown) => string;
  message: ReturnType<typeof AntApp.useApp>['message'];
  modal: ReturnType<typeof AntApp.useApp>['modal'];
  onStale: () => void;
}

/** 409 and 422 mean the case moved on: say so, reload; returns true when handled that way. */
function handleTransitionError(err: unknown, tools: ErrorTools): boolean {
  const { t, label, errorText, message, modal, onStale } = tools;
  if (err instanceof ApiError && err.code === 'CONFLICT') {
    modal.warning({ title: t('conflict.title'), content: t('case.conflict') });
    onStale();
    return true;
  }
  if (err instanceof ApiError && err.code === 'ILLEGAL_TRANSITION') {
    const details = (err.details ?? {}) as { allowed?: CaseAction[]; status?: keyof typeof CASE_STATE_LABELS };
    const allowed = (details.allowed ?? []).map((a) => label(CASE_ACTION_LABELS[a])).join('、');
    modal.warning({
      title: t('case.illegalTitle'),
      content: `${details.status ? t('case.illegalState', { status: label(CASE_STATE_LABELS[details.status]) }) : ''}${allowed ? t('case.illegalAllowed', { allowed }) : t('case.illegalNone')}`,
    });
    onStale();
    return true;
  }
  message.error(errorText(err));
  return false;
}

interface FormValues {
  reason?: string;
  note?: string;
  photos?: UploadedPhoto[];
  measures?: string;
  extMode?: 'hours' | 'date';
  hours?: number;
  date?: Dayjs;
  mark?: 'none' | 'commitment' | 'coordination';
  grantDate?: Dayjs;
  unitId?: string;
  targetCaseId?: number;
}

const QUICK_REASON_ACTIONS: readonly UiAction[] = ['reject', 'return', 'fail_check', 'deny_extension', 'hang', 'verify_reject'];

function reasonLabelKey(action: UiAction): MessageKey {
  switch (action) {
    case 'reject':
    case 'verify_reject':
      return 'caseAction.reason.reject';
    case 'return':
      return 'caseAction.reason.return';
    case 'fail_check':
      return 'caseAction.reason.fail_check';
    case 'request_extension':
      return 'caseAction.reason.request_extension';
    case 'deny_extension':
      return 'caseAction.reason.deny_extension';
    case 'hang':
      return 'caseAction.reason.hang';
    case 'reopen':
      return 'caseAction.reason.reopen';
    default:
      return 'caseAction.reason';
  }
}

function quickReasonKey(action: UiAction): MessageKey | null {
  if (!QUICK_REASON_ACTIONS.includes(action)) return null;
  return `caseAction.quick.${action === 'verify_reject' ? 'reject' : action}` as MessageKey;
}

interface ActionDialogProps {
  c: ActionableCase;
  action: UiAction;
  title: string;
  onClose: () => void;
  onDone: (reply: TransitionReply, action: CaseAction) => void;
  onStale: () => void;
}

function ActionDialog({ c, action, title, onClose, onDone, onStale }: ActionDialogProps) {
  const { t, label, errorText, formatDateTime } = useI18n();
  const { message, modal } = AntApp.useApp();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [uploading, setUploading] = useState(false);
  const spec = specOf(action);
  const has = (f: ActionField) => spec.required.includes(f) || spec.optional.includes(f);
  const needs = (f: ActionField) => spec.required.includes(f);
  const extMode = Form.useWatch('extMode', form) ?? 'hours';
  const mark = Form.useWatch('mark', form) ?? 'none';
  const unitId = Form.useWatch('unitId', form);

  const routing = useRoutingSuggestion(has('unit') ? { categoryCode: c.categoryCode, lat: c.lat, lng: c.lng, pointId: c.pointId } : {});
  // Default to the unit the case carries (routed at intake); a returned case has none: take the 责任清单's.
  useEffect(() => {
    if (!has('unit')) return;
    if (!form.getFieldValue('unitId')) {
      const fallback = c.unitId ?? routing.data?.unit?.id;
      if (fallback) form.setFieldValue('unitId', String(fallback));
    }
  }, [routing.data]);

  const lastReturn = useMemo(() => [...(c.events ?? [])].reverse().find((e) => e.action === 'return'), [c.events]);
  const quickKey = quickReasonKey(action);
  const quickReasons = quickKey ? t(quickKey).split('|').filter(Boolean) : [];

  const fieldMap: Record<string, string> = {
    photoIds: 'photos',
    extensionHours: 'hours',
    newDeadline: action === 'approve_extension' ? 'grantDate' : 'date',
  };

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    const text = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
    const photoIds = v.photos?.length ? v.photos.map((p) => p.id) : undefined;
    try {
      let reply: TransitionReply;
      let done: CaseAction;
      if (isComposite(action)) {
        // Two steps on site: take up the verification (with evidence photos), then decide.
        const verified = await caseApi.transition(c.id, { action: 'verify', version: c.version, photoIds, note: action === 'verify_file' ? text(v.note) : undefined });
        if (!isVisibleDetail(verified)) throw new Error('case not visible after verify');
        done = action === 'verify_file' ? 'file' : 'reject';
        try {
          reply = await caseApi.transition(c.id, { action: done, version: verified.version, reason: text(v.reason) });
        } catch (err) {
          // The verification stands; the decision can be taken again from the case.
          message.warning(t('caseAction.halfDone'));
          onDone(verified, 'verify');
          throw err;
        }
      } else {
        done = action;
        const request: TransitionRequest = { action, version: c.version };
        if (has('reason')) request.reason = text(v.reason);
        if (has('note')) request.note = text(v.note);
        if (has('evidencePhotos') || has('afterPhotos')) request.photoIds = photoIds;
        if (has('measures')) request.measures = text(v.measures);
        if (has('extension')) {
          if (v.mark && v.mark !== 'none') request.mark = v.mark;
          if ((v.extMode ?? 'hours') === 'date' || v.mark === 'commitment') request.newDeadline = v.date?.toDate().toISOString();
          else request.extensionHours = v.hours;
        }
        if (has('approveDeadline') && v.grantDate) request.newDeadline = v.grantDate.toDate().toISOString();
        if (has('unit') && v.unitId) request.unitId = Number(v.unitId);
        if (has('target')) request.targetCaseId = v.targetCaseId;
        reply = await caseApi.transition(c.id, request);
      }
      message.success(t('case.actionDone', { action: label(CASE_ACTION_LABELS[done]) }));
      onDone(reply, done);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && showFieldError(form, err, errorText(err), fieldMap)) return;
      handleTransitionError(err, { t, label, errorText, message, modal, onStale });
    } finally {
      setSaving(false);
    }
  };

  const reasonRules = needs('reason') ? [{ required: true, whitespace: true, message: t('caseAction.reasonRequired') }] : [];

  return (
    <Modal
      open
      title={
        <Space size={8} wrap>
          <span>{title}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            {c.caseNo}
          </Typography.Text>
        </Space>
      }
      onCancel={onClose}
      width={isMobile ? '100%' : 560}
      style={isMobile ? { top: 0, maxWidth: '100vw', margin: 0, paddingBottom: 0 } : undefined}
      destroyOnHidden
      maskClosable={false}
      footer={
        <div className="wm-dialog-footer">
          <Button size={isMobile ? 'large' : 'middle'} onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            size={isMobile ? 'large' : 'middle'}
            type="primary"
            danger={action === 'verify_reject' || (!isComposite(action) && actionTone(action) === 'danger')}
            loading={saving}
            disabled={uploading}
            onClick={() => void submit()}
            data-testid="action-submit"
          >
            {uploading ? t('photo.uploading') : t('caseAction.submit', { action: title })}
          </Button>
        </div>
      }
      data-testid="action-dialog"
    >
      <Form form={form} layout="vertical" requiredMark="optional" initialValues={{ extMode: 'hours', mark: 'none' }} className="wm-action-form">
        {action === 'approve_extension' || action === 'deny_extension' ? <PendingExtensionInfo c={c} /> : null}
        {action === 'dispatch' && lastReturn ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('dispatch.returnedBy', { unit: lastReturn.actorOrg ?? lastReturn.actorName ?? '' })}
            description={
              <>
                <div>{lastReturn.note}</div>
                {unitId && String((lastReturn.data as { returnedBy?: unknown } | null)?.returnedBy ?? '') === String(unitId) ? (
                  <Typography.Text type="danger" data-testid="dispatch-same-unit">
                    {t('dispatch.sameUnit')}
                  </Typography.Text>
                ) : null}
              </>
            }
          />
        ) : null}
        {has('unit') ? (
          <Form.Item label={t('caseAction.unit')} required extra={<RoutingHint resolution={routing.data} loading={routing.loading} error={routing.error} chosenUnitId={unitId} onUse={(id) => form.setFieldValue('unitId', String(id))} />}>
            <Form.Item name="unitId" noStyle rules={[{ required: true, message: t('caseAction.unitRequired') }]}>
              <OrgTreeSelect selectableKinds={RESPONSIBLE_UNIT_KINDS} hiddenKinds={['micro_grid', 'grid']} testId="dispatch-unit" placeholder={t('caseAction.unitPlaceholder')} />
            </Form.Item>
          </Form.Item>
        ) : null}
        {has('unit') ? (
          <div style={{ marginTop: -8, marginBottom: 16 }}>
            <DeadlineHint categoryCode={c.categoryCode} />
          </div>
        ) : null}
        {has('target') ? (
          <Form.Item name="targetCaseId" label={t('caseAction.target')} rules={[{ required: true, message: t('caseAction.targetRequired') }]}>
            <MergeTargets c={c} />
          </Form.Item>
        ) : null}
        {has('afterPhotos') ? (
          <Form.Item
            name="photos"
            label={t('caseAction.afterPhotos')}
            rules={[{ required: true, type: 'array', min: 1, message: t('caseAction.afterPhotosRequired') }]}
            valuePropName="value"
          >
            <PhotoUploader purpose="after" testId="after-photos" onBusyChange={setUploading} />
          </Form.Item>
        ) : null}
        {has('evidencePhotos') ? (
          <Form.Item name="photos" label={t('caseAction.evidencePhotos')} valuePropName="value">
            <PhotoUploader purpose="evidence" testId="evidence-photos" onBusyChange={setUploading} />
          </Form.Item>
        ) : null}
        {has('measures') ? (
          <Form.Item name="measures" label={t('caseAction.measures')} rules={[{ required: true, whitespace: true, message: t('caseAction.measuresRequired') }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('caseAction.measuresPlaceholder')} data-testid="action-measures" />
          </Form.Item>
        ) : null}
        {has('extension') ? (
          <>
            <Form.Item name="mark" label={t('caseAction.mark')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'none', label: t('caseAction.markNone') },
                  { value: 'commitment', label: label(CASE_MARK_LABELS.commitment) },
                  { value: 'coordination', label: label(CASE_MARK_LABELS.coordination) },
                ]}
              />
            </Form.Item>
            {mark !== 'commitment' ? (
              <Form.Item name="extMode" label={t('caseAction.extendBy')}>
                <Segmented options={[{ value: 'hours', label: t('caseAction.extendHours') }, { value: 'date', label: t('caseAction.extendDate') }]} />
              </Form.Item>
            ) : null}
            {extMode === 'hours' && mark !== 'commitment' ? (
              <Form.Item name="hours" label={t('caseAction.hours')} rules={[{ required: true, message: t('caseAction.hoursRequired') }]}>
                <InputNumber min={0.5} max={2000} step={1} style={{ width: 200 }} suffix={t('caseAction.workHours')} data-testid="action-hours" />
              </Form.Item>
            ) : (
              <Form.Item
                name="date"
                label={mark === 'commitment' ? t('caseAction.commitDate') : t('caseAction.newDeadline')}
                rules={[{ required: true, message: t('caseAction.dateRequired') }]}
                extra={c.deadline ? t('caseAction.currentDeadline', { at: formatDateTime(c.deadline) }) : undefined}
              >
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.valueOf() < Date.now() - 86_400_000} style={{ width: 220 }} inputReadOnly={isMobile} />
              </Form.Item>
            )}
          </>
        ) : null}
        {has('approveDeadline') ? (
          <Form.Item name="grantDate" label={t('caseAction.grantDate')} extra={t('caseAction.grantDateHint')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 220 }} inputReadOnly={isMobile} />
          </Form.Item>
        ) : null}
        {has('reason') ? (
          <Form.Item label={t(reasonLabelKey(action))} required={needs('reason')}>
            {quickReasons.length ? (
              <div className="wm-quick-reasons">
                {quickReasons.map((r) => (
                  <button key={r} type="button" className="wm-chip" onClick={() => form.setFieldValue('reason', r)}>
                    {r}
                  </button>
                ))}
              </div>
            ) : null}
            <Form.Item name="reason" noStyle rules={reasonRules}>
              <Input.TextArea rows={3} maxLength={500} showCount data-testid="action-reason" />
            </Form.Item>
          </Form.Item>
        ) : null}
        {has('note') ? (
          <Form.Item name="note" label={t('caseAction.note')}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="action-note" />
          </Form.Item>
        ) : null}
        {!spec.required.length && !spec.optional.length ? <Typography.Paragraph>{t('caseAction.confirm', { action: title })}</Typography.Paragraph> : null}
      </Form>
    </Modal>
  );
}

function PendingExtensionInfo({ c }: { c: ActionableCase }) {
  const { t, label, formatDateTime } = useI18n();
  const p = c.pendingExtension;
  if (!p) return null;
  const asked = p.newDeadline ? formatDateTime(p.newDeadline) : p.extensionHours ? t('caseAction.hoursValue', { hours: p.extensionHours }) : '—';
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      title={t('caseAction.pendingAsked', { asked, current: c.deadline ? formatDateTime(c.deadline) : '—' })}
      description={
        <>
          {p.mark ? <div>{label(CASE_MARK_LABELS[p.mark])}</div> : null}
          {p.reason ? <div>{p.reason}</div> : null}
        </>
      }
      data-testid="pending-extension"
    />
  );
}

const RADII = [0, 300, 1000] as const;

/** 合并: open cases of the same category nearby (查重), the case itself left out. */
function MergeTargets({ c, value, onChange }: { c: ActionableCase; value?: number; onChange?: (id: number) => void }) {
  const { t, lang, label, formatDateTime, errorText } = useI18n();
  const [radius, setRadius] = useState<(typeof RADII)[number]>(0);
  const nearby = useAsync(
    () => caseApi.nearby({ categoryCode: c.categoryCode, lat: c.lat, lng: c.lng, ...(radius ? { radiusM: radius } : {}) }),
    [c.id, radius],
  );
  const items: NearbyCase[] = (nearby.data?.items ?? []).filter((n) => n.id !== c.id);
  return (
    <div>
      <Segmented
        size="small"
        value={radius}
        onChange={(v) => setRadius(v as (typeof RADII)[number])}
        options={RADII.map((r) => ({ value: r, label: r ? formatDistance(r, lang) : t('caseAction.radiusDefault', { m: nearby.data?.radiusM ?? '' }) }))}
        style={{ marginBottom: 8 }}
      />
      {nearby.loading && !nearby.data ? <Spin /> : null}
      {nearby.error ? <Typography.Text type="danger">{errorText(nearby.error)}</Typography.Text> : null}
      {nearby.data && !items.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseAction.noTargets')} /> : null}
      <Radio.Group value={value} onChange={(e) => onChange?.(e.target.value as number)} style={{ width: '100%' }}>
        <div className="wm-merge-list">
          {items.map((n) => (
            <Radio key={n.id} value={n.id} className="wm-merge-item" data-testid="merge-target">
              <div>
                <Space size={6} wrap>
                  <Typography.Text strong>{n.caseNo}</Typography.Text>
                  <CaseStatusTag status={n.status} />
                  <Typography.Text type="secondary">{formatDistance(n.distanceM, lang)}</Typography.Text>
                </Space>
                <div className="wm-merge-desc">{n.description}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(n.createdAt)} · {label(CASE_STATE_LABELS[n.status])}
                </Typography.Text>
              </div>
            </Radio>
          ))}
        </div>
      </Radio.Group>
    </div>
  );
}
