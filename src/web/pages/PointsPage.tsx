import {
  AimOutlined, DownloadOutlined, EditOutlined, EnvironmentOutlined, GlobalOutlined, PlusOutlined, StopOutlined, UploadOutlined,
} from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, Col, Descriptions, Drawer, Flex, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space,
  Spin, Tag, Typography,
} from 'antd';
import type { Geometry } from 'geojson';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client.js';
import { placeApi } from '../api/endpoints.js';
import type { Located, Point, PointType } from '../api/types.js';
import { useUser } from '../auth/SessionProvider.js';
import { ImportDialog } from '../components/ImportDialog.js';
import { OrgTreeSelect } from '../components/OrgTreeSelect.js';
import { FilterBar } from '../components/FilterBar.js';
import { PageHeader } from '../components/PageHeader.js';
import { stop, type Column } from '../components/ResponsiveTable.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { mayEditPlaces } from '../layout/navigation.js';
import { showFieldError } from '../lib/forms.js';
import { toId } from '../lib/orgTree.js';
import { useAsync, useIsMobile, useListParams } from '../lib/hooks.js';
import { bindFilter } from '../lib/listFilters.js';
import { invalidateLayers, useOrgNodes, usePointTypes } from '../lib/referenceData.js';
import { colourAt, labelPoint } from '../map/geo.js';
import { useCommunityOptions } from './GridsPage.js';
import { PagedTable } from '../components/PagedTable.js';

// The small maps load Leaflet; only pull it in when a drawer or dialog opens.
const LocationPicker = lazy(() => import('../map/LocationPicker.js'));

function MapFallback({ height }: { height: number }) {
  return (
    <div className="wm-picker-map wm-map-fallback" style={{ height }}>
      <Spin />
    </div>
  );
}

