// The phone page's sync status: the offline banner, the queue count with its upload button, and the results the
// server refused (to fix on their point's form, or to discard).
import { CloudSyncOutlined, CloudUploadOutlined, ExclamationCircleFilled, WifiOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Badge, Button, Card, Popconfirm, Space, Tag, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router-dom';
import { useUser } from '../../auth/SessionProvider.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { offlineManager } from '../../lib/offline/manager.js';
import type { QueueEntry } from '../../lib/offline/types.js';
import { useOffline } from '../../lib/offline/useOffline.js';
import { useStrings } from './strings.js';

/** The offline banner, the queue count and the upload button, shown on every phone view. */
export function SyncBar() {
  const s = useStrings();
  const { formatDateTime, errorText } = useI18n();
  const { message } = AntApp.useApp();
  const user = useUser();
  const offline = useOffline(user.id);
  const shown = useRef(offline.lastReport);
  useEffect(() => {
    const r = offline.lastReport;
    if (!r || r === shown.current) return;
    shown.current = r;
    const sent = r.created + r.duplicate;
    if (sent) message.success(s('syncedCount', { count: sent }));
    if (r.failed) message.error(s('syncErrors', { count: r.failed }));
  }, [offline.lastReport]);

  const sync = async () => {
    const r = await offline.manager.syncNow();
    if (r?.interrupted) message.warning(errorText(r.interrupted));
  };

  return (
    <>
      {!offline.online ? (
        <Alert className="wm-inspect-banner" type="warning" showIcon icon={<WifiOutlined />} title={s('offlineBanner')} data-testid="offline-banner" />
      ) : null}
      <div className="wm-inspect-status" data-testid="sync-bar" data-syncing={offline.syncing ? 'true' : 'false'}>
        <Tag icon={<CloudUploadOutlined />} color={offline.pending ? 'blue' : 'default'} data-testid="sync-pending" data-count={offline.pending}>
          {offline.pending ? (
            <>
              {s('queued')} <Badge count={offline.pending} color="#1677ff" size="small" style={{ boxShadow: 'none' }} />
            </>
          ) : (
            s('synced')
          )}
        </Tag>
        {offline.errors ? (
          <Tag color="error" icon={<ExclamationCircleFilled />} data-testid="sync-errors" data-count={offline.errors}>
            {s('syncErrors', { count: offline.errors })}
          </Tag>
        ) : null}
        <Button
          size="small"
          icon={<CloudSyncOutlined />}
          loading={offline.syncing}
          disabled={!offline.online || (!offline.pending && !offline.syncing)}
          onClick={sync}
          data-testid="sync-now"
        >
          {offline.syncing ? s('syncing') : s('syncNow')}
        </Button>
        {offline.lastSyncAt ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s('lastSync', { time: formatDateTime(offline.lastSyncAt) })}</Typography.Text> : null}
      </div>
      {offline.othersWaiting ? (
        <Alert type="info" showIcon title={s('othersWaiting', { count: offline.othersWaiting })} data-testid="sync-others" data-count={offline.othersWaiting} style={{ marginBottom: 12 }} />
      ) : null}
    </>
  );
}

/** Why a queued result was refused, in the UI language (the server's messages already are). */
export function entryError(e: QueueEntry, s: ReturnType<typeof useStrings>): string {
  if (e.error?.code === 'PHOTO_MISSING') return s('photoMissing');
  return e.error?.message ?? e.error?.code ?? '';
}

/** Results the server refused: the person fixes them on their point's form, or discards them here. */
export function FailedEntries({ entries }: { entries: QueueEntry[] }) {
  const s = useStrings();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const failed = entries.filter((e) => e.status === 'error');
  if (!failed.length) return null;
  return (
    <Card size="small" title={<span style={{ color: '#cf1322' }}>{s('syncError')}</span>} style={{ marginBottom: 12 }} data-testid="failed-entries">
      {failed.map((e) => (
        <div key={e.key} className="wm-insp-result-item" data-testid="failed-entry">
          <div className="wm-inspect-point-name">{e.pointName}</div>
          <div className="wm-check-problem">{entryError(e, s)}</div>
          <Space style={{ marginTop: 6 }}>
            <Button size="small" onClick={() => navigate(`/inspect/${e.planId}/points/${e.pointId}`)}>
              {s('edit')}
            </Button>
            <Popconfirm
              title={s('discardConfirm')}
              onConfirm={async () => {
                await offlineManager().discard(e.key);
                message.success(s('discarded'));
              }}
            >
              <Button size="small" danger>
                {s('discard')}
              </Button>
            </Popconfirm>
          </Space>
        </div>
      ))}
    </Card>
  );
}

