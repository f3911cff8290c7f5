// One 材料审核 item of one org and period: its evidence files (download, preview, remove), an upload area with a
// progress bar per file, the reviewer's 符合 / 不符合 with a comment, and the history.
import { DeleteOutlined, DownloadOutlined, EyeOutlined, FileExcelOutlined, FilePdfOutlined, FileImageOutlined, FileWordOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Descriptions, Drawer, Empty, Flex, Input, Popconfirm, Progress, Spin, Tag, Timeline, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { EVIDENCE_STATUS_LABELS, type EvidenceFileKind, type EvidenceStatus, type EvidenceVerdict } from '../../../core/evidence.js';
import { ApiError } from '../../api/client.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useIsMobile } from '../../lib/hooks.js';
import { evidenceApi, type CoverageRow, type EvidenceEvent, type EvidenceFile, type SubmissionDetail } from './evidenceApi.js';
import type { Strings } from './strings.js';

export const STATUS_COLOR: Record<EvidenceStatus, string> = { none: 'default', pending: 'processing', meets: 'success', fails: 'error' };

export function StatusTag({ status }: { status: EvidenceStatus }) {
  const { label } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="evidence-status-tag" data-status={status}>
      {label(EVIDENCE_STATUS_LABELS[status])}
    </Tag>
  );
}

const KIND_ICON: Record<EvidenceFileKind, React.ReactNode> = {
  pdf: <FilePdfOutlined style={{ color: '#c62828' }} />,
  jpeg: <FileImageOutlined style={{ color: '#2e7d32' }} />,
  png: <FileImageOutlined style={{ color: '#2e7d32' }} />,
  webp: <FileImageOutlined style={{ color: '#2e7d32' }} />,
  docx: <FileWordOutlined style={{ color: '#1565c0' }} />,
  xlsx: <FileExcelOutlined style={{ color: '#2e7d32' }} />,
};

const sizeText = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

interface Progressing { uid: string; name: string; percent: number; error?: string }

export interface EvidenceDrawerProps {
  strings: Strings;
  row: CoverageRow;
  org: { id: number; name: string };
  period: string;
  canUpload: boolean;
  canReview: boolean;
  onClose: () => void;
  /** Told after every change, so the coverage table refreshes. */
  onChanged: () => void;
}