export default function PointsPage() {
  const { t, label } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const canEdit = mayEditPlaces(user.role);
  const list = useListParams(['q', 'type', 'communityId', 'gridId', 'id']);
  const { types, byCode } = usePointTypes();
  const communities = useCommunityOptions();
  const apiQuery = useMemo(() => {
    const { id: _id, ...rest } = list.query;
    return rest;
  }, [list.query]);
  const points = useAsync(() => placeApi.points(apiQuery), [JSON.stringify(apiQuery)]);
  const [editing, setEditing] = useState<Point | 'new' | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const openId = list.get('id');

  const communityId = list.get('communityId');
  // Grid choices come from the org tree already loaded (grids are org nodes), narrowed to the chosen community.
  const { nodes: orgNodes, loading: orgLoading } = useOrgNodes();
  const gridChoices = useMemo(
    () =>
      orgNodes
        .filter((n) => n.kind === 'grid' && n.active && (!communityId || String(n.parentId) === communityId))
        .sort((a, b) => (a.code ?? '').localeCompare(b.code ?? ''))
        .map((n) => ({ value: String(n.id), label: n.name })),
    [orgNodes, communityId],
  );

  const typeIndex = useMemo(() => new Map(types.map((pt, i) => [pt.code, i])), [types]);
  const typeTag = (code: string, name?: string) => (
    <Tag color={colourAt(typeIndex.get(code) ?? 0)} variant="solid">
      {label(byCode.get(code)) || name || code}
    </Tag>
  );

  const setOpenId = (id: string | null) => {
    const params = new URLSearchParams(window.location.search);
    if (id) params.set('id', id);
    else params.delete('id');
    navigate({ search: params.toString() }, { replace: !id });
  };

  const columns: Column<Point>[] = [
    { title: t('point.name'), dataIndex: 'name', mobile: 'title', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('point.type'), dataIndex: 'typeCode', render: (code: string, p) => typeTag(code, p.typeName) },
    { title: t('point.community'), dataIndex: 'communityName' },
    { title: t('point.grid'), dataIndex: 'gridName' },
    { title: t('point.guard'), dataIndex: 'guardOrgName' },
    { title: t('point.responsible'), dataIndex: 'responsibleName' },
    { title: t('point.responsiblePhone'), dataIndex: 'responsiblePhone', mobile: 'hide' },
    { title: t('point.address'), dataIndex: 'address', mobile: 'hide', ellipsis: true, width: 220 },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, p) => (
        <Space size={0} onClick={stop}>
          <Button type="link" size="small" icon={<GlobalOutlined />} onClick={() => navigate(`/map?point=${encodeURIComponent(String(p.id))}`)}>
            {t('grid.onMap')}
          </Button>
          {canEdit ? (
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid="point-edit">
              {t('common.edit')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <div className="wm-page">
      <PageHeader
        title={t('nav.points')}
        subtitle={!canEdit ? t('common.readOnly') : undefined}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={placeApi.pointsExportUrl(apiQuery.type ? { type: apiQuery.type } : undefined)} data-testid="point-export">
              {t('point.export')}
            </Button>
            {canEdit ? (
              <>
                <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="point-import">
                  {t('point.import')}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="point-create">
                  {t('point.create')}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <FilterBar search={{ list, placeholder: t('point.search'), testId: 'filter-q' }}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'title' }}
          placeholder={t('point.type')}
          {...bindFilter(list, 'type')}
          options={types.map((pt, i) => ({
            value: pt.code,
            title: label(pt),
            label: (
              <Space size={6}>
                <span className="wm-legend-swatch" style={{ background: colourAt(i) }} />
                {label(pt)}
              </Space>
            ),
          }))}
          className="wm-filter wm-filter-wide"
          data-testid="filter-type"
          popupMatchSelectWidth={false}
        />
        {communities.length > 1 || communityId ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('point.community')}
            options={communities}
            {...bindFilter(list, 'communityId', ['gridId'])}
            className="wm-filter"
            data-testid="filter-community"
          />
        ) : null}
        {gridChoices.length > 1 || list.get('gridId') ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('point.grid')}
            loading={orgLoading}
            options={gridChoices}
            {...bindFilter(list, 'gridId')}
            className="wm-filter"
            data-testid="filter-grid"
            popupMatchSelectWidth={false}
          />
        ) : null}
      </FilterBar>
      <PagedTable<Point>
        result={points}
        list={list}
        testId="points"
        columns={columns}
        rowKey={(p) => String(p.id)}
        onRowClick={(p) => setOpenId(String(p.id))}
      />
      <PointDrawer
        id={openId || null}
        canEdit={canEdit}
        typeTag={typeTag}
        onClose={() => setOpenId(null)}
        onEdit={(p) => setEditing(p)}
        onChanged={() => points.reload()}
      />
      {editing ? (
        <PointDialog
          point={editing === 'new' ? null : editing}
          types={types}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            message.success(t('common.saved'));
            invalidateLayers();
            points.reload();
            setOpenId(String(saved.id));
          }}
        />
      ) : null}
      <ImportDialog
        open={importOpen}
        title={t('point.import')}
        accept=".xlsx,.geojson,.json"
        hint={t('point.importHint')}
        upload={placeApi.importPoints}
        onClose={() => setImportOpen(false)}
        onImported={() => points.reload()}
      />
    </div>
  );
}

function formatAttr(value: unknown, unit?: string): string {
  if (value === null || value === undefined || value === '') return '—';
  return unit ? `${String(value)} ${unit}` : String(value);
}

interface PointDrawerProps {
  id: string | null;
  canEdit: boolean;
  typeTag: (code: string, name?: string) => React.ReactNode;
  onClose: () => void;
  onEdit: (p: Point) => void;
  onChanged: () => void;
}

