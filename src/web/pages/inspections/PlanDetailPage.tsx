// One inspection plan: its points (sample at random, pick by hand, reassign inspectors), the route map, the scores
// and the 通报 downloads; start and close it, or turn its open problems into a 回头看 plan.
import {
  AimOutlined, ArrowLeftOutlined, CheckCircleOutlined, DeleteOutlined, EditOutlined, FileExcelOutlined, FileWordOutlined, FlagOutlined,
  PlayCircleOutlined, RedoOutlined, RetweetOutlined, StopOutlined, ThunderboltOutlined, WarningOutlined,
} from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Descriptions, Drawer, Empty, Image, Popconfirm, Select, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useUser } from '../../auth/SessionProvider.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ResponsiveTable, stop, type Column } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAsync, useIsMobile } from '../../lib/hooks.js';
import { inspectionsApi, type Plan, type PlanPoint, type ResultView } from './api.js';
import { formatDistance, inspectorColour, percent } from './model.js';
import { PickPointsDialog, PlanFormDialog, SampleDialog } from './PlanDialogs.js';
import { KindTag, mayPlan, ProgressBar, StatusTag } from './Tags.js';
import { useStrings } from './strings.js';
import './inspections.css';

const RouteMap = lazy(() => import('./RouteMap.js'));
const ScoresPanel = lazy(() => import('./ScoresPanel.js'));

type Dialog = 'edit' | 'sample' | 'pick' | null;

