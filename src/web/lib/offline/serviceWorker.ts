// Registers the service worker (src/web/sw.ts, built to /sw.js) that keeps the app shell for opening the phone pages
// without network. Production builds only (under `vite dev` there is no /sw.js and a worker would serve stale
// modules), and only where browsers allow workers at all: secure contexts (https, or localhost).

export interface WorkerEnvironment {
  production: boolean;
  secureContext: boolean;
  hasServiceWorker: boolean;
}

export function shouldRegisterWorker(env: WorkerEnvironment): boolean {
  return env.production && env.secureContext && env.hasServiceWorker;
}

export function registerServiceWorker(production: boolean): void {
  if (typeof window === 'undefined' || typeof navigator === 'undefined') return;
  const env = { production, secureContext: window.isSecureContext === true, hasServiceWorker: 'serviceWorker' in navigator };
  if (!shouldRegisterWorker(env)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // Without the worker the app still works online; offline the open tab keeps working from IndexedDB.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
