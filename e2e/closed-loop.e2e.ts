// One problem through the whole loop, every step clicked and typed in the real web app: a grid worker reports it
// with a photo on the phone page → the dispatcher files and dispatches it at a desk → the community (the unit the
// 责任清单 names for 暴露垃圾) starts and feeds back with a photo on its phone → the grid worker fails the check →
// the unit feeds back again → the check passes → closed; then the office downloads the 整改台账 and finds it there.
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, loginUI, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => e?.close());

// Inside 华光社区第1网格 of the demo street (the demo `grid` user's grid), away from any point: 暴露垃圾 (1101)
// goes to the community itself by the category's default unit, and the demo `community` user belongs to it.
const SPOT = { latitude: 36.816, longitude: 118.0372, accuracy: 10 };
const CATEGORY = '1101';
const UNIT_NAME = '华光社区';

async function jpeg(colour: { r: number; g: number; b: number }, label: string) {
  const buffer = await sharp({ create: { width: 640, height: 480, channels: 3, background: colour } }).jpeg({ quality: 80 }).toBuffer();
  return { name: `${label}.jpg`, mimeType: 'image/jpeg', buffer };
}

async function phoneAs(username: string, withGps = false): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await e.newPage(PHONE);
  if (withGps) {
    await context.grantPermissions(['geolocation'], { origin: e.base });
    await context.setGeolocation(SPOT);
  }
  await loginUI(page, username);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return { context, page };
}

async function expectStatus(page: Page, status: string) {
  await expect.poll(() => page.getByTestId('case-detail').getAttribute('data-status'), { timeout: 15_000 }).toBe(status);
}

/** Opens the action's dialog from a list card or the detail page, fills it, submits, and waits for it to close. */
async function act(page: Page, scope: ReturnType<Page['locator']>, action: string, fill?: () => Promise<void>) {
  await scope.getByTestId(`action-${action}`).first().click();
  const submit = page.getByTestId('action-submit');
  await submit.waitFor();
  if (fill) await fill();
  await submit.click();
  await submit.waitFor({ state: 'detached', timeout: 15_000 });
}

async function feedBack(page: Page, caseId: number, photo: { colour: { r: number; g: number; b: number }; label: string }, measures: string) {
  await page.goto('/todo');
  const card = page.locator(`[data-testid="todo-list-row"][data-row-key="${caseId}"]`);
  await card.waitFor();
  await act(page, card, 'feedback', async () => {
    await page.getByTestId('after-photos-camera').setInputFiles(await jpeg(photo.colour, photo.label));
    await expect.poll(() => page.getByTestId('after-photos').getAttribute('data-count'), { timeout: 20_000 }).toBe('1');
    await page.getByTestId('action-measures').fill(measures);
  });
  await card.waitFor({ state: 'detached', timeout: 15_000 });
}

