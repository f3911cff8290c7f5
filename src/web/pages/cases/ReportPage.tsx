// 上报: a problem enters the loop. On a phone (grid workers, inspectors, the citizen patrol): photos, the phone's
// GPS (the photo's EXIF GPS when the browser cannot locate), a small map to adjust, the category, a description.
// At a desk the 创城办 also names the source (督查通报 with its level and number, 12345 with the citizen…) and may
// file and dispatch at once to the unit the 责任清单 proposes. Before sending, open problems of the same
// category nearby are offered for merging (查重); an idempotency key makes a double tap or a retry harmless.
import { AimOutlined, CheckCircleFilled, EnvironmentOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, Card, Col, Collapse, Form, Input, Modal, Radio, Result, Row, Select, Space, Spin, Switch, Typography,
} from 'antd';
import type { Geometry } from 'geojson';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { CASE_STATE_LABELS } from '../../../core/cases/index.js';
import { RESPONSIBLE_UNIT_KINDS } from '../../../core/routing.js';
import { ApiError } from '../../api/client.js';
import { caseApi, SOURCE_LEVELS, type CaseSource, type IntakeInput, type IntakeReply, type NearbyCase, type SourceLevel } from '../../api/cases.js';
import { placeApi } from '../../api/endpoints.js';
import type { Located, Point } from '../../api/types.js';
import { useUser } from '../../auth/SessionProvider.js';
import { CategoryPicker } from '../../components/cases/CategoryPicker.js';
import { CaseStatusTag, sourceKey } from '../../components/cases/CaseTags.js';
import { DeadlineHint, RoutingHint, useRoutingSuggestion } from '../../components/cases/DispatchHints.js';
import { PhotoUploader, type UploadedPhoto } from '../../components/cases/PhotoUploader.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { MessageKey } from '../../i18n/core.js';
import {
  OFFICE_ROLES, defaultSourceFor, formatAge, formatDistance, mayDispatchNow, newIdempotencyKey, sourceHasCitizen, sourceHasRef, sourcesFor,
} from '../../lib/cases.js';
import { rememberCategory } from '../../lib/categories.js';
import { showFieldError } from '../../lib/forms.js';
import { useIsMobile } from '../../lib/hooks.js';

const LocationPicker = lazy(() => import('../../map/LocationPicker.js'));

interface ReportValues {
  photos?: UploadedPhoto[];
  categoryCode?: string;
  description?: string;
  address?: string;
  pointId?: number;
  source?: CaseSource;
  sourceLevel?: SourceLevel;
  sourceRef?: string;
  reporterName?: string;
  reporterPhone?: string;
  dispatch?: boolean;
  unitId?: string;
}

type LocSource = 'gps' | 'exif' | 'map';
type GpsState = 'idle' | 'locating' | 'ok' | 'failed' | 'unsupported';

interface Spot {
  lat: number;
  lng: number;
  source: LocSource;
  accuracy?: number;
}

/** Photos are the 整改前 evidence; people in the field must bring one, the office may enter a notice without. */
const FIELD_ROLES = ['grid_worker', 'inspector', 'citizen_patrol'];

