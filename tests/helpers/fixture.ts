// A small street for API tests: two communities side by side, two grids each, one department, and one user
// per role. Coordinates are WGS-84 squares near the demo street so distances read true.
import type { Deps } from '../../src/server/lib/context.js';
import { orgRepo } from '../../src/server/modules/org/repo.js';
import { userRepo } from '../../src/server/modules/users/repo.js';
import { hashPassword } from '../../src/server/modules/auth/passwords.js';
import { nowIso } from '../../src/server/db/database.js';
import type { OrgRow } from '../../src/server/db/schema.js';

export const TEST_PASSWORD = 'test-pass-1';
let cachedHash: Promise<string> | null = null;
const passwordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

export const square = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
});

const bboxOf = (w: number, s: number, e: number, n: number): [number, number, number, number] => [w, s, e, n];

export interface Fixture {
  district: OrgRow;
  street: OrgRow;
  communityA: OrgRow;
  communityB: OrgRow;
  gridA1: OrgRow;
  gridA2: OrgRow;
  gridB1: OrgRow;
  gridB2: OrgRow;
  dept: OrgRow;
  users: Record<string, number>;
}

export async function seedFixture(deps: Deps): Promise<Fixture> {
  const { db } = deps;
  const now = nowIso();
  const org = (parent: OrgRow | null, kind: string, name: string, code: string | null, box?: [number, number, number, number]) =>
    orgRepo.insert(db, {
      parentId: parent?.id ?? null,
      parentPath: parent?.path ?? null,
      kind,
      name,
      code,
      geometry: box ? JSON.stringify(square(...box)) : null,
      bbox: box ? bboxOf(...box) : null,
      now,
    });
  const district = await org(null, 'district', '张店区', '370303');
  const street = await org(district, 'street', '测试街道', '370303012', [118.0, 36.8, 118.04, 36.82]);
  const communityA = await org(street, 'community', '东风社区', '370303012001', [118.0, 36.8, 118.02, 36.82]);
  const communityB = await org(street, 'community', '西苑社区', '370303012002', [118.02, 36.8, 118.04, 36.82]);
  const gridA1 = await org(communityA, 'grid', '东风社区第1网格', '370303012001001', [118.0, 36.8, 118.02, 36.81]);
  const gridA2 = await org(communityA, 'grid', '东风社区第2网格', '370303012001002', [118.0, 36.81, 118.02, 36.82]);
  const gridB1 = await org(communityB, 'grid', '西苑社区第1网格', '370303012002001', [118.02, 36.8, 118.04, 36.81]);
  const gridB2 = await org(communityB, 'grid', '西苑社区第2网格', '370303012002002', [118.02, 36.81, 118.04, 36.82]);
  const dept = await org(street, 'department', '城管科', null);

  const hash = await passwordHash();
  const people: [string, string, OrgRow][] = [
    ['admin', 'admin', street],
    ['office', 'office', street],
    ['leader', 'leader', street],
    ['dispatcher', 'dispatcher', street],
    ['inspector', 'inspector', street],
    ['unit', 'unit', dept],
    ['commA', 'unit', communityA],
    ['commB', 'unit', communityB],
    ['gridA1', 'grid_worker', gridA1],
    ['patrol', 'citizen_patrol', street],
    ['volunteer', 'volunteer', communityA],
  ];
  const users: Record<string, number> = {};
  for (const [username, role, o] of people) {
    users[username] = await userRepo.insert(db, {
      username,
      displayName: `测试${username}`,
      phone: '13800138000',
      role,
      orgId: o.id,
      passwordHash: hash,
      now,
    });
  }
  return { district, street, communityA, communityB, gridA1, gridA2, gridB1, gridB2, dept, users };
}
