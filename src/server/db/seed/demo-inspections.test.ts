import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../tests/helpers/db.js';
import { seedBaseline } from './baseline.js';
import { loadDemoIfEmpty } from './demo-load.js';
import { generateDemoStreet } from './demo-street.js';
import { loadDemoInspections } from './demo-inspections.js';
import { getPlanScores, listPlanProblems, getKit } from '../../modules/inspections/service.js';
import type { Actor } from '../../lib/context.js';

const NOW = new Date('2026-11-27T03:30:00Z');
let t: TestDb;

async function actor(username: string): Promise<Actor> {
  const u = await t.deps.db
    .selectFrom('users as u')
    .innerJoin('orgs as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.org_id', 'o.name', 'o.kind', 'o.path'])
    .where('u.username', '=', username)
    .executeTakeFirstOrThrow();
  return { user: { id: u.id, username: u.username, displayName: u.display_name, role: u.role as 'office', orgId: u.org_id, orgName: u.name, orgKind: u.kind, orgPath: u.path, locale: null, mustChangePassword: false }, ip: null, lang: 'zh-CN' };
}

beforeAll(async () => {
  t = await createTestDb();
  await seedBaseline(t.deps.db);
  await loadDemoIfEmpty(t.deps, generateDemoStreet(), { now: NOW });
}, 120_000);
afterAll(async () => t?.close());

describe('demo inspections', () => {
  it('loads a closed mock test with all its results and an active supervision for the demo inspector', async () => {
    const plans = await t.deps.db.selectFrom('inspection_plans').selectAll().orderBy('id').execute();
    expect(plans.map((p) => [p.kind, p.status])).toEqual([
      ['mock', 'closed'],
      ['supervision', 'active'],
    ]);
    const office = await actor('office');
    const mock = await getPlanScores(t.deps, office, plans[0]!.id);
    expect(mock.inspectedPoints).toBe(mock.totalPoints);
    expect(mock.totalPoints).toBe(36);
    expect(mock.overall.rate).toBeGreaterThan(0.7);
    expect(mock.overall.rate).toBeLessThan(1);
    expect(mock.byCommunity.length).toBeGreaterThan(2);
    const active = await getPlanScores(t.deps, office, plans[1]!.id);
    expect(active.inspectedPoints).toBeGreaterThan(0);
    expect(active.inspectedPoints).toBeLessThan(active.totalPoints);
    const kit = await getKit(t.deps, await actor('inspector'), plans[1]!.id);
    expect(kit.points).toHaveLength(active.totalPoints);
    expect(await loadDemoInspections(t.deps.db, { now: NOW })).toBeNull();
  });

  it('links every failure left unfixed to a case of its category at that point, open when inspected', async () => {
    const plans = await t.deps.db.selectFrom('inspection_plans').select('id').orderBy('id').execute();
    let linked = 0;
    for (const p of plans) {
      const { items } = await listPlanProblems(t.deps, await actor('office'), p.id);
      for (const problem of items) {
        if (problem.fixedOnSpotFully) {
          expect(problem.caseId).toBeNull();
          continue;
        }
        expect(problem.caseId).not.toBeNull();
        const c = await t.deps.db.selectFrom('cases').selectAll().where('id', '=', problem.caseId!).executeTakeFirstOrThrow();
        expect(c.point_id).toBe(problem.pointId);
        expect(c.created_at <= problem.inspectedAt).toBe(true);
        linked += 1;
      }
    }
    expect(linked).toBeGreaterThan(3);
  });
});
