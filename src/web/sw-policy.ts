// What the service worker (sw.ts) does with each request, kept pure so it is unit-tested. The worker only keeps the
// app shell: the built index.html and the hashed /assets/* files. Data never goes through its cache: the API, the
// open interfaces and the health check always go to the network (the phone's own data lives in IndexedDB,
// lib/offline), and so does the worker script itself.

/** Every cache of this worker starts with this; the suffix is the build's version. */
export const CACHE_PREFIX = 'wenming-shell-';
/** The page every navigation falls back to when the network is gone (the single-page app routes on the phone). */
export const SHELL_URL = '/index.html';
/** A navigation waits this long for the network before the saved page is shown (a weak signal in a back alley). */
export const NAVIGATION_TIMEOUT_MS = 6000;

export type SwRoute =
  /** A page navigation: network first, the saved index.html when the network fails or is too slow. */
  | 'shell'
  /** A hashed build file: from the cache, else from the network and then kept. */
  | 'asset'
  /** Everything else, untouched by the worker. */
  | 'network';

const NEVER_CACHED = /^\/(?:api|open311)(?:\/|$)|^\/healthz$|^\/sw\.js$/;

export function routeOf(request: { method: string; url: string; mode?: string }, origin: string): SwRoute {
  if (request.method !== 'GET') return 'network';
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return 'network';
  }
  if (url.origin !== origin) return 'network';
  if (NEVER_CACHED.test(url.pathname)) return 'network';
  if (request.mode === 'navigate') return 'shell';
  if (url.pathname.startsWith('/assets/')) return 'asset';
  return 'network';
}

export const cacheNameFor = (version: string): string => `${CACHE_PREFIX}${version}`;

/** Caches of earlier builds of this worker (other names are not ours and are left alone). */
export function staleCaches(names: readonly string[], current: string): string[] {
  return names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== current);
}

/** Only a same-origin 200 that is not an HTML page (a fallback answering for a missing file) is kept. */
export function isCacheableAsset(status: number, type: string, contentType: string | null): boolean {
  return status === 200 && (type === 'basic' || type === 'default') && !(contentType ?? '').toLowerCase().startsWith('text/html');
}

/** A navigation answered by the server with an error it could not help (proxy up, app down): show the saved page. */
export const serverUnavailable = (status: number): boolean => status >= 500;
