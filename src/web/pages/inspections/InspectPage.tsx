// 现场测评 on the phone: my active plans → a plan's points in route order (list and map) → the point's form
// (InspectPointForm). Everything after the plan's kit has loaded works without network: results and photos wait in
// the phone's queue and go up when the network returns (lib/offline).
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Progress, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { useUser } from '../../auth/SessionProvider.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { offlineManager } from '../../lib/offline/manager.js';
import { useOffline } from '../../lib/offline/useOffline.js';
import { ForbiddenPage } from '../NotFoundPage.js';
import { inspectionsApi, type MyPlanSummary } from './api.js';
import InspectPointForm from './InspectPointForm.js';
import { FailedEntries, SyncBar } from './SyncBar.js';
import { KindTag } from './Tags.js';
import RouteMap from './RouteMap.js';
import { useStrings } from './strings.js';
import { myPoints, prefetchKits, useKit, usePointStates, useQueue, type PointState } from './useKit.js';
import './inspections.css';

const INSPECTING_ROLES = ['inspector', 'citizen_patrol', 'office', 'admin'];

export default function InspectPage() {
  const user = useUser();
  const s = useStrings();
  useDocumentTitle(s('inspectTitle'));
  if (!INSPECTING_ROLES.includes(user.role)) return <ForbiddenPage />;
  return (
    <div className="wm-inspect" data-testid="inspect-page">
      <Routes>
        <Route index element={<MyPlans />} />
        <Route path=":planId" element={<PlanPoints />} />
        <Route path=":planId/points/:pointId" element={<InspectPointForm />} />
      </Routes>
    </div>
  );
}

