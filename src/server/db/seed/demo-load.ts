// Loads the generated demo street into an empty database: org tree, people (password `wenming-demo`), points and
// about three months of case history ending now (demo-cases.ts).
// Runs in one transaction: a crash halfway leaves the database empty, and the next start tries again.
import type { Deps } from '../../lib/context.js';
import type { OrgRow } from '../schema.js';
import { orgRepo } from '../../modules/org/repo.js';
import { userRepo } from '../../modules/users/repo.js';
import { settingsRepo } from '../../modules/admin/repo.js';
import { hashPassword } from '../../modules/auth/passwords.js';
import { DEMO_PASSWORD } from '../../modules/admin/service.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../database.js';
import { geometryBbox, representativePoint } from '../../../core/geo/measure.js';
import { DEMO_USERNAMES, generateDemoStreet, type DemoStreet } from './demo-street.js';
import { loadDemoCases } from './demo-cases.js';
import { loadDemoInspections } from './demo-inspections.js';
import { loadDemoEvidence } from '../../modules/evidence/seed.js';

export interface DemoLoadResult {
  orgs: number;
  points: number;
  users: number;
  /** Cases and case events of the simulated history (0 when it was skipped). */
  cases: number;
  caseEvents: number;
}

export interface DemoLoadOptions {
  /** The end of the case history; the load time by default (tests fix it). */
  now?: Date;
  /** Load the street without case history. */
  withoutCases?: boolean;
}

export async function loadDemoIfEmpty(deps: Deps, street: DemoStreet = generateDemoStreet(), options: DemoLoadOptions = {}): Promise<DemoLoadResult | null> {
  const any = await deps.db.selectFrom('orgs').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  return loadDemoStreet(deps, street, options);
}

export async function loadDemoStreet(deps: Deps, street: DemoStreet, options: DemoLoadOptions = {}): Promise<DemoLoadResult> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const now = nowIso();
  return deps.db.transaction().execute(async (trx) => {
    const byKey = new Map<string, OrgRow>();
    for (const o of street.orgs) {
      const parent = o.parentKey ? byKey.get(o.parentKey) : null;
      if (o.parentKey && !parent) throw new Error(`demo org ${o.key} comes before its parent ${o.parentKey}`);
      const row = await orgRepo.insert(trx, {
        parentId: parent?.id ?? null,
        parentPath: parent?.path ?? null,
        kind: o.kind,
        name: o.name,
        shortName: o.shortName ?? null,
        code: o.code,
        geometry: o.geometry ? JSON.stringify(o.geometry) : null,
        bbox: o.geometry ? geometryBbox(o.geometry) : null,
        contactName: o.contactName ?? null,
        contactPhone: o.contactPhone ?? null,
        address: o.address ?? null,
        sort: o.sort,
        now,
      });
      byKey.set(o.key, row);
    }
    const streetRow = [...byKey.values()].find((o) => o.kind === 'street')!;
    const points = street.points.map((p) => {
      const grid = byKey.get(p.gridKey);
      if (!grid) throw new Error(`demo point ${p.name} names unknown grid ${p.gridKey}`);
      const [lng, lat] = representativePoint(p.geometry);
      const [minLng, minLat, maxLng, maxLat] = geometryBbox(p.geometry);
      const micro = p.microGridKey ? byKey.get(p.microGridKey) : undefined;
      const community = byKey.get(street.orgs.find((o) => o.key === p.gridKey)!.parentKey!)!;
      return {
        name: p.name,
        type_code: p.typeCode,
        geometry: JSON.stringify(p.geometry),
        lat,
        lng,
        min_lng: minLng,
        min_lat: minLat,
        max_lng: maxLng,
        max_lat: maxLat,
        grid_id: grid.id,
        micro_grid_id: micro?.id ?? null,
        community_id: community.id,
        street_id: streetRow.id,
        org_path: micro?.path ?? grid.path,
        guard_org_id: p.guardOrgKey ? byKey.get(p.guardOrgKey)?.id ?? null : null,
        responsible_name: p.responsibleName,
        responsible_phone: p.responsiblePhone,
        address: p.address,
        attrs: JSON.stringify(p.attrs ?? {}),
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      };
    });
    for (let i = 0; i < points.length; i += 200) await trx.insertInto('points').values(points.slice(i, i + 200)).execute();
    for (const u of street.users) {
      const org = byKey.get(u.orgKey);
      if (!org) throw new Error(`demo user ${u.username} names unknown org ${u.orgKey}`);
      await userRepo.insert(trx, { username: u.username, displayName: u.displayName, phone: u.phone, role: u.role, orgId: org.id, passwordHash: hash, now });
    }
    const logins = DEMO_USERNAMES.map((name) => street.users.find((u) => u.username === name)).filter((u) => !!u);
    await settingsRepo.put(trx, 'demo', { seed: street.seed, users: logins.map((u) => ({ username: u!.username, role: u!.role, displayName: u!.displayName })) }, null, now);
    const history = options.withoutCases ? null : await loadDemoCases(trx, { now: options.now ?? new Date(now) });
    if (history) await loadDemoInspections(trx, { now: options.now ?? new Date(now) });
    // 材料审核: a few generated PDFs (needs the standard, which the case history seeds).
    if (!options.withoutCases) await loadDemoEvidence(trx, deps.config.uploadDir, options.now ?? new Date(now));
    const counts = { orgs: street.orgs.length, points: points.length, users: street.users.length, cases: history?.cases ?? 0, caseEvents: history?.events ?? 0 };
    await audit(trx, null, { action: 'demo.load', detail: { seed: street.seed, ...counts } });
    return counts;
  });
}
