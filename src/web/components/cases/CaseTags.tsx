// Small pieces every case screen shows the same way: the status tag, the source, the flags (督办, 超期, 反弹,
// 返工, 承诺件/协调件) and the work time left, coloured green/amber/red.
import { ClockCircleOutlined, FireOutlined, RetweetOutlined, WarningOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip, Typography } from 'antd';
import { CASE_MARK_LABELS, CASE_STATE_LABELS, type CaseState } from '../../../core/cases/index.js';
import type { CaseItem, CaseSource, SourceLevel } from '../../api/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { MessageKey } from '../../i18n/core.js';
import { STATUS_COLOURS, URGENCY_COLOURS, formatWorkDuration, urgencyOf } from '../../lib/cases.js';

export function CaseStatusTag({ status }: { status: CaseState }) {
  const { label } = useI18n();
  return (
    <Tag color={STATUS_COLOURS[status]?.tag} data-testid="case-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {label(CASE_STATE_LABELS[status]) || status}
    </Tag>
  );
}

export function sourceKey(source: CaseSource | string): MessageKey {
  return `source.${source}` as MessageKey;
}

/** "市级督查通报" for a city notice, else the source name. */
export function useSourceText() {
  const { t } = useI18n();
  return (source: CaseSource | string, level?: SourceLevel | null) => {
    const base = t(sourceKey(source));
    return level ? t('source.withLevel', { level: t(`sourceLevel.${level}` as MessageKey), source: base }) : base;
  };
}

export function SourceText({ source, level }: { source: CaseSource; level?: SourceLevel | null }) {
  const text = useSourceText();
  return <span>{text(source, level)}</span>;
}

/** Flags worth a glance: 督办, 超期, 反弹, 返工 ×n, 承诺件/协调件, 延期申请中. */
export function CaseFlags({ c, compact }: { c: CaseItem; compact?: boolean }) {
  const { t, label } = useI18n();
  const flags = [
    c.supervised ? <Tag key="sup" color="red" icon={<FireOutlined />} data-testid="flag-supervised">{t('case.flag.supervised')}</Tag> : null,
    c.overdue ? <Tag key="late" color="error" data-testid="flag-overdue">{t('case.flag.overdue')}</Tag> : null,
    c.isRebound ? <Tag key="reb" color="volcano" icon={<RetweetOutlined />}>{t('case.flag.rebound')}</Tag> : null,
    c.reworkCount > 0 ? <Tag key="rw" color="orange">{t('case.flag.rework', { count: c.reworkCount })}</Tag> : null,
    c.mark ? <Tag key="mark" color="purple">{label(CASE_MARK_LABELS[c.mark])}</Tag> : null,
    !compact && c.mergedCount > 0 ? <Tag key="mg">{t('case.flag.merged', { count: c.mergedCount })}</Tag> : null,
  ].filter(Boolean);
  if (!flags.length) return null;
  return (
    <Space size={[0, 4]} wrap>
      {flags}
    </Space>
  );
}

/** "剩余 3 小时 20 分钟" in green/amber, "超期 1 个工作日" in red; "—" without a deadline. */
export function RemainingTime({ c, strong }: { c: Pick<CaseItem, 'overdue' | 'remainingMinutes' | 'reminderLevel' | 'deadline'>; strong?: boolean }) {
  const { t, lang, formatDateTime } = useI18n();
  const urgency = urgencyOf(c);
  if (c.remainingMinutes === null) {
    return c.overdue ? <Typography.Text type="danger">{t('case.flag.overdue')}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>;
  }
  const text =
    c.remainingMinutes < 0
      ? t('case.overdueBy', { time: formatWorkDuration(c.remainingMinutes, lang) })
      : t('case.remaining', { time: formatWorkDuration(c.remainingMinutes, lang) });
  return (
    <Tooltip title={c.deadline ? `${t('case.deadline')} ${formatDateTime(c.deadline)}` : undefined}>
      <span className="wm-remaining" data-testid="case-remaining" data-urgency={urgency} style={{ color: URGENCY_COLOURS[urgency], fontWeight: strong ? 600 : 500 }}>
        {urgency === 'overdue' ? <WarningOutlined /> : <ClockCircleOutlined />} {text}
      </span>
    </Tooltip>
  );
}
