// Photos for a report or a feedback: take one with the camera or pick several from the album. Each file is
// uploaded at once (the server checks it by content and reads its EXIF GPS), so the form only sends photo ids.
import { CameraOutlined, CloseOutlined, LoadingOutlined, PictureOutlined } from '@ant-design/icons';
import { App as AntApp, Image, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { photoApi } from '../../api/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';

export interface UploadedPhoto {
  id: number;
  thumb: string;
  large: string;
  /** EXIF GPS of the photo (WGS-84): a location hint when the browser cannot locate the phone. */
  gps: { lat: number; lng: number } | null;
}

interface Pending {
  key: string;
  preview: string;
}

export interface PhotoUploaderProps {
  value?: UploadedPhoto[];
  onChange?: (photos: UploadedPhoto[]) => void;
  purpose: 'before' | 'after' | 'evidence';
  max?: number;
  /** Prefix of data-testid: `<testId>-camera`, `<testId>-album`, `<testId>-item`. */
  testId?: string;
  disabled?: boolean;
  /** Told while files are still uploading: submitting then would leave them out. */
  onBusyChange?: (busy: boolean) => void;
}

let pendingSeq = 0;

export function PhotoUploader({ value = [], onChange, purpose, max = 9, testId = 'photos', disabled, onBusyChange }: PhotoUploaderProps) {
  const { t, errorText } = useI18n();
  const { message } = AntApp.useApp();
  const [pending, setPending] = useState<Pending[]>([]);
  const cameraRef = useRef<HTMLInputElement>(null);
  const albumRef = useRef<HTMLInputElement>(null);
  // Uploads finish one by one after the props that started them; read the latest list when each one lands.
  const valueRef = useRef(value);
  valueRef.current = value;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const busy = pending.length > 0;
  const onBusyRef = useRef(onBusyChange);
  onBusyRef.current = onBusyChange;
  useEffect(() => onBusyRef.current?.(busy), [busy]);

  const room = max - value.length - pending.length;

  const addFiles = async (files: FileList | null) => {
    if (!files?.length) return;
    const chosen = [...files].slice(0, Math.max(0, room));
    if (files.length > chosen.length) message.warning(t('photo.tooMany', { max }));
    const jobs = chosen.map((file) => ({ file, key: `p${++pendingSeq}`, preview: URL.createObjectURL(file) }));
    setPending((list) => [...list, ...jobs.map(({ key, preview }) => ({ key, preview }))]);
    for (const job of jobs) {
      try {
        const photo = await photoApi.upload(job.file, purpose, job.file.name || 'photo.jpg');
        const uploaded: UploadedPhoto = { id: photo.id, thumb: photo.urls.thumb, large: photo.urls.large, gps: photo.gps };
        onChangeRef.current?.([...valueRef.current, uploaded]);
        valueRef.current = [...valueRef.current, uploaded];
      } catch (err) {
        message.error(`${t('photo.failed')}：${errorText(err)}`);
      } finally {
        setPending((list) => list.filter((p) => p.key !== job.key));
        URL.revokeObjectURL(job.preview);
      }
    }
  };

  const remove = (id: number) => onChange?.(value.filter((p) => p.id !== id));

  return (
    <div className="wm-photo-uploader" data-testid={testId} data-count={value.length} data-pending={pending.length}>
      <Image.PreviewGroup>
        {value.map((p) => (
          <div key={p.id} className="wm-photo-tile" data-testid={`${testId}-item`}>
            <Image src={p.thumb} preview={{ src: p.large }} alt="" />
            {!disabled ? (
              <button type="button" className="wm-photo-remove" onClick={() => remove(p.id)} aria-label={t('photo.remove')}>
                <CloseOutlined />
              </button>
            ) : null}
          </div>
        ))}
      </Image.PreviewGroup>
      {pending.map((p) => (
        <div key={p.key} className="wm-photo-tile wm-photo-pending">
          <img src={p.preview} alt="" />
          <span className="wm-photo-spinner">
            <LoadingOutlined />
          </span>
        </div>
      ))}
      {room > 0 && !disabled ? (
        <>
          <button type="button" className="wm-photo-add" onClick={() => cameraRef.current?.click()} data-testid={`${testId}-camera-button`}>
            <CameraOutlined />
            <span>{t('photo.camera')}</span>
          </button>
          <button type="button" className="wm-photo-add" onClick={() => albumRef.current?.click()} data-testid={`${testId}-album-button`}>
            <PictureOutlined />
            <span>{t('photo.album')}</span>
          </button>
        </>
      ) : null}
      {/* capture=environment opens the rear camera on phones; the album input lets people pick several. */}
      <input
        ref={cameraRef}
        type="file"
        accept="image/*"
        capture="environment"
        style={{ display: 'none' }}
        data-testid={`${testId}-camera`}
        onChange={(e) => {
          void addFiles(e.target.files);
          e.target.value = '';
        }}
      />
      <input
        ref={albumRef}
        type="file"
        accept="image/jpeg,image/png,image/webp"
        multiple
        style={{ display: 'none' }}
        data-testid={`${testId}-album`}
        onChange={(e) => {
          void addFiles(e.target.files);
          e.target.value = '';
        }}
      />
      {value.length === 0 && pending.length === 0 ? (
        <Typography.Text type="secondary" className="wm-photo-hint">
          {t('photo.hint', { max })}
        </Typography.Text>
      ) : null}
    </div>
  );
}

