import { useI18n } from '../../i18n/I18nProvider.js';
import { CaseQueuesPage } from './GridWorkPage.js';

/** 我的上报 for inspectors and the citizen patrol: what they reported and where it stands. */
export default function MyReportsPage() {
  const { t } = useI18n();
  return <CaseQueuesPage queues={['mine']} title={t('nav.myReports')} />;
}
