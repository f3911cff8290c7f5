import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setLanguageSource } from '../api/client.js';
import { errorMessage, initialLang, pickLabel, storeLang, translate, type Lang, type MessageKey, type Params } from './core.js';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  label: (item: Parameters<typeof pickLabel>[1]) => string;
  errorText: (error: unknown) => string;
  formatDateTime: (iso: string | null | undefined) => string;
  formatNumber: (value: number | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

// The API client asks for the language on every call; it reads this, set by the provider.
let currentLang: Lang = initialLang();
setLanguageSource(() => currentLang);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);

  const setLang = useCallback((next: Lang) => {
    currentLang = next;
    storeLang(next);
    setLangState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18n>(() => {
    // Deadlines count Beijing work hours: times read the same on every device, whatever its own time zone.
    const dateFormat = new Intl.DateTimeFormat(lang, {
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai',
    });
    const numberFormat = new Intl.NumberFormat(lang);
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      label: (item) => pickLabel(lang, item),
      errorText: (error) => errorMessage(lang, error),
      formatDateTime: (iso) => {
        if (!iso) return '—';
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
      },
      formatNumber: (n) => (n === null || n === undefined ? '—' : numberFormat.format(n)),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