export default function PlanDetailPage() {
  const { id } = useParams();
  const planId = Number(id);
  const s = useStrings();
  const { t, errorText } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const { message } = AntApp.useApp();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'points';
  const loaded = useAsync(() => inspectionsApi.plan(planId), [planId]);
  const plan = loaded.data;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [resultId, setResultId] = useState<number | null>(null);
  const rolePlans = mayPlan(user.role);

  const inspectorIds = useMemo(() => (plan?.inspectors ?? []).map((i) => Number(i.id)), [plan]);
  const routePoints = useMemo(
    () => (plan?.points ?? []).map((p) => ({ id: p.pointId, name: p.name, lat: p.lat, lng: p.lng, seq: p.seq, inspectorId: p.inspectorId, done: Boolean(p.done) })),
    [plan],
  );

  const run = async (key: string, action: () => Promise<Plan | void>, done: string) => {
    setBusy(key);
    try {
      const next = await action();
      if (next) loaded.setData(next);
      message.success(done);
    } catch (err) {
      message.error(errorText(err));
      // A stale version (someone else changed the plan) is best answered with the current plan.
      loaded.reload();
    } finally {
      setBusy(null);
    }
  };

  if (loaded.error && !plan) {
    return (
      <div className="wm-page">
        <PageHeader title={s('plansTitle')} />
        <Alert type="error" showIcon title={errorText(loaded.error)} />
      </div>
    );
  }
  if (!plan) return <Spin />;

  const canPlan = plan.canPlan ?? rolePlans;
  const isDraft = plan.status === 'draft';
  const isActive = plan.status === 'active';
  const may = (action: 'activate' | 'close' | 'reopen') => canPlan && (plan.actions ? plan.actions.includes(action) : false);
  const amInspector = plan.isInspector ?? plan.inspectors.some((i) => String(i.id) === String(user.id));
  const inspectorName = (id: number | null) => plan.inspectors.find((i) => Number(i.id) === id)?.displayName ?? s('unassigned');

  const actions = (
    <>
      <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/inspections')}>
        {s('back')}
      </Button>
      {canPlan && plan.editable?.details ? (
        <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="plan-edit">
          {s('edit')}
        </Button>
      ) : null}
      {may('activate') ? (
        <Popconfirm title={s('activateConfirm')} onConfirm={() => run('activate', () => inspectionsApi.transition(plan, 'activate'), s('saved'))} disabled={!plan.points.length}>
          <Button type="primary" icon={<PlayCircleOutlined />} disabled={!plan.points.length} loading={busy === 'activate'} data-testid="plan-activate">
            {s('activate')}
          </Button>
        </Popconfirm>
      ) : null}
      {canPlan && isDraft ? (
        <Popconfirm title={s('removeConfirm')} onConfirm={() => run('remove', async () => { await inspectionsApi.remove(plan); navigate('/inspections'); }, s('removed'))}>
          <Button danger icon={<DeleteOutlined />} loading={busy === 'remove'} data-testid="plan-delete">
            {s('remove')}
          </Button>
        </Popconfirm>
      ) : null}
      {amInspector && isActive ? (
        <Button icon={<AimOutlined />} onClick={() => navigate(`/inspect/${plan.id}`)} data-testid="plan-go-inspect">
          {s('goInspect')}
        </Button>
      ) : null}
      {may('close') ? (
        <Popconfirm title={s('closeConfirm')} onConfirm={() => run('close', () => inspectionsApi.transition(plan, 'close'), s('saved'))}>
          <Button icon={<StopOutlined />} loading={busy === 'close'} data-testid="plan-close">
            {s('close')}
          </Button>
        </Popconfirm>
      ) : null}
      {may('reopen') ? (
        <Popconfirm title={s('reopenConfirm')} onConfirm={() => run('reopen', () => inspectionsApi.transition(plan, 'reopen'), s('saved'))}>
          <Button icon={<RedoOutlined />} loading={busy === 'reopen'}>
            {s('reopen')}
          </Button>
        </Popconfirm>
      ) : null}
      {!isDraft ? (
        <>
          <Button icon={<FileWordOutlined />} href={inspectionsApi.reportUrl(plan.id, 'docx')} data-testid="report-docx">
            {s('reportDocx')}
          </Button>
          <Button icon={<FileExcelOutlined />} href={inspectionsApi.reportUrl(plan.id, 'xlsx')} data-testid="report-xlsx">
            {s('reportXlsx')}
          </Button>
        </>
      ) : null}
      {canPlan && !isDraft ? (
        <Popconfirm
          title={s('revisitConfirm')}
          onConfirm={() =>
            run('revisit', async () => {
              const next = await inspectionsApi.revisit(plan);
              navigate(`/inspections/${next.id}`);
            }, s('revisitCreated'))
          }
        >
          <Button icon={<RetweetOutlined />} loading={busy === 'revisit'} data-testid="plan-revisit">
            {s('revisit')}
          </Button>
        </Popconfirm>
      ) : null}
    </>
  );

  const canReassign = canPlan && Boolean(plan.editable?.reassign);
  const afterDraftColumns: Column<PlanPoint>[] = [
    {
      title: s('pointStatus'),
      key: 'status',
      width: 190,
      render: (_: unknown, p) => (
        <Space size={4} wrap>
          {p.done ? <Tag color="success" icon={<CheckCircleOutlined />}>{s('done')}</Tag> : <Tag>{s('notDone')}</Tag>}
          {p.checkinFar ? <Tag color="orange" icon={<WarningOutlined />}>{s('far')}</Tag> : null}
        </Space>
      ),
    },
    { title: s('rate'), dataIndex: 'rate', width: 80, align: 'right', render: (v?: number | null) => <span className="wm-insp-num">{percent(v)}</span> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_: unknown, p) =>
        p.resultId ? (
          <Button size="small" type="link" onClick={(e) => { e.stopPropagation(); setResultId(p.resultId!); }} data-testid="point-result">
            {s('viewResult')}
          </Button>
        ) : null,
    },
  ];
  const columns: Column<PlanPoint>[] = [
    { title: s('seq'), dataIndex: 'seq', width: 64, align: 'right', mobile: 'hide' },
    {
      title: s('pointName'),
      key: 'name',
      mobile: 'title',
      render: (_: unknown, p) => (
        <span className="wm-wrap">
          {isMobile ? `${p.seq}. ` : ''}
          {p.name}
        </span>
      ),
    },
    { title: s('pointType'), key: 'type', width: 130, render: (_: unknown, p) => p.typeName ?? p.typeCode },
    { title: s('community'), dataIndex: 'communityName', width: 120, render: (v?: string | null) => v ?? '—' },
    {
      title: s('inspector'),
      key: 'inspector',
      width: 180,
      render: (_: unknown, p) =>
        canReassign && !p.done ? (
          <span onClick={stop}>
            <Select
              size="small"
              style={{ minWidth: 140 }}
              value={p.inspectorId ?? undefined}
              placeholder={s('unassigned')}
              options={plan.inspectors.map((i, index) => ({
                value: Number(i.id),
                label: (
                  <span className="wm-insp-legend-item">
                    <span className="wm-insp-swatch" style={{ background: inspectorColour(index) }} />
                    {i.displayName}
                  </span>
                ),
              }))}
              onChange={(inspectorId: number) => run(`reassign-${p.pointId}`, () => inspectionsApi.reassign(plan, p.pointId, inspectorId), s('reassigned'))}
              loading={busy === `reassign-${p.pointId}`}
              data-testid="point-inspector"
            />
          </span>
        ) : (
          <span className="wm-insp-legend-item">
            <span className="wm-insp-swatch" style={{ background: inspectorColour(p.inspectorId === null ? -1 : inspectorIds.indexOf(p.inspectorId)) }} />
            {p.inspectorName ?? inspectorName(p.inspectorId)}
          </span>
        ),
    },
    ...(isDraft ? [] : afterDraftColumns),
  ];

  const legend = (
    <div className="wm-insp-legend" data-testid="route-legend">
      {plan.inspectors.map((i, index) => (
        <span key={String(i.id)} className="wm-insp-legend-item">
          <span className="wm-insp-swatch" style={{ background: inspectorColour(index) }} />
          {i.displayName}
          <Typography.Text type="secondary">（{i.doneCount}/{i.pointCount}）</Typography.Text>
        </span>
      ))}
      <Typography.Text type="secondary">{s('mapHint')}</Typography.Text>
    </div>
  );

  return (
    <div className="wm-page" data-testid="plan-detail" data-status={plan.status}>
      <PageHeader
        title={plan.title}
        subtitle={
          <Space size={4} wrap>
            {plan.planNo ? <span>{plan.planNo}</span> : null}
            <KindTag kind={plan.kind} />
            <StatusTag status={plan.status} />
          </Space>
        }
        extra={actions}
      />
      <Card size="small" className="wm-insp-summary">
        <Descriptions size="small" column={isMobile ? 1 : 3}>
          <Descriptions.Item label={s('dates')}>
            {plan.startsOn} ~ {plan.endsOn}
          </Descriptions.Item>
          <Descriptions.Item label={s('progress')}>
            <ProgressBar done={plan.progress?.done ?? 0} total={plan.progress?.total ?? plan.points.length} />
          </Descriptions.Item>
          <Descriptions.Item label={s('inspectors')}>{plan.inspectors.map((i) => i.displayName).join('、') || '—'}</Descriptions.Item>
          {plan.standardVersionId ? <Descriptions.Item label={s('standardVersion')}>#{plan.standardVersionId}</Descriptions.Item> : null}
          {plan.basedOnPlanId ? (
            <Descriptions.Item label={s('basedOn')}>
              <Link to={`/inspections/${plan.basedOnPlanId}`}>#{plan.basedOnPlanId}</Link>
            </Descriptions.Item>
          ) : null}
          {plan.note ? <Descriptions.Item label={s('note')}>{plan.note}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams((prev) => { const next = new URLSearchParams(prev); next.set('tab', key); return next; }, { replace: true })}
        items={[
          {
            key: 'points',
            label: `${s('tabPoints')}（${plan.points.length}）`,
            children: (
              <>
                {canPlan && isDraft ? (
                  <Space wrap style={{ marginBottom: 12 }}>
                    <Button type="primary" icon={<ThunderboltOutlined />} onClick={() => setDialog('sample')} data-testid="plan-sample">
                      {s('sample')}
                    </Button>
                    <Button icon={<FlagOutlined />} onClick={() => setDialog('pick')} data-testid="plan-pick">
                      {s('pick')}
                    </Button>
                  </Space>
                ) : null}
                <ResponsiveTable<PlanPoint>
                  columns={columns}
                  data={plan.points}
                  rowKey={(p) => p.pointId}
                  testId="plan-points"
                  empty={s('noPoints')}
                  onRowClick={(p) => (p.resultId ? setResultId(p.resultId) : undefined)}
                />
              </>
            ),
          },
          {
            key: 'map',
            label: s('tabMap'),
            children: (
              <>
                {legend}
                {plan.points.length ? (
                  <Suspense fallback={<Spin />}>
                    <RouteMap points={routePoints} inspectorIds={inspectorIds} height={isMobile ? 420 : 560} />
                  </Suspense>
                ) : (
                  <Empty description={s('noPoints')} />
                )}
              </>
            ),
          },
          {
            key: 'scores',
            label: s('tabScores'),
            disabled: isDraft,
            children: (
              <Suspense fallback={<Spin />}>
                <ScoresPanel planId={plan.id} />
              </Suspense>
            ),
          },
        ]}
      />
      {dialog === 'edit' ? <PlanFormDialog plan={plan} onClose={() => setDialog(null)} onSaved={(p) => { loaded.setData(p); setDialog(null); }} /> : null}
      {dialog === 'sample' ? <SampleDialog plan={plan} onClose={() => setDialog(null)} onSaved={(p) => { loaded.setData(p); setDialog(null); }} /> : null}
      {dialog === 'pick' ? <PickPointsDialog plan={plan} onClose={() => setDialog(null)} onSaved={(p) => { loaded.setData(p); setDialog(null); }} /> : null}
      <ResultDrawer resultId={resultId} onClose={() => setResultId(null)} />
    </div>
  );
}

