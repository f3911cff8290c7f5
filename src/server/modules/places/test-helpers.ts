// Shared by the places tests: multipart bodies for uploads and row counts for "nothing was written" checks.
import type { TestApp } from '../../../../tests/helpers/app.js';

export function multipart(filename: string, data: Buffer | string, contentType: string) {
  const boundary = `----wenming${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), Buffer.isBuffer(data) ? data : Buffer.from(data), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Rows of a table; for the audit log, rows other than sign-ins (tests sign users in along the way). */
export async function rowCount(t: TestApp, table: 'points' | 'orgs' | 'audit_log'): Promise<number> {
  let q = t.db.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (table === 'audit_log') q = q.where('action', 'not like', 'auth.%');
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

export const square = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
});

/** A campaign-office user placed at a community: writes places, but only inside that community. */
export async function addCommunityOffice(t: TestApp, username: string, orgId: number): Promise<void> {
  const { userRepo } = await import('../users/repo.js');
  const { hashPassword } = await import('../auth/passwords.js');
  const { TEST_PASSWORD } = await import('../../../../tests/helpers/fixture.js');
  await userRepo.insert(t.db.deps.db, {
    username,
    displayName: `测试${username}`,
    role: 'office',
    orgId,
    passwordHash: await hashPassword(TEST_PASSWORD),
    now: new Date().toISOString(),
  });
}
