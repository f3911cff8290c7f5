import { describe, expect, it } from 'vitest';
import { CACHE_PREFIX, cacheNameFor, isCacheableAsset, routeOf, serverUnavailable, staleCaches } from './sw-policy.js';
import { shouldRegisterWorker } from './lib/offline/serviceWorker.js';

const ORIGIN = 'https://wm.example.cn';
const get = (path: string, mode = 'cors') => ({ method: 'GET', url: `${ORIGIN}${path}`, mode });

describe('routeOf (what the service worker does with a request)', () => {
  it('serves page navigations network-first with the saved shell as fallback', () => {
    for (const path of ['/', '/inspect', '/inspect/4/points/17?x=1', '/login?next=%2Finspect']) expect(routeOf(get(path, 'navigate'), ORIGIN), path).toBe('shell');
  });

  it('keeps hashed build files', () => {
    expect(routeOf(get('/assets/InspectPage-leeUgU2a.js', 'no-cors'), ORIGIN)).toBe('asset');
    expect(routeOf(get('/assets/inspections-BVkaF6dL.css'), ORIGIN)).toBe('asset');
  });

  it('never touches the API, open interfaces, health check or the worker script, even as navigations', () => {
    for (const path of ['/api/v1/me', '/api/v1/inspections/plans/3/kit', '/api/docs', '/api', '/open311/v2/requests.json', '/healthz', '/sw.js']) {
      expect(routeOf(get(path), ORIGIN), path).toBe('network');
      expect(routeOf(get(path, 'navigate'), ORIGIN), path).toBe('network');
    }
  });

  it('leaves writes, other origins and other files to the network', () => {
    expect(routeOf({ method: 'POST', url: `${ORIGIN}/assets/x.js`, mode: 'cors' }, ORIGIN)).toBe('network');
    expect(routeOf({ method: 'POST', url: `${ORIGIN}/inspect`, mode: 'navigate' }, ORIGIN)).toBe('network');
    expect(routeOf({ method: 'GET', url: 'https://tiles.example.com/assets/1/2/3.png', mode: 'no-cors' }, ORIGIN)).toBe('network');
    expect(routeOf({ method: 'GET', url: 'https://other.example.com/inspect', mode: 'navigate' }, ORIGIN)).toBe('network');
    expect(routeOf(get('/favicon.ico'), ORIGIN)).toBe('network');
    expect(routeOf({ method: 'GET', url: 'not a url' }, ORIGIN)).toBe('network');
  });
});

describe('cache versions', () => {
  it('names caches per build and removes only earlier builds of this worker', () => {
    const current = cacheNameFor('abc123');
    expect(current).toBe(`${CACHE_PREFIX}abc123`);
    expect(staleCaches([cacheNameFor('old1'), current, 'someone-else', cacheNameFor('old2')], current)).toEqual([cacheNameFor('old1'), cacheNameFor('old2')]);
    expect(staleCaches([current], current)).toEqual([]);
  });
});

describe('what is kept', () => {
  it('keeps only same-origin 200s that are not an HTML page', () => {
    expect(isCacheableAsset(200, 'basic', 'text/javascript; charset=utf-8')).toBe(true);
    expect(isCacheableAsset(200, 'basic', 'text/css')).toBe(true);
    expect(isCacheableAsset(200, 'basic', 'text/html; charset=utf-8')).toBe(false);
    expect(isCacheableAsset(404, 'basic', 'application/json')).toBe(false);
    expect(isCacheableAsset(200, 'opaque', null)).toBe(false);
  });

  it('shows the saved page when the server answers a navigation with a 5xx', () => {
    expect(serverUnavailable(502)).toBe(true);
    expect(serverUnavailable(500)).toBe(true);
    expect(serverUnavailable(404)).toBe(false);
    expect(serverUnavailable(200)).toBe(false);
  });
});

describe('shouldRegisterWorker', () => {
  it('registers in production builds on secure contexts with worker support only', () => {
    expect(shouldRegisterWorker({ production: true, secureContext: true, hasServiceWorker: true })).toBe(true);
    expect(shouldRegisterWorker({ production: false, secureContext: true, hasServiceWorker: true })).toBe(false);
    expect(shouldRegisterWorker({ production: true, secureContext: false, hasServiceWorker: true })).toBe(false);
    expect(shouldRegisterWorker({ production: true, secureContext: true, hasServiceWorker: false })).toBe(false);
  });
});
