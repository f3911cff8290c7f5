// 材料审核 in the browser at phone width: the office opens an item of the demo street that still lacks evidence,
// uploads a PDF (progress, then the file in the list), marks it 符合 with a comment, and sees the coverage go up;
// the demo community officer sees only their own community.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, loginUI, startE2E, type E2E } from './harness.js';
import { minimalPdf } from '../src/server/modules/evidence/pdf.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => e?.close());

describe('材料审核 in the browser', () => {
  it('uploads evidence, marks it 符合 and sees coverage go up', async () => {
    const { context, page } = await e.newPage(PHONE);
    await loginUI(page, 'office');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto('/evidence');
    const summary = page.getByTestId('evidence-summary');
    await summary.waitFor();
    const metBefore = Number(await summary.getAttribute('data-met'));
    const meetsBefore = Number(await summary.getAttribute('data-meets'));

    // The demo street has no evidence yet for 3.1.1-4 (健康证持证率).
    const row = page.locator('[data-testid="evidence-row"][data-code="3.1.1-4"]');
    expect(await row.getAttribute('data-status')).toBe('none');
    await row.getByTestId('evidence-open').click();
    const body = page.getByTestId('evidence-drawer-body');
    await body.waitFor();

    await page.locator('[data-testid="evidence-upload"] input[type="file"]').setInputFiles({
      name: '从业人员健康证汇总.pdf',
      mimeType: 'application/pdf',
      buffer: minimalPdf(['Health certificates of market staff', '2026']),
    });
    await expect.poll(() => body.getAttribute('data-files'), { timeout: 20_000 }).toBe('1');
    expect(await body.getAttribute('data-status')).toBe('pending');
    await expect.poll(() => page.getByTestId('evidence-file').first().getAttribute('data-kind')).toBe('pdf');

    await page.getByTestId('evidence-review-comment').fill('健康证齐全');
    await page.getByTestId('evidence-review-meets').click();
    await expect.poll(() => body.getAttribute('data-status'), { timeout: 15_000 }).toBe('meets');
    await expect.poll(() => page.locator('[data-testid="evidence-event"][data-action="review"]').count()).toBe(1);

    // Back on the page: the row and the coverage moved.
    await page.keyboard.press('Escape');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('meets');
    await expect.poll(async () => Number(await summary.getAttribute('data-meets'))).toBe(meetsBefore + 1);
    expect(Number(await summary.getAttribute('data-met'))).toBeGreaterThan(metBefore);

    // The 符合 item leaves the "only lacking" list.
    await page.getByTestId('evidence-lacking').click();
    await expect.poll(() => row.count()).toBe(0);
    await context.close();
  });

  it('shows a community officer their own community only', async () => {
    const { context, page } = await e.newPage(PHONE);
    await loginUI(page, 'community');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto('/evidence');
    await page.getByTestId('evidence-summary').waitFor();
    await page.getByTestId('evidence-org').click();
    await expect.poll(() => page.locator('.ant-select-item-option').count()).toBe(1);
    expect(await page.locator('.ant-select-item-option').first().textContent()).toContain('华光社区');
    await context.close();
  });
});