describe('the closed loop in the browser', () => {
  let caseId = 0;
  let caseNo = '';
  const description = `e2e 华光路口垃圾桶旁暴露垃圾 ${Date.now()}`;

  it('lets the grid worker report a problem with a photo and GPS on the phone page', async () => {
    const { context, page } = await phoneAs('grid', true);
    // Lands on the grid worker's workbench, which offers 上报.
    await page.waitForURL(/\/grid-work/);
    await page.getByTestId('queue-report').click();
    await page.waitForURL(/\/report/);

    await page.getByTestId('report-photos-camera').setInputFiles(await jpeg({ r: 150, g: 120, b: 90 }, 'before'));
    await expect.poll(() => page.getByTestId('report-photos').getAttribute('data-count'), { timeout: 20_000 }).toBe('1');
    await page.getByTestId(`report-category-quick-${CATEGORY}`).click();
    await page.getByTestId('report-description').fill(description);
    await expect.poll(() => page.getByTestId('report-location').getAttribute('data-source'), { timeout: 15_000 }).toBe('gps');
    await expect.poll(() => page.getByTestId('report-located').textContent()).toContain('华光社区');

    await page.getByTestId('report-submit').click();
    // 查重: open problems of the same kind nearby are offered first; this one is new.
    const noCaseYet = page.getByTestId('report-case-no');
    await expect.poll(async () => (await noCaseYet.count()) + (await page.getByTestId('dup-report-anyway').count()), { timeout: 15_000 }).toBeGreaterThan(0);
    if (await page.getByTestId('dup-report-anyway').count()) await page.getByTestId('dup-report-anyway').click();
    caseNo = ((await noCaseYet.textContent()) ?? '').trim();
    expect(caseNo).toMatch(/^WM\d{12}$/);

    await page.getByTestId('report-open-case').click();
    await page.waitForURL(/\/cases\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split('/').pop());
    await expectStatus(page, 'reported');
    expect(await page.getByTestId('case-unit').textContent()).toBe(UNIT_NAME);
    expect(await page.getByTestId('photos-before').getAttribute('data-count')).toBe('1');
    await context.close();
  });

  it('lets the dispatcher file and dispatch it from the dispatch desk', async () => {
    const { context, page } = await e.newPage(DESKTOP);
    await loginUI(page, 'dispatcher');
    await page.waitForURL(/\/dispatch/);
    const search = page.getByTestId('filter-q');
    const input = (await search.evaluate((el) => el.tagName)) === 'INPUT' ? search : search.locator('input');
    await input.fill(description);
    await input.press('Enter');
    const row = page.locator(`tr[data-row-key="${caseId}"]`);
    await row.waitFor();
    // A click on the row opens the case in a drawer beside the queue.
    await row.locator('td').nth(4).click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByTestId('case-detail').waitFor();
    await expectStatus(page, 'reported');
    await act(page, drawer, 'file');
    await expectStatus(page, 'filed');
    await act(page, drawer, 'dispatch', async () => {
      // The 责任清单's unit is proposed, and the deadline it would get is shown.
      await expect.poll(() => page.getByTestId('routing-hint').textContent(), { timeout: 15_000 }).toContain(UNIT_NAME);
      await expect.poll(() => page.getByTestId('action-dialog').textContent()).toContain(UNIT_NAME);
      await page.getByTestId('deadline-hint').waitFor();
    });
    await expectStatus(page, 'dispatched');
    expect(await drawer.getByTestId('case-unit').textContent()).toBe(UNIT_NAME);
    expect(await drawer.getByTestId('case-remaining').count()).toBe(1);
    await context.close();
  });

  it('lets the unit start it and feed back with an after-photo on its phone', async () => {
    const { context, page } = await phoneAs('community');
    await page.waitForURL(/\/todo/);
    const card = page.locator(`[data-testid="todo-list-row"][data-row-key="${caseId}"]`);
    await card.waitFor();
    // 签收 is one tap.
    await card.getByTestId('action-start').click();
    await expect.poll(() => card.getByTestId('case-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('processing');
    await feedBack(page, caseId, { colour: { r: 60, g: 160, b: 90 }, label: 'after-1' }, '已组织保洁员清运，现场已清理干净');
    await context.close();
  });

  it('lets the grid worker fail the check with a reason, sending it back for rework', async () => {
    const { context, page } = await phoneAs('grid');
    await page.getByTestId('tab-check').click();
    const card = page.locator(`[data-testid="queue-check-row"][data-row-key="${caseId}"]`);
    await card.waitFor();
    await act(page, card, 'fail_check', async () => {
      await page.getByTestId('action-reason').fill('垃圾桶周边仍有散落垃圾，请彻底清理');
    });
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    await page.goto(`/cases/${caseId}`);
    await expectStatus(page, 'processing');
    expect(await page.locator('[data-testid="case-event"][data-action="fail_check"]').textContent()).toContain('垃圾桶周边仍有散落垃圾');
    await context.close();
  });

  it('lets the unit feed back again after the rework', async () => {
    const { context, page } = await phoneAs('community');
    await feedBack(page, caseId, { colour: { r: 70, g: 120, b: 200 }, label: 'after-2' }, '再次清理并冲洗地面，增加巡查频次');
    await context.close();
  });

  it('lets the grid worker compare before and after and pass the check: the case is closed', async () => {
    const { context, page } = await phoneAs('grid');
    await page.getByTestId('tab-check').click();
    const card = page.locator(`[data-testid="queue-check-row"][data-row-key="${caseId}"]`);
    await card.waitFor();
    await card.click();
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));
    await expectStatus(page, 'feedback');
    expect(Number(await page.getByTestId('photos-before').getAttribute('data-count'))).toBe(1);
    expect(Number(await page.getByTestId('photos-after').getAttribute('data-count'))).toBe(2);
    await act(page, page.locator('.wm-action-bar'), 'pass_check');
    await expectStatus(page, 'closed');
    const actions = await page.locator('[data-testid="case-event"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
    expect(actions).toEqual(['report', 'file', 'dispatch', 'start', 'feedback', 'fail_check', 'feedback', 'pass_check']);
    await context.close();
  });

  it('lets the office download the 整改台账 with the case in it, 已整改', async () => {
    const { context, page } = await e.newPage(DESKTOP);
    await loginUI(page, 'office');
    await page.waitForURL(/\/dispatch/);
    await page.getByTestId('menu-ledger').click();
    await page.getByTestId('ledger-page').waitFor();
    const exportButton = page.getByTestId('ledger-export-xlsx');
    await expect.poll(() => exportButton.isEnabled(), { timeout: 15_000 }).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), exportButton.click()]);
    const path = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const rows: string[][] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) => rows.push((row.values as unknown[]).map((v) => (v && typeof v === 'object' && 'richText' in v ? (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('') : String(v ?? ''))))),
    );
    // The ledger has no case-number column: the row is the one with this case's description.
    const ours = rows.find((r) => r.some((cell) => cell.includes(description)));
    expect(ours, `ledger row of ${caseNo}`).toBeDefined();
    expect(ours!.join('|')).toContain('已整改');
    expect(ours!.join('|')).toContain(UNIT_NAME);
    await context.close();
  });
});