function PointDrawer({ id, canEdit, typeTag, onClose, onEdit, onChanged }: PointDrawerProps) {
  const { t, label, errorText } = useI18n();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const { byCode } = usePointTypes();
  const detail = useAsync(() => (id ? placeApi.point(id) : Promise.resolve(undefined)), [id]);
  const p = detail.data;
  const type = p ? byCode.get(p.typeCode) : undefined;

  const deactivate = async () => {
    if (!p) return;
    try {
      await placeApi.deactivatePoint(p.id, p.version);
      message.success(t('point.deactivated'));
      invalidateLayers();
      onChanged();
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        detail.reload();
      } else message.error(errorText(err));
    }
  };

  return (
    <Drawer
      open={Boolean(id)}
      onClose={onClose}
      size={isMobile ? '100%' : 520}
      title={p?.name ?? t('point.details')}
      data-testid="point-drawer"
      extra={
        p && canEdit ? (
          <Space>
            <Button icon={<EditOutlined />} onClick={() => onEdit(p)} data-testid="point-drawer-edit">
              {t('common.edit')}
            </Button>
            <Popconfirm title={t('point.deactivateConfirm', { name: p.name })} okButtonProps={{ danger: true }} onConfirm={deactivate}>
              <Button danger icon={<StopOutlined />} aria-label={t('point.deactivate')} />
            </Popconfirm>
          </Space>
        ) : null
      }
    >
      {detail.loading && !p ? <Spin style={{ display: 'block', padding: 48 }} /> : null}
      {detail.error ? <Alert type="error" showIcon title={errorText(detail.error)} /> : null}
      {p ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions
            size="small"
            column={1}
            bordered
            styles={{ label: { width: 110 } }}
            items={[
              { key: 'type', label: t('point.type'), children: typeTag(p.typeCode, p.typeName) },
              { key: 'community', label: t('point.community'), children: p.communityName ?? '—' },
              { key: 'grid', label: t('point.grid'), children: [p.gridName, p.microGridName].filter(Boolean).join(' / ') || '—' },
              { key: 'guard', label: t('point.guard'), children: p.guardOrgName ?? '—' },
              { key: 'responsible', label: t('point.responsible'), children: [p.responsibleName, p.responsiblePhone].filter(Boolean).join(' · ') || '—' },
              { key: 'address', label: t('point.address'), children: p.address || '—' },
              { key: 'coords', label: t('point.coordinates'), children: <Typography.Text copyable>{`${p.lat.toFixed(6)}, ${p.lng.toFixed(6)}`}</Typography.Text> },
              ...(type?.fields ?? []).map((f) => ({
                key: `attr-${f.key}`,
                label: label(f),
                children: formatAttr(p.attrs?.[f.key], f.unit),
              })),
            ]}
          />
          <Suspense fallback={<MapFallback height={240} />}>
            <LocationPicker kind={type?.geometryKind ?? 'point'} value={p.geometry ?? { type: 'Point', coordinates: [p.lng, p.lat] }} height={240} testId="point-map" />
          </Suspense>
          <Button block icon={<GlobalOutlined />} onClick={() => navigate(`/map?point=${encodeURIComponent(String(p.id))}`)}>
            {t('point.openOnMap')}
          </Button>
        </Space>
      ) : null}
    </Drawer>
  );
}

interface PointFormValues {
  name: string;
  typeCode: string;
  guardOrgId?: string;
  responsibleName?: string;
  responsiblePhone?: string;
  address?: string;
  attrs?: Record<string, number | string | null>;
  lat?: number | null;
  lng?: number | null;
}

function representative(geometry: Geometry | null): { lat: number; lng: number } | null {
  if (!geometry) return null;
  const at = labelPoint(geometry);
  return at ? { lng: at[0], lat: at[1] } : null;
}