export default function ReportPage() {
  const { t, lang, errorText } = useI18n();
  const user = useUser();
  const { message } = AntApp.useApp();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<ReportValues>();
  const office = OFFICE_ROLES.includes(user.role);
  const defaultSource = defaultSourceFor(user.role);
  const photosRequired = FIELD_ROLES.includes(user.role);

  const [spot, setSpot] = useState<Spot | null>(null);
  const [gps, setGps] = useState<GpsState>('idle');
  const [located, setLocated] = useState<{ at: string; result: Located | null; error?: unknown } | null>(null);
  const [uploading, setUploading] = useState(false);
  const [sending, setSending] = useState(false);
  const [duplicates, setDuplicates] = useState<NearbyCase[] | null>(null);
  const [result, setResult] = useState<IntakeReply | null>(null);
  const keyRef = useRef(newIdempotencyKey());

  const photos = Form.useWatch('photos', form);
  const categoryCode = Form.useWatch('categoryCode', form);
  const source = (Form.useWatch('source', form) ?? defaultSource) as CaseSource | null;
  const dispatchNow = Form.useWatch('dispatch', form);
  const pointId = Form.useWatch('pointId', form);
  const unitId = Form.useWatch('unitId', form);
  const canDispatch = source ? mayDispatchNow(user.role, source) : false;

  // ---- Location: GPS first, the photo's EXIF as fallback, a tap on the map wins over both. ----
  const spotRef = useRef(spot);
  spotRef.current = spot;
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setGps('unsupported');
      return;
    }
    setGps('locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setGps('ok');
        if (spotRef.current?.source === 'map') return;
        setSpot({ lat: pos.coords.latitude, lng: pos.coords.longitude, source: 'gps', accuracy: pos.coords.accuracy });
      },
      () => setGps('failed'),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };
  useEffect(locate, []);

  useEffect(() => {
    if (spot && spot.source !== 'exif') return;
    const withGps = (photos ?? []).find((p) => p.gps);
    if (withGps?.gps) setSpot({ lat: withGps.gps.lat, lng: withGps.gps.lng, source: 'exif' });
  }, [photos]);

  // Which community and grid the spot lies in (or that it is outside every grid, which the server refuses).
  useEffect(() => {
    if (!spot) {
      setLocated(null);
      return;
    }
    const at = `${spot.lat.toFixed(6)},${spot.lng.toFixed(6)}`;
    let live = true;
    const timer = setTimeout(() => {
      placeApi.locate(spot.lat, spot.lng).then(
        (r) => live && setLocated({ at, result: r }),
        (error: unknown) => live && setLocated({ at, result: null, error }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [spot?.lat, spot?.lng]);
  const inside = Boolean(located?.result?.grid);

  // ---- 立即派遣: the 责任清单's unit, changeable. ----
  const routing = useRoutingSuggestion(office && dispatchNow && canDispatch ? { categoryCode, lat: spot?.lat, lng: spot?.lng, pointId } : {});
  useEffect(() => {
    if (routing.data?.unit && !form.getFieldValue('unitId')) form.setFieldValue('unitId', String(routing.data.unit.id));
  }, [routing.data]);

  const geometry: Geometry | null = spot ? { type: 'Point', coordinates: [spot.lng, spot.lat] } : null;

  const reset = () => {
    form.resetFields();
    setResult(null);
    setDuplicates(null);
    keyRef.current = newIdempotencyKey();
    if (spot?.source === 'map' || spot?.source === 'exif') setSpot(null);
    locate();
  };

  const send = async (mergeIntoId: number | null) => {
    const v = form.getFieldsValue(true) as ReportValues;
    if (!spot) return;
    const src = (v.source ?? defaultSource) as CaseSource;
    const input: IntakeInput = {
      source: src,
      categoryCode: v.categoryCode!,
      lat: Math.round(spot.lat * 1e7) / 1e7,
      lng: Math.round(spot.lng * 1e7) / 1e7,
      description: (v.description ?? '').trim(),
      address: v.address?.trim() || null,
      pointId: v.pointId ?? null,
      photoIds: (v.photos ?? []).map((p) => p.id),
      idempotencyKey: keyRef.current,
      mergeIntoId,
    };
    if (office) {
      if (src === 'supervision') input.sourceLevel = v.sourceLevel ?? null;
      if (sourceHasRef(src)) input.sourceRef = v.sourceRef?.trim() || null;
      if (sourceHasCitizen(src)) {
        input.reporterName = v.reporterName?.trim() || null;
        input.reporterPhone = v.reporterPhone?.trim() || null;
      }
      if (!mergeIntoId && v.dispatch && mayDispatchNow(user.role, src)) {
        input.dispatch = true;
        input.unitId = v.unitId ? Number(v.unitId) : null;
      }
    }
    setSending(true);
    try {
      const reply = await caseApi.report(input);
      rememberCategory(input.categoryCode);
      setDuplicates(null);
      setResult(reply);
      keyRef.current = newIdempotencyKey();
      window.scrollTo({ top: 0 });
    } catch (err) {
      setDuplicates(null);
      if (err instanceof ApiError && err.code === 'OUTSIDE_GRIDS') message.error(t('report.outside'));
      else if (!(err instanceof ApiError && showFieldError(form, err, errorText(err), { photoIds: 'photos' }))) message.error(errorText(err));
    } finally {
      setSending(false);
    }
  };

  const submit = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    if (!spot) {
      message.error(t('report.locationRequired'));
      return;
    }
    if (located && !inside && !located.error) {
      message.error(t('report.outside'));
      return;
    }
    setSending(true);
    try {
      // 查重: the same category, open, nearby. Asked again at send time by the server too.
      const nearby = await caseApi.nearby({ categoryCode: form.getFieldValue('categoryCode'), lat: spot.lat, lng: spot.lng });
      if (nearby.items.length) {
        setDuplicates(nearby.items);
        setSending(false);
        return;
      }
    } catch {
      // 查重 is a courtesy: if it fails, the report still goes in.
    }
    await send(null);
  };

  if (!defaultSource) {
    return <Result status="403" title={t('forbidden.title')} subTitle={t('report.notAllowed')} />;
  }

  if (result) return <ReportDone result={result} onAgain={reset} />;

  const locationCard = (
    <Card size="small" title={<span><EnvironmentOutlined /> {t('report.location')}</span>} className="wm-report-card">
      <div className="wm-locate-line" data-testid="report-location" data-source={spot?.source ?? ''}>
        {spot ? (
          <Space size={4} wrap>
            <CheckCircleFilled style={{ color: inside ? '#389e0d' : '#d48806' }} />
            <Typography.Text>{t(`report.loc.${spot.source}` as MessageKey, { accuracy: spot.accuracy ? Math.round(spot.accuracy) : '' })}</Typography.Text>
            {located?.result?.grid ? (
              <Typography.Text type="secondary" data-testid="report-located">
                {[located.result.community?.name, located.result.grid?.name].filter(Boolean).join(' · ')}
              </Typography.Text>
            ) : null}
          </Space>
        ) : gps === 'locating' ? (
          <Space size={6}>
            <Spin size="small" />
            <Typography.Text type="secondary">{t('report.locating')}</Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="warning">{t(gps === 'unsupported' ? 'report.noGps' : 'report.gpsFailed')}</Typography.Text>
        )}
        <Button size="small" icon={gps === 'locating' ? <ReloadOutlined spin /> : <AimOutlined />} onClick={locate} disabled={gps === 'locating'} data-testid="report-relocate">
          {t('report.relocate')}
        </Button>
      </div>
      {located && spot && !inside && !located.error ? <Alert type="error" showIcon title={t('report.outside')} style={{ marginBottom: 8 }} /> : null}
      <Suspense fallback={<div className="wm-picker-map wm-map-fallback" style={{ height: isMobile ? 200 : 340 }}><Spin /></div>}>
        <LocationPicker
          kind="point"
          value={geometry}
          onChange={(g) => {
            if (g?.type === 'Point') setSpot({ lng: g.coordinates[0], lat: g.coordinates[1], source: 'map' });
          }}
          height={isMobile ? 200 : 340}
          testId="report-map"
        />
      </Suspense>
    </Card>
  );

  const officeFields = office && source ? (
    <Card size="small" title={t('report.sourceSection')} className="wm-report-card">
      <Form.Item name="source" label={t('case.source')} rules={[{ required: true }]}>
        <Select
          options={sourcesFor(user.role).map((s) => ({ value: s, label: t(sourceKey(s)) }))}
          data-testid="report-source"
          onChange={() => form.setFieldsValue({ dispatch: false })}
        />
      </Form.Item>
      {source === 'supervision' ? (
        <Form.Item name="sourceLevel" label={t('report.sourceLevel')} rules={[{ required: true, message: t('report.sourceLevelRequired') }]}>
          <Radio.Group optionType="button" options={SOURCE_LEVELS.map((l) => ({ value: l, label: t(`sourceLevel.${l}` as MessageKey) }))} />
        </Form.Item>
      ) : null}
      {sourceHasRef(source) ? (
        <Form.Item name="sourceRef" label={t(`report.ref.${source}` as MessageKey)}>
          <Input maxLength={100} placeholder={t(`report.refPlaceholder.${source}` as MessageKey)} data-testid="report-source-ref" />
        </Form.Item>
      ) : null}
      {sourceHasCitizen(source) ? (
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="reporterName" label={t('report.citizenName')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="reporterPhone" label={t('report.citizenPhone')} rules={[{ pattern: /^[0-9+\-() ]*$/, message: t('common.phoneInvalid') }]}>
              <Input maxLength={20} inputMode="tel" />
            </Form.Item>
          </Col>
        </Row>
      ) : null}
      {sourceHasCitizen(source) || source === 'media' ? <Typography.Paragraph type="secondary">{t('report.needsVerification')}</Typography.Paragraph> : null}
      {canDispatch ? (
        <>
          <Form.Item name="dispatch" valuePropName="checked" label={t('report.dispatchNow')} extra={t('report.dispatchNowHint')}>
            <Switch data-testid="report-dispatch" />
          </Form.Item>
          {dispatchNow ? (
            <Form.Item
              label={t('caseAction.unit')}
              required
              extra={
                <Space orientation="vertical" size={4} style={{ marginTop: 4 }}>
                  <RoutingHint resolution={routing.data} loading={routing.loading} error={routing.error} chosenUnitId={unitId} onUse={(id) => form.setFieldValue('unitId', String(id))} />
                  <DeadlineHint categoryCode={categoryCode} />
                </Space>
              }
            >
              <Form.Item name="unitId" noStyle rules={[{ required: true, message: t('caseAction.unitRequired') }]}>
                <OrgTreeSelect selectableKinds={RESPONSIBLE_UNIT_KINDS} hiddenKinds={['micro_grid', 'grid']} testId="report-unit" placeholder={t('caseAction.unitPlaceholder')} />
              </Form.Item>
            </Form.Item>
          ) : null}
        </>
      ) : null}
    </Card>
  ) : null;

  const problemFields = (
    <>
      <Card size="small" title={t('report.photos')} className="wm-report-card" extra={photosRequired ? null : <Typography.Text type="secondary">{t('common.optional')}</Typography.Text>}>
        <Form.Item
          name="photos"
          noStyle
          rules={photosRequired ? [{ required: true, type: 'array', min: 1, message: t('report.photosRequired') }] : []}
        >
          <PhotoUploader purpose="before" testId="report-photos" onBusyChange={setUploading} />
        </Form.Item>
        <Form.Item shouldUpdate noStyle>
          {() => {
            const errors = form.getFieldError('photos');
            return errors.length ? <Typography.Text type="danger">{errors[0]}</Typography.Text> : null;
          }}
        </Form.Item>
      </Card>
      <Card size="small" title={t('case.category')} className="wm-report-card">
        <Form.Item name="categoryCode" noStyle rules={[{ required: true, message: t('report.categoryRequired') }]}>
          <CategoryPicker testId="report-category" />
        </Form.Item>
        <Form.Item shouldUpdate noStyle>
          {() => {
            const errors = form.getFieldError('categoryCode');
            return errors.length ? <Typography.Text type="danger">{errors[0]}</Typography.Text> : null;
          }}
        </Form.Item>
      </Card>
      <Card size="small" title={t('case.description')} className="wm-report-card">
        <Form.Item
          name="description"
          noStyle
          rules={[
            { required: true, whitespace: true, message: t('report.descriptionRequired') },
            { min: 2, message: t('report.descriptionShort') },
          ]}
        >
          <Input.TextArea rows={isMobile ? 3 : 4} maxLength={2000} showCount placeholder={t('report.descriptionPlaceholder')} data-testid="report-description" />
        </Form.Item>
        <Form.Item shouldUpdate noStyle>
          {() => {
            const errors = form.getFieldError('description');
            return errors.length ? <Typography.Text type="danger">{errors[0]}</Typography.Text> : null;
          }}
        </Form.Item>
        <Collapse
          ghost
          size="small"
          style={{ marginTop: 8 }}
          defaultActiveKey={office && !isMobile ? ['more'] : []}
          items={[
            {
              key: 'more',
              label: t('report.more'),
              forceRender: true,
              children: (
                <>
                  <Form.Item name="address" label={t('case.address')}>
                    <Input maxLength={200} placeholder={t('report.addressPlaceholder')} data-testid="report-address" />
                  </Form.Item>
                  <Form.Item name="pointId" label={t('case.point')} extra={t('report.pointHint')} style={{ marginBottom: 0 }}>
                    <PointSelect />
                  </Form.Item>
                </>
              ),
            },
          ]}
        />
      </Card>
    </>
  );

  const submitButton = (
    <Button
      type="primary"
      size="large"
      block={isMobile}
      icon={<SendOutlined />}
      loading={sending}
      disabled={uploading}
      onClick={() => void submit()}
      data-testid="report-submit"
    >
      {uploading ? t('photo.uploading') : dispatchNow && canDispatch ? t('report.submitDispatch') : t('report.submit')}
    </Button>
  );

  return (
    <div className={isMobile ? 'wm-page wm-report wm-has-action-bar' : 'wm-page wm-report'}>
      <PageHeader title={t('report.title')} subtitle={isMobile ? undefined : t(office ? 'report.subtitleOffice' : 'report.subtitle')} />
      <Form form={form} layout="vertical" initialValues={{ source: defaultSource, dispatch: false, photos: [] }} requiredMark={false}>
        {isMobile ? (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            {problemFields}
            {locationCard}
            {officeFields}
          </Space>
        ) : (
          <Row gutter={16}>
            <Col xs={24} lg={13}>
              <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                {officeFields}
                {problemFields}
              </Space>
            </Col>
            <Col xs={24} lg={11}>
              <Space orientation="vertical" size={12} style={{ width: '100%' }} className="wm-sticky-side">
                {locationCard}
                <div style={{ textAlign: 'right' }}>{submitButton}</div>
              </Space>
            </Col>
          </Row>
        )}
      </Form>
      {isMobile ? <div className="wm-action-bar">{submitButton}</div> : null}
      <Modal
        open={Boolean(duplicates)}
        title={t('report.dupTitle')}
        onCancel={() => setDuplicates(null)}
        width={isMobile ? '100%' : 600}
        style={isMobile ? { top: 0, maxWidth: '100vw', margin: 0, paddingBottom: 0 } : undefined}
        footer={
          <div className="wm-dialog-footer">
            <Button size={isMobile ? 'large' : 'middle'} onClick={() => setDuplicates(null)}>
              {t('report.dupBack')}
            </Button>
            <Button size={isMobile ? 'large' : 'middle'} type="primary" loading={sending} onClick={() => void send(null)} data-testid="dup-report-anyway">
              {t('report.dupAnyway')}
            </Button>
          </div>
        }
        data-testid="dup-dialog"
      >
        <Typography.Paragraph type="secondary">{t('report.dupText')}</Typography.Paragraph>
        <div className="wm-merge-list">
          {(duplicates ?? []).map((d) => (
            <div key={d.id} className="wm-merge-item wm-dup-item" data-testid="dup-item">
              <div style={{ flex: 1, minWidth: 0 }}>
                <Space size={6} wrap>
                  <Typography.Text strong>{d.caseNo}</Typography.Text>
                  <CaseStatusTag status={d.status} />
                  <Typography.Text type="secondary">
                    {formatDistance(d.distanceM, lang)} · {formatAge(d.createdAt, Date.now(), lang)}
                    {t('report.ago')}
                  </Typography.Text>
                </Space>
                <div className="wm-merge-desc">{d.description}</div>
              </div>
              <Button onClick={() => void send(d.id)} loading={sending} data-testid="dup-merge">
                {t('report.dupMerge')}
              </Button>
            </div>
          ))}
        </div>
      </Modal>
    </div>
  );
}

function ReportDone({ result, onAgain }: { result: IntakeReply; onAgain: () => void }) {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const merged = result.status === 'merged';
  return (
    <div className="wm-page">
      <Result
        status="success"
        title={merged ? t('report.doneMerged') : t('report.done')}
        subTitle={
          <Space orientation="vertical" size={6} align="center">
            <Typography.Text>{t('report.caseNo')}</Typography.Text>
            <Typography.Title level={3} style={{ margin: 0 }} copyable data-testid="report-case-no">
              {result.caseNo}
            </Typography.Title>
            <Space size={6}>
              <CaseStatusTag status={result.status} />
              {result.status === 'dispatched' && result.unitName ? <Typography.Text>{t('report.dispatchedTo', { unit: result.unitName })}</Typography.Text> : null}
            </Space>
            {merged && result.mergedIntoId ? <Link to={`/cases/${result.mergedIntoId}`}>{t('case.mergedIntoLink')}</Link> : null}
            {result.rebound ? <Alert type="warning" showIcon title={t('report.rebound')} /> : null}
            <Typography.Text type="secondary">{t('report.follow', { status: label(CASE_STATE_LABELS[result.status]) })}</Typography.Text>
          </Space>
        }
        extra={[
          <Button key="open" type="primary" size="large" onClick={() => navigate(`/cases/${result.id}`)} data-testid="report-open-case">
            {t('report.openCase')}
          </Button>,
          <Button key="again" size="large" onClick={onAgain} data-testid="report-again">
            {t('report.again')}
          </Button>,
        ]}
        data-testid="report-done"
      />
    </div>
  );
}

/** An optional 点位, searched by name; the server matches the nearest point on its own when none is chosen. */
function PointSelect({ value, onChange }: { value?: number; onChange?: (id: number | undefined) => void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<Point[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  useEffect(() => {
    const id = ++seq.current;
    const q = search.trim();
    setLoading(true);
    const timer = setTimeout(() => {
      placeApi.points({ q: q || undefined, pageSize: 20 }).then(
        (page) => id === seq.current && (setOptions(page.items), setLoading(false)),
        () => id === seq.current && setLoading(false),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);
  const choices = useMemo(() => options.map((p) => ({ value: Number(p.id), label: `${p.name} · ${p.typeName}` })), [options]);
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={choices}
      loading={loading}
      placeholder={t('report.pointPlaceholder')}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      data-testid="report-point"
    />
  );
}
