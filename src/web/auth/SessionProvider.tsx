import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client.js';
import { authApi, metaApi } from '../api/endpoints.js';
import type { Meta, Session, SessionUser } from '../api/types.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { isLang, storedLang } from '../i18n/core.js';
import { invalidate } from '../lib/cache.js';
import {
  OFFLINE_STARTUP_TIMEOUT_MS, RECONNECT_MS, forgetUser, loadStoredUser, rememberUser, setSignOutPending, signOutPending, startupFallback, withTimeout,
} from './offlineUser.js';

export type SessionStatus = 'loading' | 'anonymous' | 'signed-in';

export interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
  meta: Meta | null;
  /** Set when the server could not be reached at start-up, so the login page can say so. */
  startupError: unknown;
  /** True after a 401 from a page call: the login page explains that the session ended. */
  expired: boolean;
  /**
   * 离线模式: the server could not be reached at start-up, so the app runs as the last signed-in user of this
   * browser (offlineUser.ts) on the data saved on the phone, until the session check succeeds again.
   */
  offline: boolean;
  login: (username: string, password: string) => Promise<SessionUser>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  reloadMeta: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Tells the phone's upload queue who is signed in now (null: nobody), if that code has been loaded at all. */
function tellOfflineQueue(userId: string | null) {
  void import('../lib/offline/manager.js').then((m) => m.offlineManager().setUser(userId)).catch(() => undefined);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { lang, setLang } = useI18n();
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [user, setUser] = useState<SessionUser | null>(null);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [startupError, setStartupError] = useState<unknown>(null);
  const [expired, setExpired] = useState(false);
  const [offline, setOffline] = useState(false);
  const offlineRef = useRef(offline);
  offlineRef.current = offline;
  const langRef = useRef(lang);
  langRef.current = lang;

  const adopt = useCallback(
    (session: Session, { explicitLang }: { explicitLang: boolean }) => {
      invalidate();
      setCsrfToken(session.csrfToken);
      setUser(session.user);
      setStatus('signed-in');
      setExpired(false);
      setOffline(false);
      rememberUser(session.user);
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
      setOffline(false);
      setStatus('anonymous');
    });
    let cancelled = false;
    // On the login page there is nothing to restore: skipping the probe spares a 401 in the console.
    const onLoginPage = window.location.pathname === '/login';
    // Someone to carry on as when the server cannot be reached; then a hanging check must not keep the spinner up.
    const stored = onLoginPage ? null : loadStoredUser();
    (async () => {
      const [metaResult, meResult] = await Promise.allSettled([
        metaApi.get(),
        onLoginPage
          ? Promise.reject(new ApiError({ status: 401, code: 'AUTH_REQUIRED' }))
          : stored
            ? withTimeout(authApi.me(), OFFLINE_STARTUP_TIMEOUT_MS)
            : authApi.me(),
      ]);
      if (cancelled) return;
      if (metaResult.status === 'fulfilled') setMeta(metaResult.value);
      else setStartupError(metaResult.reason);
      if (meResult.status === 'fulfilled') {
        if (signOutPending()) {
          // Signed out while offline: the server session is ended now.
          setCsrfToken(meResult.value.csrfToken);
          try {
            await authApi.logout();
            setSignOutPending(false);
          } catch {}
          setCsrfToken(null);
          if (!cancelled) setStatus('anonymous');
          return;
        }
        adopt(meResult.value, { explicitLang: false });
      } else if (meResult.reason instanceof ApiError && meResult.reason.status === 401) {
        if (!onLoginPage) setSignOutPending(false);
        setStatus('anonymous');
      } else {
        const decision = startupFallback(meResult.reason, stored);
        if (decision.mode === 'offline') {
          setUser(decision.user);
          setOffline(true);
          setStatus('signed-in');
        } else {
          setStartupError(meResult.reason);
          setStatus('anonymous');
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [adopt]);

  // 离线模式 lasts until the server answers again: then the session is confirmed (or a 401 leads to the login page).
  useEffect(() => {
    if (!offline) return;
    let stopped = false;
    let checking = false;
    const check = async () => {
      if (checking) return;
      checking = true;
      try {
        const session = await authApi.me();
        if (stopped) return;
        adopt(session, { explicitLang: false });
        reloadMeta().catch(() => undefined);
      } catch (error) {
        if (stopped || !(error instanceof ApiError && error.status === 401)) return;
        invalidate();
        setUser(null);
        setExpired(true);
        setOffline(false);
        setStatus('anonymous');
      } finally {
        checking = false;
      }
    };
    window.addEventListener('online', check);
    const timer = setInterval(check, RECONNECT_MS);
    return () => {
      stopped = true;
      window.removeEventListener('online', check);
      clearInterval(timer);
    };
  }, [offline, adopt, reloadMeta]);

  const login = useCallback(
    async (username: string, password: string) => {
      const session = await authApi.login(username, password);
      setSignOutPending(false);
      adopt(session, { explicitLang: true });
      if (!meta) reloadMeta().catch(() => undefined);
      return session.user;
    },
    [adopt, meta, reloadMeta],
  );

  const logout = useCallback(async () => {
    // The remembered user goes first: whatever happens next, this browser no longer opens as them offline.
    forgetUser();
    let ended = false;
    try {
      if (!offlineRef.current) {
        await authApi.logout();
        ended = true;
      }
    } catch (error) {
      ended = error instanceof ApiError && error.status === 401;
    } finally {
      // Not reached (offline): the server session is ended at the next start-up with network.
      if (!ended) setSignOutPending(true);
      invalidate();
      setCsrfToken(null);
      setUser(null);
      setExpired(false);
      setOffline(false);
      setStatus('anonymous');
      tellOfflineQueue(null);
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
    () => ({ status, user, meta, startupError, expired, offline, login, logout, refresh, reloadMeta }),
    [status, user, meta, startupError, expired, offline, login, logout, refresh, reloadMeta],
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
