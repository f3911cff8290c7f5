// One point on the phone: check in with GPS (the distance to the point is shown; far away is flagged, not
// blocked), walk the point type's checklist grouped by its Ⅰ/Ⅱ/Ⅲ path, record counts and problems, photograph
// each failed item, mark what was fixed on the spot, and save. Saving queues the result on the phone; the sync
// loop uploads it (now, or when the network returns).
import { AimOutlined, ArrowLeftOutlined, CameraOutlined, CloseOutlined, EnvironmentOutlined, MinusOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Checkbox, Input, InputNumber, Popconfirm, Spin, Switch, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { describeRule } from '../../../core/standards/index.js';
import { useUser } from '../../auth/SessionProvider.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { offlineManager } from '../../lib/offline/manager.js';
import { photoBytes } from '../../lib/offline/photos.js';
import type { ChecklistItem, Checkin, PhotoRecord, QueueEntry, QueuedItem } from '../../lib/offline/types.js';
import { useOffline } from '../../lib/offline/useOffline.js';
import { FAR_METERS, checkinMeters, cleanObservation, defaultObservation, failuresOf, formatDistance, formProblems, groupByPath, needsPhoto, newKey, percent, previewScore } from './model.js';
import { useStrings } from './strings.js';
import { entryError, SyncBar } from './SyncBar.js';
import { useKit, usePointStates, useQueue } from './useKit.js';

interface LocalPhoto {
  key: string;
  url: string;
  /** A new photo from the camera, or bytes already saved on the phone (an earlier save of this result). */
  file?: File;
  record?: PhotoRecord;
}

type GeoState = { status: 'idle' | 'locating' | 'failed' | 'unsupported' } | { status: 'ok'; checkin: Checkin };

function Stepper({ value, onChange, min = 0, max = 10000, testId }: { value: number | undefined; onChange: (v: number) => void; min?: number; max?: number; testId: string }) {
  const v = value ?? 0;
  return (
    <span className="wm-stepper" data-testid={testId}>
      <Button icon={<MinusOutlined />} onClick={() => onChange(Math.max(min, v - 1))} disabled={v <= min} aria-label="−" data-testid={`${testId}-minus`} />
      <InputNumber
        value={value}
        min={min}
        max={max}
        precision={0}
        controls={false}
        inputMode="numeric"
        onChange={(n) => onChange(typeof n === 'number' ? n : min)}
        data-testid={`${testId}-input`}
      />
      <Button icon={<PlusOutlined />} onClick={() => onChange(Math.min(max, v + 1))} disabled={v >= max} aria-label="+" data-testid={`${testId}-plus`} />
    </span>
  );
}

function LocalPhotos({ photos, onAdd, onRemove, testId }: { photos: LocalPhoto[]; onAdd: (files: FileList | null) => void; onRemove: (key: string) => void; testId: string }) {
  const s = useStrings();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="wm-local-photos" data-testid={testId} data-count={photos.length}>
      {photos.map((p) => (
        <div key={p.key} className="wm-local-photo">
          <img src={p.url} alt="" />
          <button type="button" onClick={() => onRemove(p.key)} aria-label="remove">
            <CloseOutlined />
          </button>
        </div>
      ))}
      <button type="button" className="wm-photo-add-sm" onClick={() => input.current?.click()}>
        <CameraOutlined />
        <span>{s('addPhoto')}</span>
      </button>
      {/* capture=environment opens the rear camera on a phone; elsewhere it is a file picker. */}
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        style={{ display: 'none' }}
        data-testid={`${testId}-input`}
        onChange={(e) => {
          onAdd(e.target.files);
          e.target.value = '';
        }}
      />
    </div>
  );
}

