// The 离线模式 banner: shown above every screen while the app runs as the remembered user without a confirmed
// session (the server could not be reached at start-up). It goes away by itself once the server answers.
import { DisconnectOutlined } from '@ant-design/icons';
import { Alert } from 'antd';
import { useI18n } from '../i18n/I18nProvider.js';
import { useSession } from './SessionProvider.js';

export function OfflineModeBanner() {
  const { offline, user } = useSession();
  const { t } = useI18n();
  if (!offline || !user) return null;
  return (
    <Alert
      banner
      type="warning"
      showIcon
      icon={<DisconnectOutlined />}
      title={t('offline.mode', { name: user.displayName })}
      data-testid="offline-mode-banner"
      style={{ fontSize: 13 }}
    />
  );
}
