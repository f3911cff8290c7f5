// A case's history, oldest first: who did what and when, the reason or measures, and every deadline change.
// Nothing is deleted, so this is also the ledger's story of the case.
import { Space, Timeline, Typography } from 'antd';
import { CASE_ACTION_LABELS, CASE_MARK_LABELS, CASE_STATE_LABELS, type CaseAction, type CaseMark, type CaseState } from '../../../core/cases/index.js';
import type { CaseEvent } from '../../api/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { MessageKey } from '../../i18n/core.js';
import { actionTone } from '../../lib/cases.js';

const SYSTEM_EVENTS = ['report', 'rebound', 'merged_in', 'remind', 'overdue', 'escalate'] as const;

function colourOf(action: string): string {
  if (action === 'pass_check') return 'green';
  if (action === 'overdue' || action === 'escalate') return 'red';
  if (action === 'remind' || action === 'rebound') return 'orange';
  if (action === 'report') return 'gray';
  if (action in CASE_ACTION_LABELS) {
    const tone = actionTone(action as CaseAction);
    return tone === 'danger' ? 'red' : tone === 'primary' ? 'blue' : 'gray';
  }
  return 'gray';
}

export function CaseTimeline({ events }: { events: CaseEvent[] }) {
  const { t, label, formatDateTime } = useI18n();

  const actionText = (e: CaseEvent) => {
    if ((SYSTEM_EVENTS as readonly string[]).includes(e.action)) return t(`caseEvent.${e.action}` as MessageKey);
    const known = CASE_ACTION_LABELS[e.action as CaseAction];
    return known ? label(known) : e.action;
  };

  const details = (e: CaseEvent, previousDeadline: string | null) => {
    const d = (e.data ?? {}) as Record<string, unknown>;
    const lines: string[] = [];
    if (e.action === 'dispatch' && d.unitName) lines.push(t('caseEvent.dispatchedTo', { unit: String(d.unitName) }));
    if (e.action === 'request_extension') {
      if (d.newDeadline) lines.push(t('caseEvent.askedUntil', { at: formatDateTime(String(d.newDeadline)) }));
      if (d.mark) lines.push(label(CASE_MARK_LABELS[d.mark as CaseMark]));
    }
    if (e.action === 'merge' && d.targetCaseNo) lines.push(t('caseEvent.mergedInto', { caseNo: String(d.targetCaseNo) }));
    if (e.action === 'merged_in') lines.push(t('caseEvent.mergedInDetail'));
    if (e.action === 'rebound' && d.ofCaseNo) lines.push(t('caseEvent.reboundOf', { caseNo: String(d.ofCaseNo), count: Number(d.spotCount ?? 1) }));
    if (e.action === 'remind' && d.percent !== undefined) lines.push(t('caseEvent.remindDetail', { percent: Number(d.percent) }));
    if (e.action === 'escalate' && d.level !== undefined) lines.push(t('caseEvent.escalateDetail', { level: Number(d.level), hours: Number(d.overdueHours ?? 0) }));
    if (e.deadline && e.deadline !== previousDeadline) lines.push(t('caseEvent.deadline', { at: formatDateTime(e.deadline) }));
    return lines;
  };

  let previousDeadline: string | null = null;
  const items = events.map((e) => {
    const lines = details(e, previousDeadline);
    if (e.deadline) previousDeadline = e.deadline;
    const from = e.fromStatus ? label(CASE_STATE_LABELS[e.fromStatus as CaseState]) : null;
    const to = e.toStatus ? label(CASE_STATE_LABELS[e.toStatus as CaseState]) : null;
    return {
      key: e.id,
      color: colourOf(e.action),
      content: (
        <div className="wm-event" data-testid="case-event" data-action={e.action}>
          <Space size={8} wrap>
            <Typography.Text strong>{actionText(e)}</Typography.Text>
            {to && from !== to ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {from ? `${from} → ` : ''}
                {to}
              </Typography.Text>
            ) : null}
          </Space>
          <div className="wm-event-meta">
            {formatDateTime(e.at)}
            {e.actorName ? ` · ${e.actorName}` : ` · ${t('caseEvent.system')}`}
            {e.actorOrg ? `（${e.actorOrg}）` : ''}
          </div>
          {e.note && e.action !== 'report' ? <div className="wm-event-note">{e.note}</div> : null}
          {lines.map((line) => (
            <div key={line} className="wm-event-detail">
              {line}
            </div>
          ))}
        </div>
      ),
    };
  });

  return (
    <div data-testid="case-timeline">
      <Timeline items={items} />
    </div>
  );
}
