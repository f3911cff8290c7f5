// Problem categories as the case screens read them: loaded once per session, looked up by code, named in the UI
// language. Editing happens on the categories page (pages/categories); its saves reach these screens on the next
// sign-in or through invalidateCategories().
import { useMemo } from 'react';
import { categoryApi, type Category } from '../pages/categories/categoryApi.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { cached, invalidate, useCached } from './cache.js';
import { pushRecent } from './cases.js';

const KEY = 'categories:all';
const fetchCategories = async (): Promise<Category[]> => (await categoryApi.list()).items;

export const loadCategories = () => cached(KEY, fetchCategories);
export const invalidateCategories = () => invalidate(KEY);

export interface CategoryIndex {
  items: Category[];
  loading: boolean;
  error: unknown;
  byCode: Map<string, Category>;
  /** "暴露垃圾" in Chinese, "Exposed garbage" in English, the code itself when unknown. */
  name: (code: string | null | undefined) => string;
  /** "市容环境 / 暴露垃圾": the 大类 before the 小类. */
  path: (code: string | null | undefined) => string;
}

export function useCategories(): CategoryIndex {
  const { lang } = useI18n();
  const state = useCached(KEY, fetchCategories);
  return useMemo(() => {
    const items = state.data ?? [];
    const byCode = new Map(items.map((c) => [c.code, c]));
    const nameOf = (c: Category) => (lang === 'en-US' ? c.nameEn || c.nameZh : c.nameZh);
    const name = (code: string | null | undefined) => {
      if (!code) return '—';
      const c = byCode.get(code);
      return c ? nameOf(c) : code;
    };
    const path = (code: string | null | undefined) => {
      if (!code) return '—';
      const c = byCode.get(code);
      if (!c) return code;
      const parent = c.parentCode ? byCode.get(c.parentCode) : undefined;
      return parent ? `${nameOf(parent)} / ${nameOf(c)}` : nameOf(c);
    };
    return { items, loading: state.loading, error: state.error, byCode, name, path };
  }, [state.data, state.loading, state.error, lang]);
}

const RECENT_KEY = 'wenming.recentCategories';

export function recentCategories(): string[] {
  try {
    const raw = JSON.parse(globalThis.localStorage?.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.filter((c): c is string => typeof c === 'string' && /^\d{4}$/.test(c)) : [];
  } catch {
    return [];
  }
}

export function rememberCategory(code: string) {
  try {
    globalThis.localStorage?.setItem(RECENT_KEY, JSON.stringify(pushRecent(recentCategories(), code)));
  } catch {
    // storage full or private mode: quick choices simply stay the defaults
  }
}
