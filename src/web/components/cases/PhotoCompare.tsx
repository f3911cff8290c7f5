// 整改前 / 整改后 side by side (also on a phone: comparing them is the point of 核查), click to enlarge.
import { PictureOutlined } from '@ant-design/icons';
import { Image, Typography } from 'antd';
import type { PhotoView } from '../../api/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';

function Column({ title, photos, testId }: { title: string; photos: PhotoView[]; testId: string }) {
  const { t } = useI18n();
  const [first, ...rest] = photos;
  return (
    <div className="wm-compare-col" data-testid={testId} data-count={photos.length}>
      <div className="wm-compare-title">
        {title}
        {photos.length > 1 ? <Typography.Text type="secondary"> · {photos.length}</Typography.Text> : null}
      </div>
      {first ? (
        <>
          <div className="wm-compare-main">
            <Image src={first.urls.large} preview={{ src: first.urls.original }} alt={title} />
          </div>
          {rest.length ? (
            <div className="wm-compare-thumbs">
              {rest.map((p) => (
                <Image key={p.id} src={p.urls.thumb} preview={{ src: p.urls.original }} width={56} height={56} alt="" />
              ))}
            </div>
          ) : null}
        </>
      ) : (
        <div className="wm-compare-empty">
          <PictureOutlined />
          <span>{t('photo.none')}</span>
        </div>
      )}
    </div>
  );
}

export function PhotoCompare({ before, after, evidence = [] }: { before: PhotoView[]; after: PhotoView[]; evidence?: PhotoView[] }) {
  const { t } = useI18n();
  return (
    <Image.PreviewGroup>
      <div className="wm-compare" data-testid="photo-compare">
        <Column title={t('photo.before')} photos={before} testId="photos-before" />
        <Column title={t('photo.after')} photos={after} testId="photos-after" />
      </div>
      {evidence.length ? (
        <div className="wm-compare-evidence" data-testid="photos-evidence">
          <Typography.Text type="secondary">{t('photo.evidence')}</Typography.Text>
          <div className="wm-compare-thumbs">
            {evidence.map((p) => (
              <Image key={p.id} src={p.urls.thumb} preview={{ src: p.urls.original }} width={56} height={56} alt="" />
            ))}
          </div>
        </div>
      ) : null}
    </Image.PreviewGroup>
  );
}
