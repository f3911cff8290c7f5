import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, loginUI, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => e?.close());

describe('foundation in the browser', () => {
  it('shows demo logins, refuses a wrong password in Chinese, then signs in and opens the map', async () => {
    const { page, context } = await e.newPage(DESKTOP);
    await page.goto('/login');
    await expect.poll(() => page.getByTestId('demo-logins').textContent()).toContain('admin');
    await loginUI(page, 'admin', 'wrong-password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await loginUI(page, 'admin');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto('/map');
    const map = page.getByTestId('map');
    await map.waitFor();
    await expect.poll(() => map.getAttribute('data-loaded'), { timeout: 30_000 }).toBe('true');
    // Leaflet's canvas renderer drew the vector layers (no basemap needed).
    expect(await page.locator('[data-testid="map"] canvas').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('lets a community officer use the map on a phone and see only their community', async () => {
    const { page, context } = await e.newPage(PHONE);
    await loginUI(page, 'community');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    const tree = await page.evaluate(async () => (await fetch('/api/v1/orgs/tree')).json());
    const kinds = new Set((tree.nodes as { kind: string }[]).map((n) => n.kind));
    expect(kinds.has('street')).toBe(false);
    expect(kinds.has('community')).toBe(true);
    await page.goto('/map');
    await expect.poll(() => page.getByTestId('map').getAttribute('data-loaded'), { timeout: 30_000 }).toBe('true');
    const box = await page.getByTestId('map').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });

  it('switches the interface to English', async () => {
    const { page, context } = await e.newPage(DESKTOP);
    await page.goto('/login');
    await page.getByTestId('lang-switch').click();
    const en = page.getByTestId('lang-en');
    if (await en.count()) await en.click();
    await expect.poll(() => page.getByTestId('login-submit').textContent()).toMatch(/sign in|log in/i);
    await context.close();
  });
});
