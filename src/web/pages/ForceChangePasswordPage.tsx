import { Alert, Button, Card, Typography, App as AntApp } from 'antd';
import { useSession, useUser } from '../auth/SessionProvider.js';
import { ChangePasswordForm } from '../components/ChangePasswordForm.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useDocumentTitle } from '../lib/hooks.js';

/** Shown instead of the console while the account still has a temporary or reset password. */
export default function ForceChangePasswordPage() {
  const { t } = useI18n();
  const user = useUser();
  const session = useSession();
  const { message } = AntApp.useApp();
  useDocumentTitle(`${t('password.forceTitle')} · ${t('app.shortName')}`);

  return (
    <div className="wm-login" data-testid="force-password">
      <div className="wm-login-top">
        <LanguageSwitch />
      </div>
      <div className="wm-login-inner wm-login-single">
        <Card className="wm-login-card" variant="borderless">
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('password.forceTitle')}
          </Typography.Title>
          <Alert type="warning" showIcon title={t('password.forceHint', { name: user.displayName })} style={{ marginBottom: 16 }} />
          <ChangePasswordForm
            submitLabel={t('password.forceSubmit')}
            onDone={async () => {
              message.success(t('password.changed'));
              await session.refresh();
            }}
          />
          <Button type="link" block onClick={() => void session.logout()} style={{ marginTop: 8 }}>
            {t('auth.logout')}
          </Button>
        </Card>
      </div>
    </div>
  );
}
