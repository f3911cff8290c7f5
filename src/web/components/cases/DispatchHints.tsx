// What a dispatcher needs beside the unit picker: who the 责任清单 names and by which rule, and when the case will
// be due if sent now (work hours on the street calendar, with its warning for years without official data).
import { BranchesOutlined, FieldTimeOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography } from 'antd';
import { ROUTING_LEVEL_LABELS } from '../../../core/routing.js';
import { caseApi } from '../../api/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useCategories } from '../../lib/categories.js';
import { useAsync } from '../../lib/hooks.js';
import { routingApi, type Resolution } from '../../pages/categories/categoryApi.js';

export interface RoutingQuery {
  categoryCode?: string | null;
  lat?: number | null;
  lng?: number | null;
  pointId?: number | null;
}

/** Asks the 责任清单 who gets the category at the place; idle until category and place are known. */
export function useRoutingSuggestion(q: RoutingQuery) {
  const ready = Boolean(q.categoryCode && /^\d{4}$/.test(q.categoryCode) && (q.pointId || (q.lat !== null && q.lat !== undefined && q.lng !== null && q.lng !== undefined)));
  const key = ready ? `${q.categoryCode}|${q.pointId ?? ''}|${q.lat?.toFixed(6)}|${q.lng?.toFixed(6)}` : '';
  return useAsync<Resolution | null>(
    () =>
      ready
        ? routingApi.resolve(q.pointId ? { categoryCode: q.categoryCode!, pointId: q.pointId } : { categoryCode: q.categoryCode!, lat: q.lat!, lng: q.lng! })
        : Promise.resolve(null),
    [key],
  );
}

export function RoutingHint({ resolution, loading, error, chosenUnitId, onUse }: {
  resolution: Resolution | null | undefined;
  loading?: boolean;
  error?: unknown;
  chosenUnitId?: string | number | null;
  onUse?: (unitId: number) => void;
}) {
  const { t, label, errorText } = useI18n();
  if (error) return <Typography.Text type="danger">{errorText(error)}</Typography.Text>;
  if (loading && !resolution) return <Typography.Text type="secondary">{t('dispatch.routingLoading')}</Typography.Text>;
  if (!resolution) return null;
  if (!resolution.unit) {
    return <Alert type="warning" showIcon title={t('dispatch.routingNone')} />;
  }
  const why = resolution.level ? label(ROUTING_LEVEL_LABELS[resolution.level]) : '';
  const differs = chosenUnitId !== undefined && chosenUnitId !== null && String(chosenUnitId) !== String(resolution.unit.id);
  return (
    <Space size={4} wrap className="wm-routing-hint" data-testid="routing-hint">
      <BranchesOutlined />
      <Typography.Text>
        {t('dispatch.routingSays', { unit: resolution.unit.name })}
        {why ? <Typography.Text type="secondary">{t('dispatch.routingWhy', { why })}</Typography.Text> : null}
      </Typography.Text>
      {differs && onUse ? (
        <Button size="small" type="link" onClick={() => onUse(resolution.unit!.id)}>
          {t('dispatch.useRouted')}
        </Button>
      ) : null}
    </Space>
  );
}

/** "处置时限 4 个工作时，派遣后截止 11-30 12:00" for the case's category, fetched from the calendar. */
export function DeadlineHint({ categoryCode }: { categoryCode: string | null | undefined }) {
  const { t, lang, formatDateTime } = useI18n();
  const categories = useCategories();
  const category = categoryCode ? categories.byCode.get(categoryCode) : undefined;
  const limit = category?.effectiveTimeLimit ?? null;
  const preview = useAsync(() => (limit ? caseApi.deadlinePreview(limit.unit, limit.value) : Promise.resolve(null)), [limit?.unit, limit?.value]);
  if (!category) return null;
  if (!limit) return <Typography.Text type="secondary">{t('dispatch.noLimit')}</Typography.Text>;
  const p = preview.data;
  return (
    <div className="wm-deadline-hint" data-testid="deadline-hint">
      <Space size={4} wrap>
        <FieldTimeOutlined />
        <Typography.Text>
          {t('dispatch.limit', { limit: category.timeLimitText })}
          {p ? t('dispatch.dueAt', { at: formatDateTime(p.deadline) }) : ''}
        </Typography.Text>
      </Space>
      {p?.warnings.length ? <Alert type="warning" showIcon style={{ marginTop: 6 }} title={p.warnings.map((w) => (lang === 'en-US' ? w.message : w.messageZh)).join(lang === 'en-US' ? '; ' : '；')} /> : null}
    </div>
  );
}
