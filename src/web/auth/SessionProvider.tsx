import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client.js';
import { authApi, metaApi } from '../api/endpoints.js';
import type { Meta, Session, SessionUser } from '../api/types.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { isLang, storedLang } from '../i18n/core.js';
import { invalidate } from '../lib/cache.js';

export type SessionStatus = 'loading' | 'anonymous' | 'signed-in';

export interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
  meta: Meta | null;
  /** Set when the server could not be reached at start-up, so the login page can say so. */
  startupError: unknown;
  /** True after a 401 from a page call: the login page explains that the session ended. */
  expired: boolean;
  login: (username: string, password: string) => Promise<SessionUser>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  reloadMeta: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { lang, setLang } = useI18n();
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [user, setUser] = useState<SessionUser | null>(null);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [startupError, setStartupError] = useState<unknown>(null);
  const [expired, setExpired] = useState(false);
  const langRef = useRef(lang);
  langRef.current = lang;

  const adopt = useCallback(
    (session: Session, { explicitLang }: { explicitLang: boolean }) => {
      invalidate();
      setCsrfToken(session.csrfToken);
      setUser(session.user);
      setStatus('signed-in');
      setExpired(false);
      const serverLang = session.user.locale;
      // The device's explicit choice wins and is saved to the account; a new device follows the account.
      if (explicitLang || storedLang()) {
        if (serverLang !== langRef.current) authApi.setLocale(langRef.current).catch(() => undefined);
      } else if (isLang(serverLang) && serverLang !== langRef.current) {
        setLang(serverLang);
      }
    },
    [setLang],
  );

  const reloadMeta = useCallback(async () => {
    setMeta(await metaApi.get());
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      invalidate();
      setCsrfToken(null);
      setUser(null);
      setExpired(true);
      setStatus('anonymous');
    });
    let cancelled = false;
    // On the login page there is nothing to restore: skipping the probe spares a 401 in the console.
    const onLoginPage = window.location.pathname === '/login';
    (async () => {
      const [metaResult, meResult] = await Promise.allSettled([
        metaApi.get(),
        onLoginPage ? Promise.reject(new ApiError({ status: 401, code: 'AUTH_REQUIRED' })) : authApi.me(),
      ]);
      if (cancelled) return;
      if (metaResult.status === 'fulfilled') setMeta(metaResult.value);
      else setStartupError(metaResult.reason);
      if (meResult.status === 'fulfilled') {
        adopt(meResult.value, { explicitLang: false });
      } else {
        if (!(meResult.reason instanceof ApiError && meResult.reason.status === 401)) setStartupError(meResult.reason);
        setStatus('anonymous');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [adopt]);

  const login = useCallback(
    async (username: string, password: string) => {
      const session = await authApi.login(username, password);
      adopt(session, { explicitLang: true });
      if (!meta) reloadMeta().catch(() => undefined);
      return session.user;
    },
    [adopt, meta, reloadMeta],
  );

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      invalidate();
      setCsrfToken(null);
      setUser(null);
      setExpired(false);
      setStatus('anonymous');
    }
  }, []);

  const refresh = useCallback(async () => {
    adopt(await authApi.me(), { explicitLang: false });
  }, [adopt]);

  // Language switches while signed in are saved to the account (PATCH /me) so other devices follow.
  const previousLang = useRef(lang);
  const userRef = useRef(user);
  userRef.current = user;
  useEffect(() => {
    if (previousLang.current === lang) return;
    previousLang.current = lang;
    if (status === 'signed-in' && userRef.current?.locale !== lang) {
      authApi.setLocale(lang).catch(() => undefined);
      setUser((u) => (u ? { ...u, locale: lang } : u));
    }
  }, [lang, status]);

  const value = useMemo<SessionState>(
    () => ({ status, user, meta, startupError, expired, login, logout, refresh, reloadMeta }),
    [status, user, meta, startupError, expired, login, logout, refresh, reloadMeta],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** For pages inside the console, where a user is guaranteed. */
export function useUser(): SessionUser {
  const { user } = useSession();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}
