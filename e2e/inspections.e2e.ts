// Field inspection on a phone without network: the office sets up an active plan over two residential compounds;
// the inspector opens it on the phone (the kit loads), the network drops (the browser's offline mode), they check
// in with GPS, fail one item at each point with a photo, and save — the results wait on the phone. Back online the
// queue syncs; the first reply is lost on the way (the server stored the results, the phone never heard), so the
// retry must come back as duplicates. Then the API shows the results, the cases (source 'inspection') and the
// scores, and a replay of the same idempotency keys creates nothing new.
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, loginUI, startE2E, type E2E, apiAs as apiAsUser } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => e?.close());

const apiAs = (username: string) => apiAsUser(e.base, username);

interface KitView {
  points: { id: number; name: string; lat: number; lng: number; typeCode: string }[];
  checklists: Record<string, { code: string; rule: { kind: string } }[]>;
}
interface PlanView {
  id: number;
  version: number;
  status: string;
  points: { pointId: number; done: boolean; resultId: number | null }[];
}
interface ResultView {
  id: number;
  idempotencyKey: string;
  pointId: number;
  planId: number;
  inspectedAt: string;
  checkin: { distanceM: number | null; far: boolean } | null;
  items: { code: string; failed: boolean; caseId: number | null; photos: { id: number }[]; observation: Record<string, unknown> }[];
  caseIds: number[];
}

async function jpeg(colour: { r: number; g: number; b: number }, label: string) {
  const buffer = await sharp({ create: { width: 320, height: 240, channels: 3, background: colour } }).jpeg({ quality: 80 }).toBuffer();
  return { name: `${label}.jpg`, mimeType: 'image/jpeg', buffer };
}

/** About `metres` north of a position. */
const north = (p: { lat: number; lng: number }, metres: number) => ({ latitude: p.lat + metres / 111_320, longitude: p.lng, accuracy: 8 });

