import { InboxOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, type ImportRowError } from '../api/client.js';
import type { ImportResult } from '../api/types.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useIsMobile } from '../lib/hooks.js';
import { rowReportCsv } from '../lib/csv.js';

export interface ImportDialogProps {
  open: boolean;
  title: string;
  /** File extensions the picker offers, e.g. ".xlsx" or ".xlsx,.geojson,.json". */
  accept: string;
  /** One line naming the expected columns or properties. */
  hint: string;
  templateUrl?: string;
  upload: (file: File) => Promise<ImportResult>;
  onClose: () => void;
  onImported: (count: number) => void;
}

/**
 * Upload a file, then either "n imported" or the server's per-row report (行, 列, 原因). The server imports all
 * rows or none, so after a failure the whole file can be fixed and sent again.
 */
export function ImportDialog(props: ImportDialogProps) {
  const { t, errorText } = useI18n();
  const isMobile = useIsMobile();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState<number | null>(null);

  const rows = error instanceof ApiError ? error.importRows : [];

  const reset = () => {
    setFile(null);
    setError(null);
    setImported(null);
  };

  const close = () => {
    reset();
    props.onClose();
  };

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      const result = await props.upload(file);
      setImported(result.imported);
      props.onImported(result.imported);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const downloadReport = () => {
    const csv = rowReportCsv(rows, [t('import.row'), t('import.column'), t('import.reason')]);
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${file?.name ?? 'import'}-errors.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={close}
      width={isMobile ? '100%' : 720}
      style={isMobile ? { top: 0, maxWidth: '100vw', margin: 0, paddingBottom: 0 } : undefined}
      destroyOnHidden
      footer={
        <Space wrap>
          {props.templateUrl ? (
            <Button icon={<DownloadOutlined />} href={props.templateUrl} data-testid="import-template">
              {t('import.template')}
            </Button>
          ) : null}
          <Button onClick={close}>{imported !== null ? t('common.close') : t('common.cancel')}</Button>
          <Button type="primary" loading={busy} disabled={!file || imported !== null} onClick={start} data-testid="import-start">
            {t('import.start')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {props.hint}
        </Typography.Paragraph>
        <Upload.Dragger
          accept={props.accept}
          maxCount={1}
          multiple={false}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size }] : []}
          beforeUpload={(f) => {
            setFile(f);
            setError(null);
            setImported(null);
            return false;
          }}
          onRemove={() => {
            reset();
            return true;
          }}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('import.drop')}</p>
          <p className="ant-upload-hint">{props.accept.split(',').join(' / ')}</p>
        </Upload.Dragger>
        {imported !== null ? (
          <Alert type="success" showIcon title={t('import.done', { count: imported })} data-testid="import-success" />
        ) : null}
        {error ? (
          <Alert
            type="error"
            showIcon
            title={errorText(error)}
            description={rows.length ? t('import.nothingImported') : undefined}
            data-testid="import-error"
          />
        ) : null}
        {rows.length ? (
          <>
            <Table<ImportRowError>
              size="small"
              rowKey={(r) => `${r.row}:${r.column}:${r.reason}`}
              dataSource={rows}
              pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
              tableLayout="fixed"
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: isMobile ? 48 : 64 },
                { title: t('import.column'), dataIndex: 'column', width: isMobile ? 96 : 140, ellipsis: { showTitle: true } },
                { title: t('import.reason'), dataIndex: 'reason', render: (v: string) => <span className="wm-wrap">{v}</span> },
              ]}
            />
            <Button icon={<DownloadOutlined />} onClick={downloadReport}>
              {t('import.downloadReport')}
            </Button>
          </>
        ) : null}
      </Space>
    </Modal>
  );
}
