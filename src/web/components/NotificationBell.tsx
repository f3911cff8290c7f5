// The header bell: unread count, and a drawer with the inbox (催办, 超期, 督办, 派遣 …). Self-contained: it talks
// to /api/v1/notifications and listens to live updates, so mounting it is one line in the header.
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, Flex, Segmented, Spin, Typography, App as AntApp } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useIsMobile } from '../lib/hooks.js';
import { useLive } from '../lib/live.js';

export interface InboxItem {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  caseId: number | null;
  caseNo: string | null;
  createdAt: string;
  readAt: string | null;
}

interface InboxPage {
  items: InboxItem[];
  total: number;
  page: number;
  pageSize: number;
  unread: number;
}

const PAGE_SIZE = 20;

const TEXT = {
  'zh-CN': {
    open: '通知',
    title: '通知',
    unread: '未读',
    all: '全部',
    markAll: '全部标为已读',
    more: '加载更多',
    empty: '暂无通知',
    emptyUnread: '没有未读通知',
    failed: '通知加载失败',
  },
  'en-US': {
    open: 'Notifications',
    title: 'Notifications',
    unread: 'Unread',
    all: 'All',
    markAll: 'Mark all read',
    more: 'Load more',
    empty: 'No notifications',
    emptyUnread: 'No unread notifications',
    failed: 'Could not load notifications',
  },
} as const;

/** Kinds that need action soon are marked red; the rest are plain. */
const URGENT_KINDS = new Set(['overdue', 'escalate', 'supervise', 'fail_check']);

export interface NotificationBellProps {
  /** Where a notice about a case leads; default `/cases/:id`. */
  onOpenCase?: (caseId: number) => void;
}

export function NotificationBell({ onOpenCase }: NotificationBellProps) {
  const { lang, formatDateTime, errorText } = useI18n();
  const t = TEXT[lang] ?? TEXT['zh-CN'];
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState<'unread' | 'all'>('unread');
  const [items, setItems] = useState<InboxItem[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);

  const loadCount = useCallback(() => {
    api.get<{ unread: number }>('/notifications/unread-count').then(
      (r) => setUnread(r.unread),
      () => undefined,
    );
  }, []);

  const loadPage = useCallback(
    async (nextPage: number) => {
      setLoading(true);
      try {
        const r = await api.get<InboxPage>('/notifications', { unread: filter === 'unread' ? true : undefined, page: nextPage, pageSize: PAGE_SIZE });
        setItems((prev) => (nextPage === 1 ? r.items : [...prev, ...r.items.filter((i) => !prev.some((p) => p.id === i.id))]));
        setTotal(r.total);
        setUnread(r.unread);
        setPage(nextPage);
      } catch (err) {
        message.error(`${t.failed}: ${errorText(err)}`);
      } finally {
        setLoading(false);
      }
    },
    [filter, message, t.failed, errorText],
  );

  useEffect(loadCount, [loadCount]);
  useEffect(() => {
    if (open) void loadPage(1);
  }, [open, loadPage]);
  useLive(['notifications'], () => {
    loadCount();
    if (open) void loadPage(1);
  });

  const markRead = async (body: { ids: number[] } | { all: true }) => {
    try {
      const r = await api.post<{ updated: number; unread: number }>('/notifications/read', body);
      setUnread(r.unread);
      const now = new Date().toISOString();
      const ids = 'ids' in body ? new Set(body.ids) : null;
      setItems((prev) =>
        filter === 'unread' ? prev.filter((i) => ids && !ids.has(i.id)) : prev.map((i) => (!ids || ids.has(i.id) ? { ...i, readAt: i.readAt ?? now } : i)),
      );
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const openItem = (item: InboxItem) => {
    if (!item.readAt) void markRead({ ids: [item.id] });
    if (item.caseId) {
      setOpen(false);
      if (onOpenCase) onOpenCase(item.caseId);
      else navigate(`/cases/${item.caseId}`);
    }
  };

  return (
    <>
      <Button type="text" className="wm-header-btn" aria-label={unread ? `${t.open} (${unread})` : t.open} onClick={() => setOpen(true)} data-testid="notification-bell">
        <Badge count={unread} size="small" overflowCount={99} data-testid="notification-count">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        placement="right"
        size={isMobile ? '100%' : 400}
        title={t.title}
        extra={
          <Button size="small" disabled={!unread} onClick={() => void markRead({ all: true })} data-testid="notification-mark-all">
            {t.markAll}
          </Button>
        }
        data-testid="notification-drawer"
      >
        <Segmented
          block
          value={filter}
          onChange={(v) => setFilter(v as 'unread' | 'all')}
          options={[
            { value: 'unread', label: `${t.unread}${unread ? ` (${unread})` : ''}` },
            { value: 'all', label: t.all },
          ]}
          style={{ marginBottom: 12 }}
        />
        <Spin spinning={loading && items.length === 0}>
          {items.length === 0 && !loading ? (
            <Empty description={filter === 'unread' ? t.emptyUnread : t.empty} />
          ) : (
            <Flex vertical gap={4} role="list">
              {items.map((item) => (
                <div
                  key={item.id}
                  role="listitem"
                  tabIndex={0}
                  className="wm-notification"
                  data-testid="notification-item"
                  onClick={() => openItem(item)}
                  onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && openItem(item)}
                  style={{
                    padding: '10px 12px',
                    borderRadius: 6,
                    cursor: item.caseId ? 'pointer' : 'default',
                    background: item.readAt ? 'transparent' : '#fff7f5',
                    borderLeft: `3px solid ${item.readAt ? 'transparent' : URGENT_KINDS.has(item.kind) ? '#b71c1c' : '#d48806'}`,
                  }}
                >
                  <Typography.Text strong={!item.readAt} style={{ display: 'block' }}>
                    {item.title}
                  </Typography.Text>
                  {item.body ? (
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '2px 0 0', fontSize: 13 }}>
                      {item.body}
                    </Typography.Paragraph>
                  ) : null}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(item.createdAt)}
                  </Typography.Text>
                </div>
              ))}
              {items.length < total ? (
                <Button type="link" loading={loading} onClick={() => void loadPage(page + 1)}>
                  {t.more}
                </Button>
              ) : null}
            </Flex>
          )}
        </Spin>
      </Drawer>
    </>
  );
}

export default NotificationBell;
