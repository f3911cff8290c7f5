import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { adminApi } from '../api/endpoints.js';
import type { ApiKey } from '../api/types.js';
import { FormModal } from '../components/FormModal.js';
import { PageHeader } from '../components/PageHeader.js';
import { ResponsiveTable, stop, type Column } from '../components/ResponsiveTable.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { showFieldError } from '../lib/forms.js';
import { useAsync } from '../lib/hooks.js';

/** Where calls with a key come from; the source is stamped on what they create (e.g. 12345 hotline orders). */
const SOURCES = ['hotline_12345', 'open311', 'integration', 'other'] as const;

interface KeyForm {
  name: string;
  source: string;
  rateLimitPerMinute?: number | null;
}

const isRevoked = (k: ApiKey) => Boolean(k.revokedAt) || k.revoked === true;

export default function ApiKeysPage() {
  const { t, errorText, formatDateTime } = useI18n();
  const { message } = AntApp.useApp();
  const keys = useAsync(async () => {
    const reply = await adminApi.apiKeys();
    return Array.isArray(reply) ? reply : (reply.items ?? []);
  }, []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<KeyForm>();

  const sourceLabel = (s: string | null | undefined) => (s && (SOURCES as readonly string[]).includes(s) ? t(`apiKey.source.${s as (typeof SOURCES)[number]}`) : (s ?? '—'));

  const create = async (values: KeyForm) => {
    setBusy(true);
    try {
      const reply = await adminApi.createApiKey(values.name.trim(), values.source, values.rateLimitPerMinute ?? undefined);
      setCreating(false);
      form.resetFields();
      setCreated({ name: values.name.trim(), key: reply.key });
      keys.reload();
    } catch (err) {
      if (!showFieldError(form, err, errorText(err))) message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (k: ApiKey) => {
    try {
      await adminApi.revokeApiKey(k.id);
      message.success(t('apiKey.revoked'));
      keys.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const columns: Column<ApiKey>[] = [
    { title: t('apiKey.name'), dataIndex: 'name', mobile: 'title' },
    { title: t('apiKey.source'), dataIndex: 'source', render: (s: string | null) => sourceLabel(s) },
    { title: t('apiKey.prefix'), dataIndex: 'prefix', render: (p: string | null) => (p ? <Typography.Text code>{p}…</Typography.Text> : '—') },
    { title: t('apiKey.rateLimit'), dataIndex: 'rateLimitPerMinute', align: 'right', render: (n: number | null | undefined) => n ?? '—' },
    { title: t('apiKey.createdAt'), dataIndex: 'createdAt', render: (v: string | null) => formatDateTime(v) },
    { title: t('apiKey.lastUsedAt'), dataIndex: 'lastUsedAt', render: (v: string | null) => formatDateTime(v) },
    {
      title: t('common.status'),
      key: 'status',
      render: (_: unknown, k) => (isRevoked(k) ? <Tag>{t('apiKey.statusRevoked')}</Tag> : <Tag color="green">{t('common.active')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, k) =>
        isRevoked(k) ? null : (
          <span onClick={stop}>
            <Popconfirm title={t('apiKey.revokeConfirm', { name: k.name })} description={t('apiKey.revokeHint')} okButtonProps={{ danger: true }} onConfirm={() => revoke(k)}>
              <Button type="link" danger size="small" icon={<StopOutlined />} data-testid="api-key-revoke">
                {t('apiKey.revoke')}
              </Button>
            </Popconfirm>
          </span>
        ),
    },
  ];

  return (
    <div className="wm-page">
      <PageHeader
        title={t('nav.apiKeys')}
        subtitle={t('apiKey.intro')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="api-key-create">
            {t('apiKey.create')}
          </Button>
        }
      />
      {keys.error ? <Alert type="error" showIcon title={errorText(keys.error)} style={{ marginBottom: 12 }} /> : null}
      <ResponsiveTable<ApiKey> testId="api-keys" columns={columns} data={keys.data} loading={keys.loading} rowKey={(k) => String(k.id)} />
      <FormModal<KeyForm>
        open={creating}
        title={t('apiKey.create')}
        form={form}
        onCancel={() => setCreating(false)}
        onFinish={create}
        okText={t('common.create')}
        busy={busy}
        width={480}
        initialValues={{ source: 'integration' }}
      >
        <Form.Item name="name" label={t('apiKey.name')} rules={[{ required: true, whitespace: true, message: t('apiKey.nameRequired') }, { max: 100 }]}>
          <Input placeholder={t('apiKey.namePlaceholder')} data-testid="api-key-name" />
        </Form.Item>
        <Form.Item name="source" label={t('apiKey.source')} rules={[{ required: true }]}>
          <Select options={SOURCES.map((s) => ({ value: s, label: sourceLabel(s) }))} />
        </Form.Item>
        <Form.Item name="rateLimitPerMinute" label={t('apiKey.rateLimit')} extra={t('apiKey.rateLimitHint')}>
          <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </FormModal>
      <Modal
        open={Boolean(created)}
        title={t('apiKey.createdTitle', { name: created?.name ?? '' })}
        onCancel={() => setCreated(null)}
        footer={<Button type="primary" onClick={() => setCreated(null)}>{t('apiKey.saved')}</Button>}
        maskClosable={false}
      >
        <Alert type="warning" showIcon title={t('apiKey.showOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: created?.key ?? '' }} data-testid="api-key-value">
          <Typography.Text code style={{ wordBreak: 'break-all' }}>
            {created?.key}
          </Typography.Text>
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('apiKey.usage')}
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}