function ResultDrawer({ resultId, onClose }: { resultId: number | null; onClose: () => void }) {
  const s = useStrings();
  const { lang, errorText, formatDateTime } = useI18n();
  const isMobile = useIsMobile();
  const result = useAsync(() => (resultId ? inspectionsApi.result(resultId) : Promise.resolve(undefined)), [resultId]);
  const r: ResultView | undefined = result.data?.id === resultId ? result.data : undefined;
  const distance = r?.checkin?.distanceM ?? null;
  const far = Boolean(r?.checkin?.far);
  return (
    <Drawer open={resultId !== null} onClose={onClose} title={r?.pointName ?? s('resultTitle')} size={isMobile ? '100%' : 600} destroyOnHidden data-testid="result-drawer">
      {result.error ? <Alert type="error" showIcon title={errorText(result.error)} /> : null}
      {!r ? (
        result.error ? null : <Spin />
      ) : (
        <>
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={s('inspectedAt')}>{formatDateTime(r.inspectedAt)}</Descriptions.Item>
            {r.inspectorName ? <Descriptions.Item label={s('inspector')}>{r.inspectorName}</Descriptions.Item> : null}
            <Descriptions.Item label={s('checkinDistance')}>
              {distance === null ? (
                s('noCheckin')
              ) : (
                <span className={far ? 'wm-checkin-far' : undefined}>
                  {far ? <WarningOutlined /> : null} {formatDistance(distance, lang)}
                  {far ? ` · ${s('far')}` : ''}
                </span>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={s('rate')}>
              <strong>{percent(r.rate)}</strong>
              <Typography.Text type="secondary">
                （{r.earned}/{r.possible}）
              </Typography.Text>
            </Descriptions.Item>
            {r.note ? <Descriptions.Item label={s('note')}>{r.note}</Descriptions.Item> : null}
          </Descriptions>
          {[...r.items.filter((i) => i.failed), ...r.items.filter((i) => !i.failed)].map((item) => (
            <div key={item.code} className="wm-insp-result-item" data-testid="result-item" data-failed={item.failed ? 'true' : 'false'}>
              <div className="wm-check-text">
                <span className="wm-check-code">{item.code}</span>
                <span>{item.text}</span>
              </div>
              <Space size={4} wrap style={{ marginTop: 4 }}>
                {item.observation.notApplicable ? <Tag>{s('notApplicable')}</Tag> : item.failed ? <Tag color="error">{s('failed')}</Tag> : <Tag color="success">{s('passed')}</Tag>}
                {item.fixedOnSpot ? <Tag color="blue">{s('fixedOnSpot')} {item.fixedOnSpot}</Tag> : null}
                <span className="wm-insp-num">
                  {item.earned}/{item.possible}
                </span>
                {item.caseId ? <Link to={`/cases/${item.caseId}`}>{item.caseNo ?? `#${item.caseId}`}</Link> : null}
              </Space>
              {item.failed ? <div className="wm-check-rule">{item.explanation}</div> : null}
              {item.note ? <div className="wm-event-note">{item.note}</div> : null}
              {item.photos.length ? (
                <Image.PreviewGroup>
                  <Space wrap style={{ marginTop: 6 }}>
                    {item.photos.map((p) => (
                      <Image key={p.id} width={72} height={72} style={{ objectFit: 'cover', borderRadius: 4 }} src={p.urls.thumb} preview={{ src: p.urls.large }} />
                    ))}
                  </Space>
                </Image.PreviewGroup>
              ) : null}
            </div>
          ))}
        </>
      )}
    </Drawer>
  );
}
