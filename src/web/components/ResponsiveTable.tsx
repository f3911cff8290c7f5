import { Card, Empty, Pagination, Spin, Table, Typography } from 'antd';
import type { TableColumnType, TableProps } from 'antd';
import type { HTMLAttributes, Key, ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.js';
import { useIsMobile } from '../lib/hooks.js';

export interface Column<T> extends TableColumnType<T> {
  /** On phones: 'title' heads the card, 'hide' leaves the field out, default shows it as "label: value". */
  mobile?: 'title' | 'hide';
}

export interface ResponsiveTableProps<T> {
  columns: Column<T>[];
  data: T[] | undefined;
  loading?: boolean;
  rowKey: (row: T) => Key;
  total?: number;
  page?: number;
  pageSize?: number;
  onPageChange?: (page: number, pageSize: number) => void;
  onRowClick?: (row: T) => void;
  /** Rows get data-testid="<testId>-row" and data-row-key, the table data-testid="<testId>". */
  testId: string;
  empty?: ReactNode;
  expandable?: TableProps<T>['expandable'];
  /** Checkboxes for bulk actions (desktop only: phones act on one card at a time). */
  rowSelection?: TableProps<T>['rowSelection'];
}

function cellValue<T>(column: Column<T>, row: T, index: number): ReactNode {
  const raw = column.dataIndex === undefined ? undefined : (row as Record<string, unknown>)[String(column.dataIndex)];
  if (column.render) return column.render(raw, row, index) as ReactNode;
  return raw === null || raw === undefined || raw === '' ? '—' : String(raw);
}

/**
 * A server-paged table on desktop; on a phone the same columns become a list of cards, so nothing needs a
 * sideways scroll at 390 px.
 */
export function ResponsiveTable<T>(props: ResponsiveTableProps<T>) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const { columns, data, loading, rowKey, total, page, pageSize, onPageChange, onRowClick, testId } = props;
  const showTotal = (n: number) => t('common.total', { count: n });

  if (isMobile) {
    const titleColumn = columns.find((c) => c.mobile === 'title') ?? columns[0];
    const actionColumn = columns.find((c) => c.key === 'actions');
    const bodyColumns = columns.filter((c) => c !== titleColumn && c !== actionColumn && c.mobile !== 'hide');
    return (
      <div data-testid={testId} className="wm-card-list">
        <Spin spinning={Boolean(loading)}>
          {data && data.length === 0 ? (
            <Empty description={props.empty ?? t('common.empty')} />
          ) : (
            (data ?? []).map((row, index) => (
              <div key={rowKey(row)} data-testid={`${testId}-row`} data-row-key={String(rowKey(row))}>
              <Card
                size="small"
                className="wm-row-card"
                title={titleColumn ? cellValue(titleColumn, row, index) : null}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                hoverable={Boolean(onRowClick)}
              >
                <dl className="wm-card-fields">
                  {bodyColumns.map((column, i) => (
                    <div key={String(column.key ?? column.dataIndex ?? i)} className="wm-card-field">
                      <dt>{column.title as ReactNode}</dt>
                      <dd>{cellValue(column, row, index)}</dd>
                    </div>
                  ))}
                </dl>
                {actionColumn ? (
                  <div className="wm-card-actions" onClick={(e) => e.stopPropagation()}>
                    {cellValue(actionColumn, row, index)}
                  </div>
                ) : null}
              </Card>
              </div>
            ))
          )}
        </Spin>
        {total !== undefined && onPageChange && total > 0 ? (
          <div className="wm-card-pagination">
            <Typography.Text type="secondary">{showTotal(total)}</Typography.Text>
            <Pagination simple size="small" current={page} pageSize={pageSize} total={total} onChange={onPageChange} />
          </div>
        ) : null}
      </div>
    );
  }

  return (
    <div data-testid={testId}>
    <Table<T>
      size="middle"
      columns={columns}
      dataSource={data}
      loading={loading}
      rowKey={rowKey}
      scroll={{ x: 'max-content' }}
      expandable={props.expandable}
      rowSelection={props.rowSelection}
      locale={{ emptyText: props.empty ?? t('common.empty') }}
      onRow={(row) =>
        ({
          'data-testid': `${testId}-row`,
          onClick: onRowClick ? () => onRowClick(row) : undefined,
          style: onRowClick ? { cursor: 'pointer' } : undefined,
        }) as HTMLAttributes<HTMLElement>
      }
      pagination={
        onPageChange
          ? {
              current: page,
              pageSize,
              total,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50, 100],
              showTotal,
              onChange: onPageChange,
            }
          : false
      }
    />
    </div>
  );
}

/** Stops a click on a button inside a clickable row from also opening the row. */
export function stop(event: { stopPropagation: () => void }) {
  event.stopPropagation();
}
