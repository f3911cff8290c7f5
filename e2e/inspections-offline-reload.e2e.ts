// The phone page survives a reload (or a browser restart) without network: the inspector opens 现场测评 once online
// (the service worker installs and keeps the app shell; the plan's kit is saved in IndexedDB), the network drops,
// the page is RELOADED — the shell comes from the service worker, the session check fails for want of network, so
// the app runs in 离线模式 as the remembered user — they open the plan and a point from the phone, record a result
// with a photo, and when the network returns the session is confirmed and the result syncs. Then: a 401 while
// online still leads to the login page, and after signing out an offline reload no longer opens as the inspector.
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, loginUI, startE2E, type E2E, apiAs as apiAsUser } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => e?.close());

const apiAs = (username: string) => apiAsUser(e.base, username);

interface PlanView {
  id: number;
  version: number;
  status: string;
  points: { pointId: number; done: boolean; resultId: number | null }[];
}
interface KitView {
  points: { id: number; lat: number; lng: number; typeCode: string }[];
  checklists: Record<string, { code: string; rule: { kind: string } }[]>;
}

const north = (p: { lat: number; lng: number }, metres: number) => ({ latitude: p.lat + metres / 111_320, longitude: p.lng, accuracy: 8 });

/** Whether the plan's kit is saved in the phone's IndexedDB for this user. */
const kitSaved = (page: Page, key: string) =>
  page.evaluate(
    (k) =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('wenming-offline');
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('kits')) return resolve(false);
          const get = db.transaction('kits', 'readonly').objectStore('kits').get(k);
          get.onsuccess = () => resolve(Boolean(get.result));
          get.onerror = () => resolve(false);
        };
      }),
    key,
  );