describe('inspecting two points offline on a phone', () => {
  let planId = 0;
  let kit: KitView;
  let failedCodes: string[] = [];
  let context: BrowserContext;
  let page: Page;

  it('has an active plan for the inspector (set up by the office through the API)', async () => {
    const office = await apiAs('office');
    const inspector = await apiAs('inspector');
    const points = await office.get<{ items: { id: number }[] }>('/points?type=residential&pageSize=2');
    expect(points.items).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    let plan = await office.post<PlanView>('/inspections/plans', { title: `e2e 离线督查 ${Date.now()}`, kind: 'supervision', startsOn: today, endsOn: today, inspectorIds: [inspector.userId] });
    plan = await office.post<PlanView>(`/inspections/plans/${plan.id}/points`, { version: plan.version, pointIds: points.items.map((p) => p.id) });
    plan = await office.post<PlanView>(`/inspections/plans/${plan.id}/transitions`, { version: plan.version, action: 'activate' });
    expect(plan.status).toBe('active');
    planId = plan.id;
    kit = await inspector.get<KitView>(`/inspections/plans/${planId}/kit`);
    expect(kit.points).toHaveLength(2);
    failedCodes = kit.points.map((p) => {
      const item = kit.checklists[p.typeCode].find((i) => i.rule.kind === 'pass_fail');
      expect(item).toBeTruthy();
      return item!.code;
    });
  });

  it('loads the kit on the phone, then inspects both points with the network off', async () => {
    ({ context, page } = await e.newPage(PHONE));
    await context.grantPermissions(['geolocation'], { origin: e.base });
    const [first, second] = [...kit.points];
    await context.setGeolocation(north(first, 30));
    await loginUI(page, 'inspector');
    // The inspector's workbench is the phone page.
    await page.waitForURL(/\/inspect$/);
    await page.locator(`[data-testid="inspect-plan"][data-plan-id="${planId}"]`).click();
    await page.waitForURL(new RegExp(`/inspect/${planId}$`));
    await expect.poll(() => page.getByTestId('kit').getAttribute('data-source'), { timeout: 15_000 }).toBe('network');
    await expect.poll(() => page.getByTestId('inspect-point').count()).toBe(2);

    await context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor();

    const inspect = async (point: { id: number }, code: string, photo: Awaited<ReturnType<typeof jpeg>>, expectFar: boolean) => {
      await page.locator(`[data-testid="inspect-point"][data-point-id="${point.id}"]`).click();
      await page.getByTestId('point-form').waitFor();
      await page.getByTestId('checkin').click();
      const distance = page.getByTestId('checkin-distance');
      await distance.waitFor();
      expect(await distance.getAttribute('data-far')).toBe(expectFar ? 'true' : 'false');
      const item = page.locator(`[data-testid="check-item"][data-item-code="${code}"]`);
      await item.getByTestId(`item-pass-${code}`).click();
      await expect.poll(() => item.getAttribute('data-failed')).toBe('true');
      // Saving a failed item without a photo is refused on the spot.
      await page.getByTestId('inspect-save').click();
      await item.getByTestId('item-problem').waitFor();
      await item.getByTestId(`item-photos-${code}-input`).setInputFiles(photo);
      await expect.poll(() => item.getByTestId(`item-photos-${code}`).getAttribute('data-count')).toBe('1');
      await item.getByTestId(`item-note-${code}`).fill(`e2e 离线发现的问题 ${code}`);
      await page.getByTestId('inspect-save').click();
      await page.waitForURL(new RegExp(`/inspect/${planId}$`));
      await expect.poll(() => page.locator(`[data-testid="inspect-point"][data-point-id="${point.id}"]`).getAttribute('data-state')).toBe('queued');
    };

    await inspect(first, failedCodes[0], await jpeg({ r: 160, g: 60, b: 60 }, 'first'), false);
    await context.setGeolocation(north(second, 600));
    await inspect(second, failedCodes[1], await jpeg({ r: 60, g: 60, b: 160 }, 'second'), true);
    await expect.poll(() => page.getByTestId('sync-pending').getAttribute('data-count')).toBe('2');
    // Still offline: nothing reached the server.
    const office = await apiAs('office');
    const plan = await office.get<PlanView>(`/inspections/plans/${planId}`);
    expect(plan.points.every((p) => !p.done)).toBe(true);
  });

  it('syncs when the network returns, surviving a lost reply without duplicates', async () => {
    // The first sync call reaches the server, but its reply is lost on the way back.
    let lost = 0;
    await page.route('**/api/v1/inspections/sync', async (route) => {
      if (lost === 0) {
        lost++;
        await route.fetch();
        await route.abort('failed');
      } else {
        await route.continue();
      }
    });
    await context.setOffline(false);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    // The `online` event started a sync; its reply was lost, so both results still wait.
    await expect.poll(() => lost, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('sync-bar').getAttribute('data-syncing'), { timeout: 20_000 }).toBe('false');
    expect(await page.getByTestId('sync-pending').getAttribute('data-count')).toBe('2');

    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-pending').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    for (const p of kit.points) {
      await expect.poll(() => page.locator(`[data-testid="inspect-point"][data-point-id="${p.id}"]`).getAttribute('data-state')).toBe('done');
    }
    await page.unroute('**/api/v1/inspections/sync');
  });

  it('shows the results, the cases and the scores through the API, and a replay adds nothing', async () => {
    const office = await apiAs('office');
    const plan = await office.get<PlanView>(`/inspections/plans/${planId}`);
    expect(plan.points.every((p) => p.done && p.resultId)).toBe(true);

    const results: ResultView[] = [];
    for (const [i, point] of kit.points.entries()) {
      const resultId = plan.points.find((p) => p.pointId === point.id)!.resultId!;
      const r = await office.get<ResultView>(`/inspections/results/${resultId}`);
      results.push(r);
      const failed = r.items.filter((it) => it.failed);
      expect(failed.map((it) => it.code)).toEqual([failedCodes[i]]);
      expect(failed[0].photos).toHaveLength(1);
      expect(failed[0].caseId).toEqual(expect.any(Number));
      expect(r.caseIds).toEqual([failed[0].caseId]);
      expect(r.checkin?.far).toBe(i === 1);
      const kase = await office.get<{ id: number; source: string; sourceRef: string | null }>(`/cases/${failed[0].caseId}`);
      expect(kase.source).toBe('inspection');
    }

    const scores = await office.get<{ overall: { earned: number; possible: number }; byPoint: unknown[]; byCommunity: unknown[]; byItem: { key: string; failed: number }[] }>(
      `/inspections/plans/${planId}/scores`,
    );
    expect(scores.byPoint).toHaveLength(2);
    expect(scores.overall.possible).toBeGreaterThan(0);
    expect(scores.overall.earned).toBeLessThan(scores.overall.possible);
    for (const code of failedCodes) expect(scores.byItem.find((g) => g.key === code)?.failed).toBeGreaterThan(0);

    const inspectionCases = async () => (await office.get<{ total: number }>('/cases?source=inspection&pageSize=1')).total;
    const before = await inspectionCases();

    // The same batch sent again (the phone retrying after a lost reply): duplicates, same results and cases.
    const inspector = await apiAs('inspector');
    const replay = await inspector.post<{ outcomes: { idempotencyKey: string; status: string; resultId?: number; caseIds?: number[] }[] }>('/inspections/sync', {
      results: results.map((r) => ({
        idempotencyKey: r.idempotencyKey,
        planId,
        pointId: r.pointId,
        checkin: null,
        inspectedAt: r.inspectedAt,
        items: r.items.map((it) => ({ code: it.code, ...it.observation })),
      })),
    });
    expect(replay.outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    expect(replay.outcomes.map((o) => o.resultId)).toEqual(results.map((r) => r.id));
    expect(replay.outcomes.map((o) => o.caseIds)).toEqual(results.map((r) => r.caseIds));
    expect(await inspectionCases()).toBe(before);
    await context.close();
  });

  it('shows the office the scores on the plan page and the filed cases in the case list', async () => {
    const office = await apiAs('office');
    const scores = await office.get<{ overall: { earned: number; possible: number } }>(`/inspections/plans/${planId}/scores`);
    const plan = await office.get<PlanView>(`/inspections/plans/${planId}`);
    const caseNos: string[] = [];
    for (const p of plan.points) {
      const r = await office.get<ResultView>(`/inspections/results/${p.resultId}`);
      for (const id of r.caseIds) caseNos.push((await office.get<{ caseNo: string }>(`/cases/${id}`)).caseNo);
    }
    expect(caseNos).toHaveLength(2);

    const desk = await e.newPage(DESKTOP);
    await loginUI(desk.page, 'office');
    await desk.page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await desk.page.goto(`/inspections/${planId}?tab=scores`);
    const overall = desk.page.getByTestId('scores-overall');
    await expect.poll(() => overall.getAttribute('data-earned'), { timeout: 15_000 }).toBe(String(scores.overall.earned));
    expect(await overall.getAttribute('data-possible')).toBe(String(scores.overall.possible));

    await desk.page.goto('/cases?source=inspection');
    for (const no of caseNos) await desk.page.getByText(no, { exact: true }).first().waitFor({ timeout: 15_000 });
    await desk.context.close();
  });
});
