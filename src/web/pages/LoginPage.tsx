import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client.js';
import type { DemoLogin } from '../api/types.js';
import { useSession } from '../auth/SessionProvider.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { roleLabel } from '../components/OrgKindTag.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useDocumentTitle } from '../lib/hooks.js';
import { safeNext } from '../lib/validation.js';

interface Values {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t, lang, errorText } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(`${t('login.submit')} · ${t('app.name')}`);

  const next = safeNext(params.get('next') ?? (location.state as { from?: string } | null)?.from ?? null);

  useEffect(() => {
    setError(null);
  }, [lang]);

  if (session.status === 'signed-in') return <Navigate to={next} replace />;

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      await session.login(values.username.trim(), values.password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  const fill = (login: DemoLogin) => {
    form.setFieldsValue({ username: login.username, password: login.password });
    setError(null);
  };

  const errorTitle = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'AUTH_INVALID_CREDENTIALS') return t('login.errorTitle.credentials');
    if (err instanceof ApiError && err.code === 'AUTH_LOCKED') return t('login.errorTitle.locked');
    if (err instanceof ApiError && err.code === 'RATE_LIMITED') return t('login.errorTitle.rateLimited');
    return t('login.errorTitle.other');
  };

  const demoLogins = session.meta?.demo ? (session.meta.demoLogins ?? []) : [];
  // The demo gives every account the same password: say it once instead of repeating it on every row.
  const sharedPassword = demoLogins.length > 1 && demoLogins.every((d) => d.password === demoLogins[0].password) ? demoLogins[0].password : null;

  return (
    <div className="wm-login">
      <div className="wm-login-top">
        <LanguageSwitch />
      </div>
      <div className="wm-login-inner">
        <section className="wm-login-brand">
          <div className="wm-login-logo" aria-hidden>
            文
          </div>
          <Typography.Title level={2} className="wm-login-title">
            {t('app.name')}
          </Typography.Title>
          <Typography.Paragraph className="wm-login-tagline">{t('login.tagline')}</Typography.Paragraph>
        </section>

        <Card className="wm-login-card" variant="borderless">
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('login.heading')}
          </Typography.Title>
          {session.expired ? <Alert type="info" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} /> : null}
          {session.startupError ? (
            <Alert type="warning" showIcon title={errorText(session.startupError)} style={{ marginBottom: 16 }} />
          ) : null}
          <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="login-form" size="large">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            {error ? (
              <Alert
                type="error"
                showIcon
                title={errorTitle(error)}
                description={errorText(error)}
                style={{ marginBottom: 16 }}
                data-testid="login-error"
              />
            ) : null}
            <Button type="primary" htmlType="submit" block loading={busy || session.status === 'loading'} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>

          {demoLogins.length ? (
            <div className="wm-demo-logins" data-testid="demo-logins">
              <Typography.Text strong>{t('login.demoTitle')}</Typography.Text>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                {t('login.demoHint')}
                {sharedPassword ? (
                  <>
                    {' '}
                    {t('login.demoSharedPassword')} <Typography.Text code data-testid="demo-password">{sharedPassword}</Typography.Text>
                  </>
                ) : null}
              </Typography.Paragraph>
              <Table<DemoLogin>
                size="small"
                rowKey="username"
                dataSource={demoLogins}
                pagination={false}
                scroll={{ y: 300 }}
                onRow={(row) =>
                  ({
                    onClick: () => fill(row),
                    style: { cursor: 'pointer' },
                    'data-testid': `demo-login-${row.username}`,
                  }) as React.HTMLAttributes<HTMLElement>
                }
                columns={[
                  { title: t('login.role'), dataIndex: 'role', render: (role: string) => <Tag>{roleLabel(lang, role)}</Tag> },
                  { title: t('login.username'), dataIndex: 'username', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
                  ...(sharedPassword
                    ? [{ title: t('login.person'), dataIndex: 'displayName', render: (v: string | undefined) => v ?? '' }]
                    : [{ title: t('login.password'), dataIndex: 'password', render: (v: string) => <Typography.Text code>{v}</Typography.Text> }]),
                ]}
              />
            </div>
          ) : null}
        </Card>
      </div>
      <footer className="wm-login-footer">{t('login.footer')}</footer>
    </div>
  );
}
