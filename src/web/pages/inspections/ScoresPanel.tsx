// 得分率 of an inspection: overall, by community, by point type, by standard item and by point (weakest first), each
// with the change since the previous inspection of the same kind when there is one.
import { Alert, Card, Empty, Spin, Statistic, Table, Typography } from 'antd';
import type { TableColumnType } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAsync, useIsMobile } from '../../lib/hooks.js';
import { inspectionsApi, type RateRow, type ScoreDelta, type ScoreGroup, type Scores } from './api.js';
import { formatDelta, percent } from './model.js';
import { useStrings } from './strings.js';

export function Delta({ value }: { value: number | null | undefined }) {
  const text = formatDelta(value);
  if (text === null) return <span className="wm-insp-delta-flat">—</span>;
  const cls = text === '0.0' ? 'wm-insp-delta-flat' : text.startsWith('+') ? 'wm-insp-delta-up' : 'wm-insp-delta-down';
  return <span className={cls}>{text}</span>;
}

const rateOf = (r: RateRow | null | undefined) => (r ? (r.rate ?? (r.possible > 0 ? r.earned / r.possible : null)) : null);
const round = (n: number | undefined) => (typeof n === 'number' ? Math.round(n * 100) / 100 : '—');

type Row = ScoreGroup & { prev?: ScoreDelta };

function ScoreTable({ title, rows, nameTitle, kind, deltas, testId, wide }: {
  title: string; rows: ScoreGroup[]; nameTitle: string; kind: 'community' | 'type' | 'item' | 'point'; deltas: ScoreDelta[] | null; testId: string; wide?: boolean;
}) {
  const s = useStrings();
  const isMobile = useIsMobile();
  const byKey = new Map((deltas ?? []).map((d) => [d.key, d]));
  const data: Row[] = rows.map((g) => ({ ...g, prev: byKey.get(g.key) }));
  const columns: TableColumnType<Row>[] = [
    ...(kind === 'community' ? [{ title: '#', dataIndex: 'rank', width: 44, align: 'right' as const }] : []),
    ...(kind === 'item' && !isMobile ? [{ title: s('code'), dataIndex: 'key', width: 80, render: (v: string) => <span className="wm-check-code">{v}</span> }] : []),
    {
      title: nameTitle,
      key: 'name',
      minWidth: isMobile ? 96 : 150,
      render: (_: unknown, g: Row) => (
        <span className="wm-wrap">
          {kind === 'item' && isMobile ? <span className="wm-check-code">{g.key} </span> : null}
          {g.name}
          {kind === 'point' ? <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{[g.typeName, g.communityName].filter(Boolean).join(' · ')}</Typography.Text> : null}
        </span>
      ),
    },
    { title: s('rate'), key: 'rate', width: 80, align: 'right', render: (_: unknown, g: Row) => <strong className="wm-insp-num">{percent(rateOf(g))}</strong> },
    ...(!isMobile
      ? [{ title: `${s('earned')}/${s('possible')}`, key: 'pts', width: 110, align: 'right' as const, render: (_: unknown, g: Row) => <span className="wm-insp-num">{round(g.earned)}/{round(g.possible)}</span> }]
      : []),
    ...(kind !== 'item' && kind !== 'point' && !isMobile ? [{ title: s('points'), dataIndex: 'points', width: 64, align: 'right' as const }] : []),
    { title: s('failedCount'), dataIndex: 'failed', width: 72, align: 'right' as const },
    ...(deltas
      ? [
          ...(!isMobile ? [{ title: s('previous'), key: 'prev', width: 76, align: 'right' as const, render: (_: unknown, g: Row) => <span className="wm-insp-num">{percent(g.prev?.previous)}</span> }] : []),
          { title: s('delta'), key: 'delta', width: 64, align: 'right' as const, render: (_: unknown, g: Row) => <Delta value={g.prev?.delta} /> },
        ]
      : []),
  ];
  return (
    <Card size="small" title={title} data-testid={testId} data-count={rows.length} className={wide ? 'wm-insp-score-wide' : undefined} styles={{ body: { padding: isMobile ? 0 : undefined } }}>
      <Table<Row> size="small" rowKey={(g) => g.key} columns={columns} dataSource={data} pagination={data.length > 15 ? { pageSize: 15, size: 'small' } : false} />
    </Card>
  );
}

export function ScoresView({ scores }: { scores: Scores }) {
  const s = useStrings();
  const prev = scores.previous;
  const delta = scores.delta;
  if (!scores.overall.possible) return <Empty description={s('noScores')} />;
  return (
    <div data-testid="scores">
      <div className="wm-insp-stat-grid">
        <Card size="small">
          <Statistic title={s('overall')} value={percent(rateOf(scores.overall))} styles={{ content: { color: '#b71c1c' } }} />
          <Typography.Text type="secondary" className="wm-insp-num" data-testid="scores-overall" data-earned={scores.overall.earned} data-possible={scores.overall.possible}>
            {round(scores.overall.earned)}/{round(scores.overall.possible)} · {s('inspectedPoints', { done: scores.inspectedPoints, total: scores.totalPoints })}
          </Typography.Text>
        </Card>
        <Card size="small">
          {prev ? (
            <>
              <Statistic title={s('previous')} value={percent(rateOf(prev.overall))} />
              <Typography.Text type="secondary">
                {s('delta')} <Delta value={delta?.overall} /> · <Link to={`/inspections/${prev.planId}`}>{prev.title}</Link>
              </Typography.Text>
            </>
          ) : (
            <Typography.Text type="secondary">{s('noPrevious')}</Typography.Text>
          )}
        </Card>
      </div>
      <div className="wm-insp-score-cards">
        <ScoreTable title={s('byCommunity')} nameTitle={s('community')} rows={scores.byCommunity} kind="community" deltas={delta?.byCommunity ?? null} testId="scores-community" />
        <ScoreTable title={s('byPointType')} nameTitle={s('pointType')} rows={scores.byPointType} kind="type" deltas={delta?.byPointType ?? null} testId="scores-type" />
        <ScoreTable title={s('byPoint')} nameTitle={s('pointName')} rows={scores.byPoint} kind="point" deltas={null} testId="scores-point" wide />
        <ScoreTable title={s('byItem')} nameTitle={s('item')} rows={scores.byItem} kind="item" deltas={delta?.byItem ?? null} testId="scores-item" wide />
      </div>
    </div>
  );
}

export default function ScoresPanel({ planId }: { planId: number }) {
  const { errorText } = useI18n();
  const scores = useAsync(() => inspectionsApi.scores(planId), [planId]);
  if (scores.error) return <Alert type="error" showIcon title={errorText(scores.error)} />;
  if (!scores.data) return <Spin />;
  return <ScoresView scores={scores.data} />;
}
