import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { authApi } from '../api/endpoints.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { isStrongPassword, showFieldError } from '../lib/forms.js';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordForm({ onDone, submitLabel }: { onDone: () => void; submitLabel?: string }) {
  const { t, errorText } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      await authApi.changePassword(values.currentPassword, values.newPassword);
      form.resetFields();
      onDone();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'AUTH_WRONG_PASSWORD') form.setFields([{ name: 'currentPassword', errors: [errorText(err)] }]);
      else if (code === 'WEAK_PASSWORD') form.setFields([{ name: 'newPassword', errors: [errorText(err)] }]);
      else if (!showFieldError(form, err, errorText(err))) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="change-password-form">
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        extra={t('password.rule')}
        rules={[
          { required: true, message: t('password.newRequired') },
          { validator: async (_, v: string) => { if (v && !isStrongPassword(v)) throw new Error(t('password.rule')); } },
          ({ getFieldValue }) => ({
            validator: async (_, v: string) => {
              if (v && v === getFieldValue('currentPassword')) throw new Error(t('password.sameAsOld'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: async (_, v: string) => {
              if (v && v !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} /> : null}
      <Button type="primary" htmlType="submit" loading={busy} block data-testid="password-submit">
        {submitLabel ?? t('password.submit')}
      </Button>
    </Form>
  );
}
