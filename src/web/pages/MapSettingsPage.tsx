import { Alert, App as AntApp, Button, Card, Col, Dropdown, Form, Input, Radio, Row, Space, Spin, Typography } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { lazy, Suspense, useEffect, useState } from 'react';
import { adminApi } from '../api/endpoints.js';
import type { Settings, TileCrs } from '../api/types.js';
import { useSession, useUser } from '../auth/SessionProvider.js';
import { PageHeader } from '../components/PageHeader.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { mayEditSettings } from '../layout/navigation.js';
import { showFieldError } from '../lib/forms.js';
import { useAsync } from '../lib/hooks.js';
import { validTileUrl } from '../lib/validation.js';

const LocationPicker = lazy(() => import('../map/LocationPicker.js'));

/** Common basemaps, as starting points; each needs the network (and a key for Tianditu). */
const PRESETS: { key: string; zh: string; en: string; url: string; crs: TileCrs }[] = [
  { key: 'none', zh: '无底图（离线矢量）', en: 'No basemap (offline vectors)', url: '', crs: 'WGS84' },
  { key: 'amap', zh: '高德地图（GCJ-02）', en: 'AMap (GCJ-02)', url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}', crs: 'GCJ02' },
  { key: 'tianditu', zh: '天地图矢量（CGCS2000，需密钥）', en: 'Tianditu vector (CGCS2000, key needed)', url: 'https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=YOUR_KEY', crs: 'WGS84' },
  { key: 'osm', zh: 'OpenStreetMap（WGS-84）', en: 'OpenStreetMap (WGS-84)', url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', crs: 'WGS84' },
];

interface Values {
  tileUrl: string;
  tileCrs: TileCrs;
}

export default function MapSettingsPage() {
  const { t, lang, errorText } = useI18n();
  const user = useUser();
  const session = useSession();
  const { message } = AntApp.useApp();
  const canEdit = mayEditSettings(user.role);
  const settings = useAsync(() => adminApi.settings(), []);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<{ url: string | null; crs: TileCrs } | null>(null);
  const tileUrl = Form.useWatch('tileUrl', form) as string | undefined;
  const tileCrs = (Form.useWatch('tileCrs', form) as TileCrs | undefined) ?? 'WGS84';

  useEffect(() => {
    if (settings.data) {
      form.setFieldsValue({ tileUrl: settings.data.tileUrl ?? '', tileCrs: settings.data.tileCrs ?? 'WGS84' });
      setPreview({ url: settings.data.tileUrl ?? null, crs: settings.data.tileCrs ?? 'WGS84' });
    }
  }, [settings.data, form]);

  const save = async (values: Values) => {
    setBusy(true);
    try {
      const next: Settings = { tileUrl: values.tileUrl.trim() || null, tileCrs: values.tileCrs };
      const saved = await adminApi.saveSettings(next);
      settings.setData(saved ?? next);
      await session.reloadMeta().catch(() => undefined);
      message.success(t('common.saved'));
    } catch (err) {
      if (!showFieldError(form, err, errorText(err))) message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="wm-page">
      <PageHeader title={t('nav.settingsMap')} subtitle={t('settings.mapIntro')} />
      {settings.error ? <Alert type="error" showIcon title={errorText(settings.error)} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={11}>
          <Card size="small" title={t('settings.basemap')}>
            <Spin spinning={settings.loading}>
              <Form<Values> form={form} layout="vertical" onFinish={save} disabled={!canEdit} initialValues={{ tileUrl: '', tileCrs: 'WGS84' }} data-testid="settings-form">
                <Form.Item label={t('settings.preset')}>
                  <Dropdown
                    menu={{
                      items: PRESETS.map((p) => ({ key: p.key, label: lang === 'en-US' ? p.en : p.zh })),
                      onClick: ({ key }) => {
                        const p = PRESETS.find((x) => x.key === key);
                        if (p) form.setFieldsValue({ tileUrl: p.url, tileCrs: p.crs });
                      },
                    }}
                  >
                    <Button>
                      <Space>
                        {t('settings.choosePreset')}
                        <DownOutlined />
                      </Space>
                    </Button>
                  </Dropdown>
                </Form.Item>
                <Form.Item
                  name="tileUrl"
                  label={t('settings.tileUrl')}
                  extra={t('settings.tileUrlHint')}
                  rules={[{ validator: async (_, v: string) => { if (v && !validTileUrl(v.trim())) throw new Error(t('settings.tileUrlInvalid')); } }]}
                >
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} placeholder="https://…/{z}/{x}/{y}.png" data-testid="settings-tile-url" />
                </Form.Item>
                <Form.Item name="tileCrs" label={t('settings.tileCrs')} extra={t('settings.tileCrsHint')}>
                  <Radio.Group
                    options={[
                      { value: 'WGS84', label: t('settings.crsWgs84') },
                      { value: 'GCJ02', label: t('settings.crsGcj02') },
                    ]}
                    data-testid="settings-tile-crs"
                  />
                </Form.Item>
                <Space wrap>
                  <Button onClick={() => setPreview({ url: tileUrl?.trim() || null, crs: tileCrs })} disabled={Boolean(tileUrl) && !validTileUrl(tileUrl?.trim() ?? '')}>
                    {t('settings.preview')}
                  </Button>
                  {canEdit ? (
                    <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">
                      {t('common.save')}
                    </Button>
                  ) : null}
                </Space>
              </Form>
            </Spin>
          </Card>
        </Col>
        <Col xs={24} lg={13}>
          <Card size="small" title={t('settings.previewTitle')}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {preview?.url ? t('settings.previewWith', { crs: preview.crs }) : t('settings.previewNone')}
            </Typography.Paragraph>
            {preview ? (
              <Suspense fallback={<Spin />}>
                <LocationPicker kind="point" value={null} tile={preview} height={360} testId="settings-preview-map" />
              </Suspense>
            ) : null}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
