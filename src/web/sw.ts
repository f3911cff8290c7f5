// The service worker: keeps the app shell (index.html and the hashed build files the phone pages need) so that the
// inspection pages open after a reload or a browser restart without network. It never caches API replies: the
// plans, points, checklists and the queue of results live in IndexedDB (lib/offline). Built as a classic script
// to dist/web/sw.js by the plugin in vite.config.ts, which fills in the build's version and precache list; the
// server sends it with Cache-Control: no-cache so a new build is picked up on the next visit.
import { NAVIGATION_TIMEOUT_MS, SHELL_URL, cacheNameFor, isCacheableAsset, routeOf, serverUnavailable, staleCaches } from './sw-policy.js';

declare const __WM_SW_VERSION__: string;
declare const __WM_PRECACHE__: string[];

// The DOM library has no worker-scope types, and the WebWorker library clashes with it in one program: the few
// members used here are declared locally.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface WorkerScope {
  readonly location: { readonly origin: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const sw = self as unknown as WorkerScope;
const CACHE = cacheNameFor(__WM_SW_VERSION__);

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`precache ${url}: ${response.status}`);
  return response;
}

/** The shell of this build: index.html fresh from the server; hashed files from an earlier build's cache when it has them. */
async function precache() {
  const cache = await caches.open(CACHE);
  await cache.put(SHELL_URL, await fetchOk(SHELL_URL));
  await Promise.all(
    __WM_PRECACHE__.map(async (url) => {
      if (await cache.match(url)) return;
      const earlier = await caches.match(url);
      await cache.put(url, earlier ?? (await fetchOk(url)));
    }),
  );
}

sw.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of staleCaches(await caches.keys(), CACHE)) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

async function shell(request: Request): Promise<Response> {
  const network = fetch(request);
  const saved = await (await caches.open(CACHE)).match(SHELL_URL);
  if (!saved) return network;
  network.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slow = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([network, slow]);
    return response && !serverUnavailable(response.status) ? response : saved;
  } catch {
    return saved;
  } finally {
    clearTimeout(timer);
  }
}

async function asset(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (isCacheableAsset(response.status, response.type, response.headers.get('content-type'))) {
    await cache.put(request, response.clone()).catch(() => undefined);
  }
  return response;
}

sw.addEventListener('fetch', (event) => {
  const route = routeOf(event.request, sw.location.origin);
  if (route === 'shell') event.respondWith(shell(event.request));
  else if (route === 'asset') event.respondWith(asset(event.request));
});
