// A server-paged list: the table (cards on a phone) bound to the page's URL paging, with the load error above it.
import { Alert } from 'antd';
import { useI18n } from '../i18n/I18nProvider.js';
import type { AsyncState, ListParams } from '../lib/hooks.js';
import { ResponsiveTable, type ResponsiveTableProps } from './ResponsiveTable.js';

export type PagedTableProps<T> = Omit<ResponsiveTableProps<T>, 'data' | 'loading' | 'total' | 'page' | 'pageSize' | 'onPageChange'> & {
  /** The page's load: only its data, error and loading are read. */
  result: Pick<AsyncState<{ items: T[]; total: number }>, 'data' | 'error' | 'loading'>;
  list: ListParams;
};

export function PagedTable<T>({ result, list, ...table }: PagedTableProps<T>) {
  const { errorText } = useI18n();
  return (
    <>
      {result.error ? <Alert type="error" showIcon title={errorText(result.error)} style={{ marginBottom: 12 }} /> : null}
      <ResponsiveTable<T>
        {...table}
        data={result.data?.items}
        loading={result.loading}
        total={result.data?.total}
        page={list.page}
        pageSize={list.pageSize}
        onPageChange={list.setPage}
      />
    </>
  );
}
