// 查重 and 反弹 searches by latitude band (index cases_near, core/geo/bands.ts): neighbours across a band edge are
// found, tall boxes fall back to a band range, and the search seeks the index instead of scanning the category.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { isPostgres } from '../../db/database.js';
import { latBand } from '../../../core/geo/bands.js';
import { boxAround } from './geo.js';
import { caseRepo } from './repo.js';
import { OPEN_STATES } from '../../../core/cases/index.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
});
afterAll(async () => t?.close());

// Inside 东风社区第1网格 of the fixture street; 36.806 is the edge between bands 36805 and 36806.
const EDGE = 36.806;
const LNG = 118.0105;

async function report(body: Record<string, unknown>) {
  const res = await (await t.as('office')).post('/api/v1/cases', { source: 'office', categoryCode: '1402', description: '路边堆放垃圾', ...body });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('neighbour search by latitude band', () => {
  it('offers an open case 3 m away on the other side of a band edge as a duplicate', async () => {
    const south = await report({ lat: EDGE - 0.00001, lng: LNG });
    const north = await report({ lat: EDGE + 0.00002, lng: LNG });
    expect(latBand(EDGE - 0.00001)).not.toBe(latBand(EDGE + 0.00002));
    expect(north.duplicates.map((d: { id: number }) => d.id)).toContain(south.id);
  });

  it('does not offer a case of the same band beyond the radius, nor one of another category', async () => {
    const far = await report({ lat: EDGE + 0.0004, lng: LNG + 0.003 }); // same band, ~270 m east
    const other = await report({ lat: EDGE + 0.0004, lng: LNG + 0.0031, categoryCode: '1401' });
    const here = await report({ lat: EDGE + 0.0004, lng: LNG + 0.0031 + 0.0009 }); // ~80 m east of `other`
    const ids = here.duplicates.map((d: { id: number }) => d.id);
    expect(ids).not.toContain(other.id);
    expect(ids).not.toContain(far.id);
  });

  it('finds cases in a box taller than 64 bands (a band range) through the nearby API', async () => {
    const base = await report({ lat: 36.8012, lng: 118.0012, categoryCode: '1404' });
    const office = await t.as('office');
    // 2 km around a point 0.9 km north: the box crosses 37 bands, a list would be too long.
    const res = await office.get(`/api/v1/cases/nearby?categoryCode=1404&lat=36.8093&lng=118.0012&radiusM=2000`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { id: number }) => i.id)).toContain(base.id);
    const near = await office.get(`/api/v1/cases/nearby?categoryCode=1404&lat=36.8093&lng=118.0012&radiusM=500`);
    expect(near.json().items.map((i: { id: number }) => i.id)).not.toContain(base.id);
  });

  it('the repository answers the same for a list of bands and a band range', async () => {
    const db = t.db.deps.db;
    const short = await caseRepo.near(db, { categoryCode: '1402', box: boxAround(LNG, EDGE, 60), statuses: OPEN_STATES, limit: 20 });
    const tall = await caseRepo.near(db, { categoryCode: '1402', box: boxAround(LNG, EDGE, 60), bands: { range: [latBand(EDGE) - 3, latBand(EDGE) + 3] }, statuses: OPEN_STATES, limit: 20 });
    expect(short.length).toBeGreaterThan(0);
    expect(tall.map((r) => r.id)).toEqual(short.map((r) => r.id));
  });

  it('seeks the band index on SQLite', async () => {
    const db = t.db.deps.db;
    if (isPostgres(db)) return; // PostgreSQL's planner picks by table size; the fixture is too small to tell.
    const { sql } = await import('kysely');
    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT id FROM cases WHERE category_code = '1402' AND trunc(lat * 1000) IN (36805, 36806) AND lng >= 118.01 AND lng <= 118.011`.execute(db);
    expect(plan.rows.map((r) => r.detail).join(' ')).toMatch(/USING (COVERING )?INDEX cases_near /);
  });
});