export function EvidenceDrawer({ strings: s, row, org, period, canUpload, canReview, onClose, onChanged }: EvidenceDrawerProps) {
  const { errorText, formatDateTime, label } = useI18n();
  const { message } = AntApp.useApp();
  const isMobile = useIsMobile();
  const [detail, setDetail] = useState<SubmissionDetail | null>(null);
  const [loading, setLoading] = useState(Boolean(row.submission));
  const [loadError, setLoadError] = useState<unknown>(null);
  const [uploads, setUploads] = useState<Progressing[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<EvidenceVerdict | null>(null);
  const changedRef = useRef(onChanged);
  changedRef.current = onChanged;

  const load = async (id: number) => {
    setLoading(true);
    try {
      setDetail(await evidenceApi.submission(id));
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    if (row.submission) void load(row.submission.id);
  }, [row.submission?.id]);

  const sub = detail?.submission ?? row.submission;
  const status: EvidenceStatus = sub?.status ?? 'none';
  const files = detail?.files ?? [];

  const uploadOne = async (file: File, uid: string) => {
    setUploads((list) => [...list, { uid, name: file.name, percent: 0 }]);
    try {
      const result = await evidenceApi.upload({ itemId: row.itemId, orgId: org.id, period }, file, (f) =>
        setUploads((list) => list.map((u) => (u.uid === uid ? { ...u, percent: Math.min(99, Math.round(f * 100)) } : u))),
      );
      setDetail(result);
      setUploads((list) => list.filter((u) => u.uid !== uid));
      if (result.duplicates.length) message.info(`${s.duplicate}：${result.duplicates.join('、')}`);
      else message.success(`${s.uploaded}：${file.name}`);
      changedRef.current();
    } catch (err) {
      setUploads((list) => list.map((u) => (u.uid === uid ? { ...u, error: errorText(err) } : u)));
    }
  };

  const review = async (verdict: EvidenceVerdict) => {
    if (!sub) return;
    if (verdict === 'fails' && !comment.trim()) {
      message.warning(s.needComment);
      return;
    }
    setBusy(verdict);
    try {
      setDetail(await evidenceApi.review(sub, verdict, comment.trim()));
      setComment('');
      message.success(s.reviewedOk);
      changedRef.current();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        message.warning(s.stale);
        await load(sub.id);
      } else message.error(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (file: EvidenceFile) => {
    if (!sub) return;
    try {
      setDetail(await evidenceApi.removeFile(file, sub));
      message.success(s.removed);
      changedRef.current();
    } catch (err) {
      message.error(errorText(err));
      if (err instanceof ApiError && err.code === 'CONFLICT') await load(sub.id);
    }
  };

  const eventText = (e: EvidenceEvent) => {
    const what = e.action === 'upload' ? s.actionUpload : e.action === 'remove_file' ? s.actionRemove : e.action === 'review' ? s.actionReview : e.action;
    const d = (e.detail ?? {}) as { files?: { name: string }[]; file?: { name: string } };
    const names = d.files?.map((f) => f.name) ?? (d.file ? [d.file.name] : []);
    return { what, names };
  };

  return (
    <Drawer
      open
      onClose={onClose}
      size={isMobile ? '100%' : 560}
      title={`${row.code} · ${org.name} · ${period}`}
      destroyOnHidden
      data-testid="evidence-drawer"
    >
      <div data-testid="evidence-drawer-body" data-status={status} data-files={files.length}>
        <Typography.Paragraph strong style={{ marginBottom: 8 }}>{row.text}</Typography.Paragraph>
        <Descriptions size="small" column={1} items={[
          { key: 'status', label: s.status, children: <StatusTag status={status} /> },
          { key: 'rule', label: s.rule, children: `${row.ruleText}（${s.points} ${row.points}）` },
          ...(sub?.reviewedAt ? [{ key: 'review', label: s.lastReview, children: `${sub.reviewerName ?? ''} ${formatDateTime(sub.reviewedAt)}${sub.reviewComment ? `：${sub.reviewComment}` : ''}` }] : []),
        ]} />
        {loadError ? <Alert type="error" showIcon title={errorText(loadError)} style={{ margin: '8px 0' }} /> : null}

        <Typography.Title level={5} style={{ marginTop: 16 }}>{s.fileList}</Typography.Title>
        <Spin spinning={loading}>
          {files.length === 0 && !loading ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={s.noFiles} /> : null}
          <Flex vertical gap={6}>
            {files.map((f) => (
              <Flex key={f.id} align="center" gap={8} wrap className="wm-evidence-file" data-testid="evidence-file" data-kind={f.kind}>
                {KIND_ICON[f.kind]}
                <Typography.Text ellipsis style={{ flex: '1 1 160px', minWidth: 0 }} title={f.name}>{f.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{sizeText(f.bytes)} · {f.uploaderName ?? ''} · {formatDateTime(f.createdAt)}</Typography.Text>
                <Flex gap={4}>
                  {f.kind === 'docx' || f.kind === 'xlsx' ? null : (
                    <Button size="small" type="text" icon={<EyeOutlined />} href={`${f.url}?inline=true`} target="_blank" rel="noopener" aria-label={s.preview} />
                  )}
                  <Button size="small" type="text" icon={<DownloadOutlined />} href={f.url} aria-label={s.download} data-testid="evidence-file-download" />
                  {canUpload && sub ? (
                    <Popconfirm title={s.removeConfirm} onConfirm={() => remove(f)}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={s.remove} />
                    </Popconfirm>
                  ) : null}
                </Flex>
              </Flex>
            ))}
          </Flex>
        </Spin>

        {canUpload ? (
          <div style={{ marginTop: 12 }} data-testid="evidence-upload">
            <Upload.Dragger
              multiple
              showUploadList={false}
              accept=".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx"
              customRequest={({ file }) => {
                const f = file as File & { uid?: string };
                void uploadOne(f, f.uid ?? `${Date.now()}-${f.name}`);
              }}
            >
              <p className="ant-upload-drag-icon"><InboxOutlined /></p>
              <p className="ant-upload-text">{s.drop}</p>
              <p className="ant-upload-hint" style={{ padding: '0 8px' }}>{s.dropHint}</p>
            </Upload.Dragger>
            {uploads.map((u) => (
              <div key={u.uid} data-testid="evidence-upload-progress">
                <Typography.Text style={{ fontSize: 12 }}>{u.name}</Typography.Text>
                {u.error ? (
                  <Alert type="error" showIcon title={u.error} closable={{ onClose: () => setUploads((list) => list.filter((x) => x.uid !== u.uid)) }} />
                ) : (
                  <Progress percent={u.percent} size="small" status="active" />
                )}
              </div>
            ))}
          </div>
        ) : null}

        {canReview && sub && files.length > 0 ? (
          <div style={{ marginTop: 16 }}>
            <Typography.Title level={5}>{s.review}</Typography.Title>
            <Input.TextArea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
              placeholder={s.commentPlaceholder}
              data-testid="evidence-review-comment"
            />
            <Flex gap={8} style={{ marginTop: 8 }}>
              <Button type="primary" style={{ background: '#2e7d32' }} loading={busy === 'meets'} disabled={busy !== null} onClick={() => review('meets')} data-testid="evidence-review-meets">
                {s.markMeets}
              </Button>
              <Button danger loading={busy === 'fails'} disabled={busy !== null} onClick={() => review('fails')} data-testid="evidence-review-fails">
                {s.markFails}
              </Button>
            </Flex>
          </div>
        ) : null}

        {detail?.events.length ? (
          <div style={{ marginTop: 20 }} data-testid="evidence-history">
            <Typography.Title level={5}>{s.history}</Typography.Title>
            <Timeline
              items={detail.events.map((e) => {
                const { what, names } = eventText(e);
                const to = e.toStatus as EvidenceStatus | null;
                return {
                  key: e.id,
                  color: to === 'meets' ? 'green' : to === 'fails' ? 'red' : 'blue',
                  content: (
                    <div data-testid="evidence-event" data-action={e.action}>
                      <Flex gap={6} wrap align="center">
                        <Typography.Text strong>{what}</Typography.Text>
                        {to && EVIDENCE_STATUS_LABELS[to] ? <Tag color={STATUS_COLOR[to]}>{label(EVIDENCE_STATUS_LABELS[to])}</Tag> : null}
                      </Flex>
                      <div className="wm-event-meta">{formatDateTime(e.at)}{e.actorName ? ` · ${e.actorName}` : ''}</div>
                      {e.comment ? <div className="wm-event-note">{e.comment}</div> : null}
                      {names.length ? <div className="wm-event-detail">{names.join('、')}</div> : null}
                    </div>
                  ),
                };
              })}
            />
          </div>
        ) : null}
      </div>
    </Drawer>
  );
}
