// Message lookup without React, so the API client, pure helpers and tests can use it too.
import { zh, type MessageKey } from './zh.js';
import { en } from './en.js';
import { ApiError, CLIENT_CODES } from '../api/client.js';

export type Lang = 'zh-CN' | 'en-US';
export type { MessageKey };
export type Params = Record<string, string | number | null | undefined>;

export const LANGS: readonly Lang[] = ['zh-CN', 'en-US'];
export const DEFAULT_LANG: Lang = 'zh-CN';
const STORAGE_KEY = 'wenming.lang';

const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, 'en-US': en };

export function isLang(value: unknown): value is Lang {
  return value === 'zh-CN' || value === 'en-US';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zh, key);
}

/** `{name}` placeholders are filled from params; a missing param leaves an empty string, never "{name}". */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? '' : String(value);
  });
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return format(dictionaries[lang][key] ?? zh[key] ?? key, params);
}

/** Picks the label of a {zh, en} pair (roles, org kinds, type fields) or {nameZh, nameEn} (point types). */
export function pickLabel(lang: Lang, item: { zh?: string; en?: string; nameZh?: string; nameEn?: string } | null | undefined): string {
  if (!item) return '';
  if (lang === 'en-US') return item.en ?? item.nameEn ?? item.zh ?? item.nameZh ?? '';
  return item.zh ?? item.nameZh ?? item.en ?? item.nameEn ?? '';
}

export function storedLang(): Lang | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLang(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeLang(lang: Lang) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode or storage full: the choice lasts for this page only
  }
}

/** First choice: what this device chose before; then the browser's language; zh-CN otherwise. */
export function initialLang(): Lang {
  const stored = storedLang();
  if (stored) return stored;
  const nav = globalThis.navigator?.language?.toLowerCase() ?? '';
  return nav.startsWith('en') ? 'en-US' : DEFAULT_LANG;
}

/**
 * The text to show for a failed call. The server's message is already in the UI language (Accept-Language),
 * so it wins; our dictionary covers replies without one (proxies, rate limiter, network down).
 */
export function errorMessage(lang: Lang, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.serverMessage) return error.message;
    const details = (error.details ?? {}) as Record<string, unknown>;
    const key = `error.${error.code}`;
    if (error.code === 'RATE_LIMITED' && typeof details.retryAfterSeconds === 'number' && Number.isFinite(details.retryAfterSeconds)) {
      return translate(lang, 'error.RATE_LIMITED_RETRY', { seconds: details.retryAfterSeconds });
    }
    if (isMessageKey(key)) {
      return translate(lang, key, { minutes: details.minutes as number | undefined, field: error.field });
    }
    if (error.code === CLIENT_CODES.network) return translate(lang, 'error.NETWORK_ERROR');
    return translate(lang, 'error.unknown', { code: error.code });
  }
  if (error instanceof Error && error.name === 'AbortError') return '';
  return translate(lang, 'error.unknown', { code: '' });
}
