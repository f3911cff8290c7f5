// Small pieces shared by the planning pages and the phone page: kind and status tags, a progress bar.
import { Progress, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { PlanSummary } from './api.js';
import { KIND_LABELS, STATUS_LABELS } from './model.js';

export const mayPlan = (role: string) => role === 'admin' || role === 'office';

export function KindTag({ kind }: { kind: PlanSummary['kind'] }) {
  const { lang } = useI18n();
  const l = KIND_LABELS[kind];
  return l ? <Tag color={l.color}>{lang === 'en-US' ? l.en : l.zh}</Tag> : <Tag>{kind}</Tag>;
}

export function StatusTag({ status }: { status: PlanSummary['status'] }) {
  const { lang } = useI18n();
  const l = STATUS_LABELS[status];
  return l ? (
    <Tag color={l.color} data-testid="plan-status" data-status={status}>
      {lang === 'en-US' ? l.en : l.zh}
    </Tag>
  ) : (
    <Tag>{status}</Tag>
  );
}

export function ProgressBar({ done, total }: { done: number; total: number }) {
  return (
    <div className="wm-insp-progress">
      <Progress percent={total ? Math.round((done / total) * 100) : 0} size="small" showInfo={false} style={{ width: 88, margin: 0 }} />
      <Typography.Text type="secondary" className="wm-insp-progress-text">
        {done}/{total}
      </Typography.Text>
    </div>
  );
}