function MyPlans() {
  const s = useStrings();
  const { errorText, formatDateTime } = useI18n();
  const user = useUser();
  const userId = String(user.id);
  const navigate = useNavigate();
  const offline = useOffline(user.id);
  const entries = useQueue(offline.revision);
  const [plans, setPlans] = useState<{ items: MyPlanSummary[]; cachedAt: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const metaKey = `${userId}:mine`;

  useEffect(() => {
    let live = true;
    const store = offlineManager().store;
    (async () => {
      const saved = await store.getMeta<{ items: MyPlanSummary[]; savedAt: string }>(metaKey).catch(() => undefined);
      if (saved && live) setPlans({ items: saved.items, cachedAt: saved.savedAt });
      try {
        const mine = await inspectionsApi.mine();
        await store.putMeta(metaKey, { items: mine.items, savedAt: new Date().toISOString() }).catch(() => undefined);
        if (!live) return;
        setPlans({ items: mine.items, cachedAt: null });
        setError(null);
        void prefetchKits(userId, mine.items);
      } catch (err) {
        if (live) setError(err);
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [metaKey, offline.online]);

  const queuedByPlan = useMemo(() => {
    const m = new Map<number, number>();
    for (const e of entries) if (e.status === 'pending') m.set(e.planId, (m.get(e.planId) ?? 0) + 1);
    return m;
  }, [entries]);

  return (
    <>
      <div className="wm-inspect-bar">
        <Typography.Title level={4} data-testid="page-title">
          {s('myPlans')}
        </Typography.Title>
      </div>
      <SyncBar />
      <FailedEntries entries={entries} />
      {error && !plans ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
      {plans?.cachedAt ? (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {s('offlineCached', { time: formatDateTime(plans.cachedAt) })}
        </Typography.Paragraph>
      ) : null}
      {loading && !plans ? <Spin /> : null}
      {plans && !plans.items.length ? <Empty description={s('noPlans')} /> : null}
      {plans?.items.map((p) => (
        <Card key={p.id} size="small" className="wm-inspect-plan" onClick={() => navigate(`/inspect/${p.id}`)} hoverable data-testid="inspect-plan" data-plan-id={p.id}>
          <div className="wm-inspect-point-name">{p.title}</div>
          <div className="wm-inspect-meta">
            <KindTag kind={p.kind} />
            <span>
              {p.startsOn} ~ {p.endsOn}
            </span>
            {queuedByPlan.get(p.id) ? <Tag color="processing">{s('pending', { count: queuedByPlan.get(p.id) })}</Tag> : null}
          </div>
          <PlanProgress done={p.myDoneCount ?? p.progress.done} total={p.myPointCount ?? p.progress.total} />
        </Card>
      ))}
    </>
  );
}

function PlanProgress({ done, total }: { done: number; total: number }) {
  return <Progress percent={total ? Math.round((done / total) * 100) : 0} size="small" format={() => `${done}/${total}`} />;
}

const STATE_CLASS: Record<PointState, string> = {
  todo: 'wm-inspect-seq',
  queued: 'wm-inspect-seq wm-inspect-seq-queued',
  error: 'wm-inspect-seq wm-inspect-seq-error',
  done: 'wm-inspect-seq wm-inspect-seq-done',
};

function PlanPoints() {
  const s = useStrings();
  const { errorText, formatDateTime } = useI18n();
  const { planId } = useParams();
  const user = useUser();
  const userId = String(user.id);
  const navigate = useNavigate();
  const offline = useOffline(user.id);
  const { kit, cachedAt, loading, error, reload } = useKit(userId, Number(planId), { refresh: true });
  const entries = useQueue(offline.revision);
  const states = usePointStates(kit, entries);
  const points = useMemo(() => (kit ? myPoints(kit, userId) : []), [kit, userId]);
  const done = points.filter((p) => states.get(p.id)?.state === 'done' || states.get(p.id)?.state === 'queued').length;
  const routePoints = useMemo(
    () => points.map((p) => ({ id: p.id, name: p.name, lat: p.lat, lng: p.lng, seq: p.seq, inspectorId: p.inspectorId, done: states.get(p.id)?.state !== 'todo' })),
    [points, states],
  );
  const inspectorIds = useMemo(() => [...new Set(points.map((p) => p.inspectorId).filter((id): id is number => id !== null))], [points]);

  return (
    <>
      <div className="wm-inspect-bar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/inspect')} aria-label={s('back')} />
        <div className="wm-inspect-title" data-testid="page-title">
          {kit?.plan.title ?? '…'}
        </div>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={loading} disabled={!offline.online} aria-label={s('refreshKit')} />
      </div>
      <SyncBar />
      {error && !kit ? <Alert type="error" showIcon title={offline.online ? errorText(error) : s('kitMissing')} data-testid="kit-error" /> : null}
      {!kit && loading ? <Spin /> : null}
      {kit ? (
        <div data-testid="kit" data-kit-plan={kit.plan.id} data-source={cachedAt ? 'cache' : 'network'}>
          <div className="wm-inspect-meta" style={{ marginBottom: 8 }}>
            <KindTag kind={kit.plan.kind} />
            <span>{s('pointsDone', { done, total: points.length })}</span>
            {cachedAt ? <span>{s('offlineCached', { time: formatDateTime(cachedAt) })}</span> : <span>{s('kitSaved')}</span>}
          </div>
          <RouteMap points={routePoints} inspectorIds={inspectorIds} height={220} onSelect={(id) => navigate(`/inspect/${kit.plan.id}/points/${id}`)} testId="inspect-map" />
          <div className="wm-inspect-points" style={{ marginTop: 12 }} data-testid="inspect-points">
            {points.map((p) => {
              const st = states.get(p.id)?.state ?? 'todo';
              return (
                <button
                  key={p.id}
                  type="button"
                  className="wm-inspect-point"
                  onClick={() => navigate(`/inspect/${kit.plan.id}/points/${p.id}`)}
                  data-testid="inspect-point"
                  data-point-id={p.id}
                  data-state={st}
                >
                  <span className={STATE_CLASS[st]}>{p.seq}</span>
                  <span className="wm-inspect-point-body">
                    <span className="wm-inspect-point-name" style={{ display: 'block' }}>
                      {p.name}
                    </span>
                    <span className="wm-inspect-point-sub" style={{ display: 'block' }}>
                      {p.typeName}
                      {p.address ? ` · ${p.address}` : ''}
                    </span>
                  </span>
                  {st === 'queued' ? <Tag color="processing">{s('queued')}</Tag> : null}
                  {st === 'error' ? <Tag color="error">{s('syncError')}</Tag> : null}
                  {st === 'done' ? <Tag color="success">{s('done')}</Tag> : null}
                </button>
              );
            })}
          </div>
        </div>
      ) : null}
    </>
  );
}