export default function InspectPointForm() {
  const s = useStrings();
  const { lang, errorText } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const planId = Number(params.planId);
  const pointId = Number(params.pointId);
  const user = useUser();
  const userId = String(user.id);
  const offline = useOffline(user.id);
  const { kit, loading, error } = useKit(userId, planId, { refresh: false });
  const entries = useQueue(offline.revision);
  const states = usePointStates(kit, entries);
  const point = kit?.points.find((p) => p.id === pointId) ?? null;
  const checklist: ChecklistItem[] = useMemo(() => (point && kit ? (kit.checklists[point.typeCode] ?? []) : []), [kit, point]);
  const groups = useMemo(() => groupByPath(checklist), [checklist]);
  const pointState = states.get(pointId);
  const existing = pointState && (pointState.state === 'queued' || pointState.state === 'error') ? pointState.entry : undefined;

  const [obs, setObs] = useState<Record<string, QueuedItem>>({});
  const [photos, setPhotos] = useState<Record<string, LocalPhoto[]>>({});
  const [note, setNote] = useState('');
  const [geo, setGeo] = useState<GeoState>({ status: 'idle' });
  const [showProblems, setShowProblems] = useState(false);
  const [saving, setSaving] = useState(false);
  const startedAt = useRef(new Date().toISOString());
  const initialised = useRef<string | null>(null);
  const urls = useRef<string[]>([]);

  // Start from the saved (unsent or refused) result of this point, else from "all fine".
  useEffect(() => {
    if (!checklist.length) return;
    const marker = existing?.key ?? 'fresh';
    if (initialised.current === marker || (initialised.current && !existing)) return;
    initialised.current = marker;
    const next: Record<string, QueuedItem> = {};
    for (const item of checklist) {
      const saved = existing?.items.find((i) => i.code === item.code);
      next[item.code] = saved ? { ...saved } : { ...defaultObservation(item.rule), code: item.code };
    }
    setObs(next);
    if (existing) {
      setNote(existing.note ?? '');
      if (existing.checkin) setGeo({ status: 'ok', checkin: existing.checkin });
      startedAt.current = existing.inspectedAt;
      void (async () => {
        const store = offlineManager().store;
        const loaded: Record<string, LocalPhoto[]> = {};
        for (const item of existing.items) {
          for (const key of item.photoKeys) {
            const record = await store.getPhoto(key);
            if (!record) continue;
            const url = URL.createObjectURL(new Blob([record.bytes], { type: record.type }));
            urls.current.push(url);
            (loaded[item.code] ??= []).push({ key, url, record });
          }
        }
        setPhotos(loaded);
      })();
    }
  }, [checklist, existing?.key]);

  useEffect(
    () => () => {
      for (const url of urls.current) URL.revokeObjectURL(url);
    },
    [],
  );

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setGeo({ status: 'unsupported' });
      return;
    }
    setGeo({ status: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (pos) => setGeo({ status: 'ok', checkin: { lat: pos.coords.latitude, lng: pos.coords.longitude, at: new Date(pos.timestamp || Date.now()).toISOString(), accuracy: Math.round(pos.coords.accuracy) } }),
      () => setGeo({ status: 'failed' }),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 },
    );
  };

  const setItem = (code: string, patch: Partial<QueuedItem>) => setObs((prev) => ({ ...prev, [code]: { ...prev[code], ...patch } }));
  const addPhotos = (code: string, files: FileList | null) => {
    if (!files?.length) return;
    const added = [...files].map((file) => {
      const url = URL.createObjectURL(file);
      urls.current.push(url);
      return { key: newKey(), url, file };
    });
    setPhotos((prev) => ({ ...prev, [code]: [...(prev[code] ?? []), ...added] }));
  };
  const removePhoto = (code: string, key: string) => setPhotos((prev) => ({ ...prev, [code]: (prev[code] ?? []).filter((p) => p.key !== key) }));

  // The form's items with their photo keys, as they would be saved.
  const current = useMemo(() => {
    const out: Record<string, QueuedItem> = {};
    for (const item of checklist) {
      const o = obs[item.code];
      if (!o) continue;
      out[item.code] = { ...o, photoKeys: (photos[item.code] ?? []).map((p) => p.key) };
    }
    return out;
  }, [checklist, obs, photos]);
  const problems = useMemo(() => formProblems(checklist, current), [checklist, current]);
  const problemCodes = new Set(problems.map((p) => p.code));
  const score = useMemo(() => previewScore(checklist, current), [checklist, current]);
  const failedCount = checklist.filter((i) => current[i.code] && failuresOf(i.rule, current[i.code]) > 0).length;

  const save = async () => {
    if (!kit || !point) return;
    if (problems.length) {
      setShowProblems(true);
      message.error(problems.some((p) => p.kind === 'photo') ? s('photoRequired') : s('fixProblems', { count: problems.length }));
      document.querySelector(`[data-item-code="${CSS.escape(problems[0].code)}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
      return;
    }
    setSaving(true);
    try {
      const key = newKey();
      const items = checklist.map((item) => cleanObservation(item.rule, current[item.code]));
      const kept = new Set(items.flatMap((i) => i.photoKeys));
      const records: PhotoRecord[] = [];
      for (const list of Object.values(photos)) {
        for (const p of list) {
          if (!kept.has(p.key)) continue;
          if (p.record) records.push({ ...p.record, entryKey: key });
          else if (p.file) {
            const { bytes, type } = await photoBytes(p.file);
            records.push({ key: p.key, entryKey: key, userId, bytes, type, name: p.file.name || 'photo.jpg' });
          }
        }
      }
      const photoIds = Object.fromEntries(Object.entries(existing?.photoIds ?? {}).filter(([k]) => kept.has(k)));
      const entry: QueueEntry = {
        key,
        userId,
        planId,
        pointId,
        planTitle: kit.plan.title,
        pointName: point.name,
        createdAt: new Date().toISOString(),
        inspectedAt: startedAt.current,
        checkin: geo.status === 'ok' ? geo.checkin : null,
        ...(note.trim() ? { note: note.trim() } : {}),
        items,
        photoIds,
        status: 'pending',
      };
      await offlineManager().save(entry, records, existing?.key);
      message.success(offline.online ? s('saveSynced') : s('saveQueued'));
      navigate(`/inspect/${planId}`);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const header = (
    <div className="wm-inspect-bar">
      <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/inspect/${planId}`)} aria-label={s('back')} />
      <div className="wm-inspect-title" data-testid="page-title">
        {point ? `${point.seq}. ${point.name}` : '…'}
      </div>
    </div>
  );

  if (!kit) {
    return (
      <>
        {header}
        {loading ? <Spin /> : <Alert type="error" showIcon title={error ? errorText(error) : s('kitMissing')} />}
      </>
    );
  }
  if (!point) {
    return (
      <>
        {header}
        <Alert type="warning" showIcon title={s('unknownPoint')} />
      </>
    );
  }

  const farM = kit.farCheckinM ?? FAR_METERS;
  const distance = geo.status === 'ok' ? checkinMeters(point, geo.checkin) : null;
  const far = distance !== null && distance > farM;
  const focus = new Set(point.focusItems ?? []);
  const isDone = pointState?.state === 'done';

  return (
    <div data-testid="point-form" data-point-id={point.id}>
      {header}
      <SyncBar />
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        <Tag>{point.typeName}</Tag>
        {point.address ?? ''}
      </Typography.Paragraph>
      {isDone ? (
        <Alert type="success" showIcon title={s('alreadyDone')} data-testid="point-done" style={{ marginBottom: 12 }} />
      ) : null}
      {existing?.status === 'pending' ? <Alert type="info" showIcon title={s('queuedHere')} style={{ marginBottom: 12 }} /> : null}
      {existing?.status === 'error' ? (
        <Alert
          type="error"
          showIcon
          title={s('errorHere', { message: entryError(existing, s) })}
          style={{ marginBottom: 12 }}
          action={
            <Popconfirm
              title={s('discardConfirm')}
              onConfirm={async () => {
                await offlineManager().discard(existing.key);
                message.success(s('discarded'));
                navigate(`/inspect/${planId}`);
              }}
            >
              <Button size="small" danger>
                {s('discard')}
              </Button>
            </Popconfirm>
          }
        />
      ) : null}
      {!isDone ? (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            <div className="wm-checkin">
              <div className="wm-checkin-line">
                <Button
                  type={geo.status === 'ok' ? 'default' : 'primary'}
                  icon={<AimOutlined />}
                  loading={geo.status === 'locating'}
                  onClick={locate}
                  data-testid="checkin"
                >
                  {geo.status === 'locating' ? s('locating') : geo.status === 'ok' ? s('checkinAgain') : s('checkin')}
                </Button>
                {distance !== null ? (
                  <span className={far ? 'wm-checkin-far' : 'wm-checkin-ok'} data-testid="checkin-distance" data-far={far ? 'true' : 'false'} data-metres={distance}>
                    {far ? <WarningOutlined /> : <EnvironmentOutlined />}{' '}
                    {far ? s('checkinFar', { distance: formatDistance(distance, lang), limit: farM }) : s('checkinDone', { distance: formatDistance(distance, lang) })}
                  </span>
                ) : null}
              </div>
              {geo.status === 'ok' && geo.checkin.accuracy ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {s('accuracy', { accuracy: geo.checkin.accuracy })}
                </Typography.Text>
              ) : null}
              {geo.status === 'failed' ? <Typography.Text type="warning">{s('geoFailed')}</Typography.Text> : null}
              {geo.status === 'unsupported' ? <Typography.Text type="warning">{s('geoUnsupported')}</Typography.Text> : null}
            </div>
          </Card>

          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {s('checklist')}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal' }}>
              {s('itemsCount', { count: checklist.length })}
              {failedCount ? ` · ${s('problemsCount', { count: failedCount })}` : ''}
            </Typography.Text>
          </Typography.Title>
          {groups.map((group) => (
            <Card key={group.path} size="small" className="wm-check-group" title={group.path}>
              {group.items.map((item) => {
                const o = obs[item.code];
                if (!o) return null;
                const rule = item.rule;
                const failures = failuresOf(rule, o);
                const unit = rule.kind === 'per_missing' ? (rule.unit ?? (lang === 'en-US' ? '' : '处')) : '';
                const problem = showProblems ? problems.find((p) => p.code === item.code) : undefined;
                return (
                  <div
                    key={item.code}
                    className={failures ? 'wm-check-item wm-check-item-failed' : 'wm-check-item'}
                    data-testid="check-item"
                    data-item-code={item.code}
                    data-failed={failures ? 'true' : 'false'}
                  >
                    <div className="wm-check-text">
                      <span className="wm-check-code">{item.code}</span>
                      <span>
                        {item.text}
                        {focus.has(item.code) ? (
                          <Tag color="purple" style={{ marginLeft: 6 }}>
                            {s('focusItem')}
                          </Tag>
                        ) : null}
                      </span>
                    </div>
                    <div className="wm-check-rule">{describeRule(rule, lang === 'en-US' ? 'en-US' : 'zh-CN')}</div>
                    <div className="wm-check-controls">
                      {o.notApplicable ? null : rule.kind === 'pass_fail' ? (
                        <Switch
                          checked={o.passed !== false}
                          checkedChildren={s('passed')}
                          unCheckedChildren={s('failed')}
                          onChange={(v) => setItem(item.code, { passed: v, fixedOnSpot: 0 })}
                          data-testid={`item-pass-${item.code}`}
                        />
                      ) : rule.kind === 'per_missing' ? (
                        <span className="wm-check-control">
                          {s('found')}
                          <Stepper value={o.count} onChange={(v) => setItem(item.code, { count: v })} testId={`item-count-${item.code}`} />
                          <Typography.Text type="secondary">{s('required', { required: rule.required, unit })}</Typography.Text>
                        </span>
                      ) : (
                        <span className="wm-check-control">
                          {s('occurrences')}
                          <Stepper value={o.occurrences} onChange={(v) => setItem(item.code, { occurrences: v })} testId={`item-occ-${item.code}`} />
                        </span>
                      )}
                      <Checkbox checked={Boolean(o.notApplicable)} onChange={(e) => setItem(item.code, { notApplicable: e.target.checked })} data-testid={`item-na-${item.code}`}>
                        {s('notApplicable')}
                      </Checkbox>
                    </div>
                    {failures > 0 ? (
                      <div className="wm-check-failure">
                        {rule.kind === 'per_missing' ? <span className="wm-check-problem">{s('missing', { count: failures, unit })}</span> : null}
                        {rule.kind === 'pass_fail' ? (
                          <Checkbox checked={(o.fixedOnSpot ?? 0) > 0} onChange={(e) => setItem(item.code, { fixedOnSpot: e.target.checked ? 1 : 0 })} data-testid={`item-fixed-${item.code}`}>
                            {s('fixed')}
                          </Checkbox>
                        ) : (
                          <span className="wm-check-control">
                            {s('fixedCount')}
                            <Stepper value={Math.min(o.fixedOnSpot ?? 0, failures)} max={failures} onChange={(v) => setItem(item.code, { fixedOnSpot: v })} testId={`item-fixed-${item.code}`} />
                          </span>
                        )}
                        {needsPhoto(rule, current[item.code]) || (photos[item.code] ?? []).length ? (
                          <LocalPhotos photos={photos[item.code] ?? []} onAdd={(files) => addPhotos(item.code, files)} onRemove={(key) => removePhoto(item.code, key)} testId={`item-photos-${item.code}`} />
                        ) : null}
                        <Input.TextArea
                          rows={1}
                          autoSize={{ minRows: 1, maxRows: 4 }}
                          maxLength={500}
                          placeholder={s('itemNote')}
                          value={o.note ?? ''}
                          onChange={(e) => setItem(item.code, { note: e.target.value })}
                          data-testid={`item-note-${item.code}`}
                        />
                      </div>
                    ) : null}
                    {problem ? (
                      <div className="wm-check-problem" style={{ marginTop: 6 }} data-testid="item-problem">
                        {problem.kind === 'photo' ? s('photoRequired') : `${s('invalidObs')}：${problem.detail ?? ''}`}
                      </div>
                    ) : null}
                  </div>
                );
              })}
            </Card>
          ))}
          <Input.TextArea rows={2} maxLength={1000} placeholder={s('pointNote')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="point-note" />

          <div className="wm-inspect-save">
            <div className="wm-inspect-save-inner">
              <div className="wm-inspect-save-info" data-testid="score-preview">
                {score && score.possible > 0
                  ? s('previewScore', { earned: Math.round(score.earned * 100) / 100, possible: Math.round(score.possible * 100) / 100, rate: percent(score.rate) })
                  : null}
                {showProblems && problemCodes.size ? <div className="wm-check-problem">{s('fixProblems', { count: problemCodes.size })}</div> : null}
              </div>
              <Button type="primary" size="large" onClick={save} loading={saving} data-testid="inspect-save">
                {s('save')}
              </Button>
            </div>
          </div>
        </>
      ) : null}
    </div>
  );
}
