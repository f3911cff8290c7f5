// Columns of the case lists (派遣台, 待办, 问题列表, 网格员工作台), picked per screen so each shows what its
// people decide on. On a phone the title column becomes the card's head: number, status and flags.
import { Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { CaseItem } from '../../api/cases.js';
import { CaseFlags, CaseStatusTag, RemainingTime, useSourceText } from '../../components/cases/CaseTags.js';
import type { Column } from '../../components/ResponsiveTable.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { formatAge } from '../../lib/cases.js';
import { useCategories } from '../../lib/categories.js';

export type CaseColumnKey =
  | 'caseNo'
  | 'status'
  | 'remaining'
  | 'category'
  | 'description'
  | 'source'
  | 'place'
  | 'unit'
  | 'reporter'
  | 'age'
  | 'created'
  | 'deadline'
  | 'actions';

export function useCaseColumns(keys: readonly CaseColumnKey[], options: { actions?: (c: CaseItem) => ReactNode; link?: boolean } = {}): Column<CaseItem>[] {
  const { t, lang, formatDateTime } = useI18n();
  const categories = useCategories();
  const sourceText = useSourceText();
  const now = Date.now();
  const link = options.link ?? true;

  const all: Record<CaseColumnKey, Column<CaseItem>> = {
    caseNo: {
      key: 'caseNo',
      title: t('case.caseNo'),
      dataIndex: 'caseNo',
      mobile: 'title',
      fixed: 'left',
      render: (_: unknown, c) => (
        <Space size={6} wrap className="wm-case-title">
          {link ? (
            <Link to={`/cases/${c.id}`} onClick={(e) => e.stopPropagation()} data-testid="case-link">
              {c.caseNo}
            </Link>
          ) : (
            <Typography.Text strong>{c.caseNo}</Typography.Text>
          )}
          <span className="wm-mobile-only">
            <Space size={4} wrap>
              <CaseStatusTag status={c.status} />
              <CaseFlags c={c} compact />
            </Space>
          </span>
        </Space>
      ),
    },
    status: {
      key: 'status',
      title: t('common.status'),
      dataIndex: 'status',
      mobile: 'hide',
      width: 150,
      render: (_: unknown, c) => (
        <Space size={4} wrap>
          <span className="wm-desktop-only">
            <CaseStatusTag status={c.status} />
          </span>
          <CaseFlags c={c} compact />
        </Space>
      ),
    },
    remaining: { key: 'remaining', title: t('case.remainingTitle'), dataIndex: 'remainingMinutes', render: (_: unknown, c) => <RemainingTime c={c} /> },
    category: { key: 'category', title: t('case.category'), dataIndex: 'categoryCode', render: (code: string) => categories.name(code) },
    description: {
      key: 'description',
      title: t('case.description'),
      dataIndex: 'description',
      width: 220,
      render: (v: string) => <span className="wm-ellipsis-2">{v}</span>,
    },
    source: {
      key: 'source',
      title: t('case.source'),
      dataIndex: 'source',
      render: (_: unknown, c) => sourceText(c.source, c.sourceLevel),
    },
    place: {
      key: 'place',
      title: t('case.place'),
      dataIndex: 'gridName',
      width: 180,
      render: (_: unknown, c) => (
        <span className="wm-ellipsis-2">
          {[c.communityName, c.pointName ?? c.gridName].filter(Boolean).join(' · ') || c.address || '—'}
        </span>
      ),
    },
    unit: { key: 'unit', title: t('case.unit'), dataIndex: 'unitName' },
    reporter: { key: 'reporter', title: t('case.reporter'), dataIndex: 'reporterName', mobile: 'hide' },
    age: {
      key: 'age',
      title: t('case.age'),
      dataIndex: 'createdAt',
      render: (v: string) => {
        const age = formatAge(v, now, lang);
        return <span title={formatDateTime(v)}>{Date.parse(v) > now - 60_000 ? age : t('case.ago', { age })}</span>;
      },
    },
    created: { key: 'created', title: t('case.reportedAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v), mobile: 'hide' },
    deadline: { key: 'deadline', title: t('case.deadline'), dataIndex: 'deadline', render: (v: string | null) => formatDateTime(v), mobile: 'hide' },
    actions: { key: 'actions', title: t('common.actions'), fixed: 'right', render: (_: unknown, c) => options.actions?.(c) ?? null },
  };
  return keys.map((k) => all[k]);
}
