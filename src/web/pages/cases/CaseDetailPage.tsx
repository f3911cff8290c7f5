import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { NotFoundPage } from '../NotFoundPage.js';
import { CaseDetailView } from './CaseDetailView.js';

/** /cases/:id — one case, for every role that may see it. */
export default function CaseDetailPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { id } = useParams();
  useDocumentTitle(`${t('case.detailTitle')} · ${t('app.shortName')}`);
  if (!id || !/^\d+$/.test(id)) return <NotFoundPage />;
  return (
    <div className="wm-page">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/'))}
        style={{ paddingInline: 0, marginBottom: 4 }}
        data-testid="case-back"
      >
        {t('common.back')}
      </Button>
      <CaseDetailView id={id} />
    </div>
  );
}
