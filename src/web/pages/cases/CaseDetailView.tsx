// One case for everyone who may see it: number, status, category, source, deadline and work time left, the place
// on a map, 整改前/整改后 photos side by side, the history, merged reports, the rebound link, and the actions the
// caller may take. Used as a page (/cases/:id) and inside the dispatcher's drawer.
import { CheckCircleOutlined, LinkOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Descriptions, Empty, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { CASE_MARK_LABELS } from '../../../core/cases/index.js';
import { caseApi, isVisibleDetail, type CaseDetail, type TransitionReply } from '../../api/cases.js';
import { CaseActions } from '../../components/cases/CaseActions.js';
import { CaseFlags, CaseStatusTag, RemainingTime, useSourceText } from '../../components/cases/CaseTags.js';
import { CaseTimeline } from '../../components/cases/CaseTimeline.js';
import { PhotoCompare } from '../../components/cases/PhotoCompare.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useCategories } from '../../lib/categories.js';
import { useCaseLive } from '../../lib/caseLive.js';
import { useAsync, useIsMobile } from '../../lib/hooks.js';

const CaseMap = lazy(() => import('../../map/CaseMap.js'));

export interface CaseDetailViewProps {
  id: number | string;
  /** After each step (null when the case left the caller's view, e.g. a unit returned it). */
  onChanged?: (detail: CaseDetail | null) => void;
  /** Inside a drawer: no page-level sticky bar. */
  embedded?: boolean;
}

export function CaseDetailView({ id, onChanged, embedded }: CaseDetailViewProps) {
  const { t, label, errorText, formatDateTime } = useI18n();
  const isMobile = useIsMobile();
  const categories = useCategories();
  const sourceText = useSourceText();
  const detail = useAsync(() => caseApi.get(id), [id]);
  const [gone, setGone] = useState(false);
  const c = detail.data;

  useEffect(() => setGone(false), [id]);
  // Another person moved the case (the unit fed back, the office approved): show it without a manual reload.
  useCaseLive(() => detail.reload(), (caseId) => caseId === undefined || String(caseId) === String(id));

  const done = (reply: TransitionReply) => {
    if (isVisibleDetail(reply)) {
      detail.setData(reply);
      onChanged?.(reply);
    } else {
      setGone(true);
      onChanged?.(null);
    }
  };

  if (gone) {
    return <Result status="success" title={t('case.goneTitle')} subTitle={t('case.goneText')} data-testid="case-gone" />;
  }
  if (detail.error && !c) return <Alert type="error" showIcon title={errorText(detail.error)} data-testid="case-error" />;
  if (!c) return <Spin style={{ display: 'block', padding: 64 }} />;

  const category = categories.byCode.get(c.categoryCode);
  const place = [c.communityName, c.gridName].filter(Boolean).join(' · ');
  const actions = <CaseActions c={c} onDone={done} onStale={() => detail.reload()} />;
  const stickyBar = isMobile && !embedded && c.actions.length > 0;

  const header = (
    <div className="wm-case-head" data-testid="case-detail" data-case-id={c.id} data-status={c.status} data-version={c.version}>
      <Space size={8} wrap align="center">
        <Typography.Title level={4} style={{ margin: 0 }} copyable={{ text: c.caseNo }} data-testid="case-no">
          {c.caseNo}
        </Typography.Title>
        <CaseStatusTag status={c.status} />
        <CaseFlags c={c} />
      </Space>
      <div className="wm-case-sub">
        <Typography.Text strong>{categories.path(c.categoryCode)}</Typography.Text>
        <Typography.Text type="secondary"> · {sourceText(c.source, c.sourceLevel)}</Typography.Text>
        {c.sourceRef ? <Typography.Text type="secondary"> · {c.sourceRef}</Typography.Text> : null}
      </div>
    </div>
  );

  const deadlineBlock = c.deadline || c.pendingExtension || c.deadlineWarning ? (
    <div className="wm-case-deadline">
      {c.deadline ? (
        <Space size={12} wrap>
          <span>
            <Typography.Text type="secondary">{t('case.deadline')} </Typography.Text>
            <Typography.Text strong>{formatDateTime(c.deadline)}</Typography.Text>
          </span>
          <RemainingTime c={c} strong />
          {category ? <Typography.Text type="secondary">{t('case.limitOf', { limit: category.timeLimitText })}</Typography.Text> : null}
        </Space>
      ) : null}
      {c.deadlineWarning ? <Alert type="warning" showIcon icon={<WarningOutlined />} title={c.deadlineWarning} style={{ marginTop: 8 }} data-testid="deadline-warning" /> : null}
      {c.pendingExtension ? (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 8 }}
          title={t('case.extensionPending', {
            asked: c.pendingExtension.newDeadline ? formatDateTime(c.pendingExtension.newDeadline) : t('caseAction.hoursValue', { hours: c.pendingExtension.extensionHours ?? '' }),
          })}
          description={[c.pendingExtension.mark ? label(CASE_MARK_LABELS[c.pendingExtension.mark]) : null, c.pendingExtension.reason].filter(Boolean).join(' · ')}
        />
      ) : null}
    </div>
  ) : null;

  const info = (
    <Descriptions
      size="small"
      column={1}
      bordered
      styles={{ label: { width: isMobile ? 92 : 112, whiteSpace: 'nowrap' } }}
      items={[
        { key: 'desc', label: t('case.description'), children: <span className="wm-wrap" data-testid="case-description">{c.description}</span> },
        { key: 'place', label: t('case.place'), children: place || '—' },
        ...(c.pointName ? [{ key: 'point', label: t('case.point'), children: c.pointName }] : []),
        ...(c.address ? [{ key: 'address', label: t('case.address'), children: c.address }] : []),
        { key: 'unit', label: t('case.unit'), children: <span data-testid="case-unit">{c.unitName ?? '—'}</span> },
        { key: 'reporter', label: t('case.reporter'), children: [c.reporterName, c.reporterPhone].filter(Boolean).join(' · ') || '—' },
        { key: 'created', label: t('case.reportedAt'), children: formatDateTime(c.createdAt) },
        ...(c.closedAt ? [{ key: 'closed', label: t('case.closedAt'), children: (
          <Space size={6}>
            {formatDateTime(c.closedAt)}
            {c.closedOnTime === false ? <Tag color="error">{t('case.closedLate')}</Tag> : c.closedOnTime ? <Tag color="success" icon={<CheckCircleOutlined />}>{t('case.closedOnTime')}</Tag> : null}
          </Space>
        ) }] : []),
        ...(category?.closingCondition ? [{ key: 'closing', label: t('case.closingCondition'), children: <Typography.Text type="secondary">{category.closingCondition}</Typography.Text> }] : []),
      ]}
    />
  );

  const links = c.mergedCases.length || c.reboundOf || c.mergedIntoId ? (
    <Card size="small" title={t('case.related')} data-testid="case-related">
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        {c.mergedIntoId ? (
          <Link to={`/cases/${c.mergedIntoId}`}>
            <LinkOutlined /> {t('case.mergedIntoLink')}
          </Link>
        ) : null}
        {c.reboundOf ? (
          <span>
            <Tag color="volcano">{t('case.flag.rebound')}</Tag>
            <Link to={`/cases/${c.reboundOf.id}`}>{t('case.reboundOfLink', { caseNo: c.reboundOf.caseNo })}</Link>
            {c.reboundOf.closedAt ? <Typography.Text type="secondary">（{t('case.closedAt')} {formatDateTime(c.reboundOf.closedAt)}）</Typography.Text> : null}
          </span>
        ) : null}
        {c.mergedCases.length ? (
          <div>
            <Typography.Text type="secondary">{t('case.mergedReports', { count: c.mergedCases.length })}</Typography.Text>
            <ul className="wm-plain-list">
              {c.mergedCases.map((m) => (
                <li key={m.id}>
                  <Link to={`/cases/${m.id}`}>{m.caseNo}</Link> · {sourceText(m.source)} · {m.reporterName ?? '—'} · {formatDateTime(m.createdAt)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Space>
    </Card>
  ) : null;

  const photos = (
    <Card size="small" title={t('case.photos')}>
      <PhotoCompare before={c.photos.before} after={c.photos.after} evidence={c.photos.evidence} />
    </Card>
  );

  const map = (
    <Card size="small" title={t('case.location')} styles={{ body: { padding: 8 } }}>
      <Suspense fallback={<div className="wm-picker-map wm-map-fallback" style={{ height: 240 }}><Spin /></div>}>
        <CaseMap lat={c.lat} lng={c.lng} gridId={c.gridId} pointId={c.pointId} pointName={c.pointName} height={isMobile ? 200 : 260} />
      </Suspense>
    </Card>
  );

  const timeline = (
    <Card size="small" title={t('case.history')}>
      {c.events.length ? <CaseTimeline events={c.events} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
    </Card>
  );

  // On a phone the checker compares photos first; on a desktop the facts come first and the map sits aside.
  return (
    <div className={stickyBar ? 'wm-case-detail wm-has-action-bar' : 'wm-case-detail'}>
      {header}
      {deadlineBlock}
      {!stickyBar && c.actions.length ? <div className="wm-case-actions-inline">{actions}</div> : null}
      {embedded || isMobile ? (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {photos}
          {info}
          {links}
          {map}
          {timeline}
        </Space>
      ) : (
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {info}
              {photos}
              {links}
            </Space>
          </Col>
          <Col xs={24} lg={10}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {map}
              {timeline}
            </Space>
          </Col>
        </Row>
      )}
      {stickyBar ? <div className="wm-action-bar">{actions}</div> : null}
      {!c.actions.length && !embedded ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }} data-testid="case-no-actions">
          {t('case.noActions')}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