function PointDialog({ point, types, onClose, onSaved }: { point: Point | null; types: PointType[]; onClose: () => void; onSaved: (p: Point) => void }) {
  const { t, label, errorText } = useI18n();
  const { message, modal } = AntApp.useApp();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<PointFormValues>();
  const [busy, setBusy] = useState(false);
  const full = useAsync(() => (point ? placeApi.point(point.id) : Promise.resolve(null)), [point?.id]);
  const original = full.data ?? null;
  const [geometry, setGeometry] = useState<Geometry | null>(null);
  const [geometryTouched, setGeometryTouched] = useState(false);
  const [locationError, setLocationError] = useState<unknown>(null);
  const [located, setLocated] = useState<Located | null>(null);
  const [locating, setLocating] = useState(false);
  const typeCode = Form.useWatch('typeCode', form) as string | undefined;
  const type = types.find((pt) => pt.code === typeCode);
  const kind = type?.geometryKind ?? 'point';

  useEffect(() => {
    if (original) {
      setGeometry(original.geometry ?? { type: 'Point', coordinates: [original.lng, original.lat] });
      form.setFieldsValue({ lat: original.lat, lng: original.lng });
    }
  }, [original, form]);

  // Tell the person at once which grid the location falls in, or that it is outside every grid.
  useEffect(() => {
    const at = representative(geometry);
    setLocationError(null);
    setLocated(null);
    if (!at) return;
    let live = true;
    const timer = setTimeout(() => {
      placeApi.locate(at.lat, at.lng).then(
        (r) => live && setLocated(r),
        (err: unknown) => live && setLocationError(err),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [geometry]);

  const kindOf = (g: Geometry | null) => (!g ? null : g.type.includes('Point') ? 'point' : g.type.includes('Line') ? 'line' : 'polygon');

  // A different geometry kind (point → polygon) cannot keep the old drawing.
  const changeType = (code: string) => {
    const nextKind = types.find((pt) => pt.code === code)?.geometryKind ?? 'point';
    if (geometry && kindOf(geometry) !== nextKind) {
      setGeometry(null);
      setGeometryTouched(true);
    }
  };

  const changeGeometry = (g: Geometry | null) => {
    setGeometry(g);
    setGeometryTouched(true);
    if (g?.type === 'Point') form.setFieldsValue({ lng: g.coordinates[0], lat: g.coordinates[1] });
  };

  const typedCoordinates = () => {
    const { lat, lng } = form.getFieldsValue(['lat', 'lng']);
    if (typeof lat === 'number' && typeof lng === 'number') {
      setGeometry({ type: 'Point', coordinates: [lng, lat] });
      setGeometryTouched(true);
    }
  };

  const useMyLocation = () => {
    if (!navigator.geolocation) {
      message.warning(t('picker.noGeolocation'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        // Browser positions are WGS-84, the same datum we store.
        changeGeometry({ type: 'Point', coordinates: [Math.round(pos.coords.longitude * 1e7) / 1e7, Math.round(pos.coords.latitude * 1e7) / 1e7] });
      },
      () => {
        setLocating(false);
        message.warning(t('picker.geolocationFailed'));
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  };

  const submit = async (values: PointFormValues) => {
    if (!geometry) {
      setLocationError(new ApiError({ status: 400, code: 'LOCATION_REQUIRED', message: t('point.locationRequired') }));
      return;
    }
    setBusy(true);
    const attrs: Record<string, unknown> = {};
    for (const f of type?.fields ?? []) {
      const v = values.attrs?.[f.key];
      if (v !== undefined && v !== null && v !== '') attrs[f.key] = v;
    }
    const body: Record<string, unknown> = {
      name: values.name.trim(),
      typeCode: values.typeCode,
      guardOrgId: values.guardOrgId ? toId(values.guardOrgId) : null,
      responsibleName: values.responsibleName?.trim() || null,
      address: values.address?.trim() || null,
      attrs,
    };
    // Masked phones (138****1234) must not be written back over the real number.
    if (!original || values.responsiblePhone !== original.responsiblePhone) body.responsiblePhone = values.responsiblePhone?.trim() || null;
    if (!original || geometryTouched) body.geometry = geometry;
    try {
      const saved = original ? await placeApi.updatePoint(original.id, original.version, body) : await placeApi.createPoint(body);
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'OUTSIDE_GRIDS') setLocationError(err);
      else if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        onClose();
      } else if (!showFieldError(form, err, errorText(err), { geometry: 'lat' })) message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const initialValues: PointFormValues | undefined = original
    ? {
        name: original.name,
        typeCode: original.typeCode,
        guardOrgId: original.guardOrgId !== null ? String(original.guardOrgId) : undefined,
        responsibleName: original.responsibleName ?? '',
        responsiblePhone: original.responsiblePhone ?? '',
        address: original.address ?? '',
        attrs: (original.attrs ?? {}) as Record<string, number | string | null>,
        lat: original.lat,
        lng: original.lng,
      }
    : undefined;

  return (
    <Modal
      open
      title={point ? t('point.editTitle', { name: point.name }) : t('point.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={point ? t('common.save') : t('common.create')}
      okButtonProps={{ 'data-testid': 'point-save' } as Record<string, string>}
      confirmLoading={busy}
      width={isMobile ? '100%' : 860}
      style={isMobile ? { top: 0, maxWidth: '100vw', paddingBottom: 0 } : undefined}
      destroyOnHidden
    >
      {point && full.loading ? (
        <Spin style={{ display: 'block', padding: 48 }} />
      ) : (
        <Form<PointFormValues> form={form} layout="vertical" onFinish={submit} initialValues={initialValues} data-testid="point-form">
          <Row gutter={16}>
            <Col xs={24} md={11}>
              <Form.Item name="name" label={t('point.name')} rules={[{ required: true, whitespace: true, message: t('point.nameRequired') }, { max: 100 }]}>
                <Input data-testid="point-field-name" />
              </Form.Item>
              <Form.Item name="typeCode" label={t('point.type')} rules={[{ required: true, message: t('point.typeRequired') }]}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  options={types.map((pt) => ({ value: pt.code, label: label(pt) }))}
                  onChange={changeType}
                  data-testid="point-field-type"
                />
              </Form.Item>
              <Form.Item name="guardOrgId" label={t('point.guard')} extra={t('point.guardHint')}>
                <OrgTreeSelect hiddenKinds={['micro_grid', 'grid']} testId="point-field-guard" />
              </Form.Item>
              <Row gutter={8}>
                <Col span={12}>
                  <Form.Item name="responsibleName" label={t('point.responsible')} rules={[{ max: 50 }]}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="responsiblePhone" label={t('point.responsiblePhone')} rules={[{ pattern: /^(\d{11}|[\d*]{11}|[\d\-+ ]{5,20})$/, message: t('common.phoneInvalid') }]}>
                    <Input inputMode="tel" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="address" label={t('point.address')} rules={[{ max: 200 }]}>
                <Input />
              </Form.Item>
              {type?.fields.length ? (
                <Row gutter={8}>
                  {type.fields.map((f) => (
                    <Col span={12} key={f.key}>
                      <Form.Item name={['attrs', f.key]} label={label(f)}>
                        {f.type === 'string' ? (
                          <Input />
                        ) : (
                          <InputNumber min={f.min} max={f.max} precision={f.type === 'integer' ? 0 : undefined} suffix={f.unit} style={{ width: '100%' }} />
                        )}
                      </Form.Item>
                    </Col>
                  ))}
                </Row>
              ) : null}
            </Col>
            <Col xs={24} md={13}>
              <Form.Item label={t('point.location')} required style={{ marginBottom: 8 }}>
                <Suspense fallback={<MapFallback height={isMobile ? 260 : 330} />}>
                  <LocationPicker kind={kind} value={geometry} onChange={changeGeometry} height={isMobile ? 260 : 330} testId="point-location-map" />
                </Suspense>
              </Form.Item>
              {kind === 'point' ? (
                <Flex gap={8} align="flex-end" wrap>
                  <Form.Item name="lat" label={t('point.lat')} style={{ marginBottom: 8, flex: 1, minWidth: 120 }} rules={[{ type: 'number', min: -90, max: 90 }]}>
                    <InputNumber step={0.0001} precision={7} style={{ width: '100%' }} onBlur={typedCoordinates} onPressEnter={typedCoordinates} data-testid="point-field-lat" />
                  </Form.Item>
                  <Form.Item name="lng" label={t('point.lng')} style={{ marginBottom: 8, flex: 1, minWidth: 120 }} rules={[{ type: 'number', min: -180, max: 180 }]}>
                    <InputNumber step={0.0001} precision={7} style={{ width: '100%' }} onBlur={typedCoordinates} onPressEnter={typedCoordinates} data-testid="point-field-lng" />
                  </Form.Item>
                  <Button icon={<AimOutlined />} loading={locating} onClick={useMyLocation} style={{ marginBottom: 8 }}>
                    {t('picker.myLocation')}
                  </Button>
                </Flex>
              ) : null}
              {locationError ? (
                <Alert type="error" showIcon title={errorText(locationError)} description={(locationError as ApiError).code === 'OUTSIDE_GRIDS' ? t('point.outsideHint') : undefined} data-testid="point-location-error" />
              ) : located ? (
                <Alert
                  type="success"
                  showIcon
                  icon={<EnvironmentOutlined />}
                  title={t('point.locatedIn', {
                    community: located.community?.name ?? '—',
                    grid: [located.grid?.name, located.microGrid?.name].filter(Boolean).join(' / ') || '—',
                  })}
                  data-testid="point-located"
                />
              ) : null}
            </Col>
          </Row>
        </Form>
      )}
    </Modal>
  );
}