describe('reloading the phone page without network', () => {
  let planId = 0;
  let inspectorId = 0;
  let kit: KitView;
  let code = '';
  let context: BrowserContext;
  let page: Page;

  it('has an active plan for the inspector', async () => {
    const office = await apiAs('office');
    const inspector = await apiAs('inspector');
    inspectorId = inspector.userId;
    const points = await office.get<{ items: { id: number }[] }>('/points?type=residential&pageSize=1');
    expect(points.items).toHaveLength(1);
    const today = new Date().toISOString().slice(0, 10);
    let plan = await office.post<PlanView>('/inspections/plans', { title: `e2e 离线重载 ${Date.now()}`, kind: 'supervision', startsOn: today, endsOn: today, inspectorIds: [inspector.userId] });
    plan = await office.post<PlanView>(`/inspections/plans/${plan.id}/points`, { version: plan.version, pointIds: points.items.map((p) => p.id) });
    plan = await office.post<PlanView>(`/inspections/plans/${plan.id}/transitions`, { version: plan.version, action: 'activate' });
    planId = plan.id;
    kit = await inspector.get<KitView>(`/inspections/plans/${planId}/kit`);
    const item = kit.checklists[kit.points[0].typeCode].find((i) => i.rule.kind === 'pass_fail');
    expect(item).toBeTruthy();
    code = item!.code;
  });

  it('installs the service worker and saves the plan on the phone while online', async () => {
    ({ context, page } = await e.newPage(PHONE));
    await context.grantPermissions(['geolocation'], { origin: e.base });
    await context.setGeolocation(north(kit.points[0], 20));
    await loginUI(page, 'inspector');
    await page.waitForURL(/\/inspect$/);
    await page.locator(`[data-testid="inspect-plan"][data-plan-id="${planId}"]`).waitFor();

    // The worker is served as a script, re-checked on every visit.
    const sw = await page.request.get('/sw.js');
    expect(sw.status()).toBe(200);
    expect(sw.headers()['cache-control']).toBe('no-cache');
    expect(sw.headers()['content-type']).toMatch(/javascript/);

    // Installed (its precache done), active, and controlling this page.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(new URL(scope).pathname).toBe('/');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    // The plan list prefetches the kits of the inspector's plans.
    await expect.poll(() => kitSaved(page, `${inspectorId}:${planId}`), { timeout: 20_000 }).toBe(true);
    // The remembered user is who they are, nothing secret.
    const stored = JSON.parse((await page.evaluate(() => localStorage.getItem('wm.offlineUser'))) ?? 'null') as Record<string, unknown>;
    expect(stored).toMatchObject({ id: inspectorId, username: 'inspector', role: 'inspector' });
    expect(Object.keys(stored).some((k) => /token|password|csrf|session/i.test(k))).toBe(false);
    // API replies are never in the worker's cache.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      return urls;
    });
    expect(cached).toContain('/index.html');
    expect(cached.some((u) => u.startsWith('/assets/'))).toBe(true);
    expect(cached.some((u) => u.startsWith('/api/'))).toBe(false);
  });

  it('reloads offline into 离线模式, opens the plan and a point from the phone and records a result', async () => {
    await context.setOffline(true);
    const reply = await page.reload();
    expect(reply?.fromServiceWorker()).toBe(true);
    await page.getByTestId('offline-mode-banner').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('offline-mode-banner').textContent()).toContain('离线模式');
    expect(new URL(page.url()).pathname).toBe('/inspect');
    // The API really is out of reach from the page, and the worker's own fetches are offline too (a build file it
    // does not have fails instead of coming back as the server's 404).
    expect(await page.evaluate(() => fetch('/api/v1/me').then(() => 'reached', () => 'unreachable'))).toBe('unreachable');
    expect(await page.evaluate(() => fetch('/assets/never-built.js').then((r) => `reached ${r.status}`, () => 'unreachable'))).toBe('unreachable');

    await page.locator(`[data-testid="inspect-plan"][data-plan-id="${planId}"]`).click();
    await page.waitForURL(new RegExp(`/inspect/${planId}$`));
    await expect.poll(() => page.getByTestId('kit').getAttribute('data-source'), { timeout: 15_000 }).toBe('cache');
    const point = kit.points[0];
    await page.locator(`[data-testid="inspect-point"][data-point-id="${point.id}"]`).click();
    await page.getByTestId('point-form').waitFor();
    await page.getByTestId('checkin').click();
    await page.getByTestId('checkin-distance').waitFor();
    const item = page.locator(`[data-testid="check-item"][data-item-code="${code}"]`);
    await item.getByTestId(`item-pass-${code}`).click();
    await expect.poll(() => item.getAttribute('data-failed')).toBe('true');
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 140, b: 60 } } }).jpeg({ quality: 80 }).toBuffer();
    await item.getByTestId(`item-photos-${code}-input`).setInputFiles({ name: 'reload.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => item.getByTestId(`item-photos-${code}`).getAttribute('data-count')).toBe('1');
    await item.getByTestId(`item-note-${code}`).fill('e2e 重新打开后离线记录');
    await page.getByTestId('inspect-save').click();
    await page.waitForURL(new RegExp(`/inspect/${planId}$`));
    await expect.poll(() => page.locator(`[data-testid="inspect-point"][data-point-id="${point.id}"]`).getAttribute('data-state')).toBe('queued');
    await expect.poll(() => page.getByTestId('sync-pending').getAttribute('data-count')).toBe('1');
  });

  it('confirms the session and syncs when the network returns; the result is on the server', async () => {
    await context.setOffline(false);
    await page.getByTestId('offline-mode-banner').waitFor({ state: 'detached', timeout: 40_000 });
    await expect.poll(() => page.getByTestId('sync-pending').getAttribute('data-count'), { timeout: 40_000 }).toBe('0');
    const point = kit.points[0];
    await expect.poll(() => page.locator(`[data-testid="inspect-point"][data-point-id="${point.id}"]`).getAttribute('data-state')).toBe('done');

    const office = await apiAs('office');
    const plan = await office.get<PlanView>(`/inspections/plans/${planId}`);
    const row = plan.points.find((p) => p.pointId === point.id)!;
    expect(row.done).toBe(true);
    const result = await office.get<{ items: { code: string; failed: boolean; caseId: number | null; photos: unknown[] }[] }>(`/inspections/results/${row.resultId}`);
    const failed = result.items.filter((i) => i.failed);
    expect(failed.map((i) => i.code)).toEqual([code]);
    expect(failed[0].photos).toHaveLength(1);
    expect(failed[0].caseId).toEqual(expect.any(Number));
  });

  it('still sends a 401 to the login page, and forgets the user on sign-out', async () => {
    // Online, session gone (401): the login page, not offline mode.
    await context.clearCookies();
    await page.reload();
    await page.waitForURL(/\/login/);
    expect(await page.getByTestId('offline-mode-banner').count()).toBe(0);

    await loginUI(page, 'inspector');
    await page.waitForURL(/\/inspect$/);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-logout').click();
    await page.waitForURL(/\/login/);
    expect(await page.evaluate(() => localStorage.getItem('wm.offlineUser'))).toBeNull();

    // Offline again: the page still opens (from the worker) but as nobody.
    await context.setOffline(true);
    const reply = await page.goto('/inspect');
    expect(reply?.fromServiceWorker()).toBe(true);
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-submit').waitFor();
    expect(await page.getByTestId('offline-mode-banner').count()).toBe(0);
    await context.setOffline(false);
    await context.close();
  });
});
