// Killing the server during sustained intake loses no case that it acknowledged: every 201 it sent is on disk
// after a SIGKILL and a restart (SQLite WAL with synchronous=NORMAL survives a process crash; PostgreSQL commits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from '../bench/lib.js';
import { PG_BASE, TEST_DIALECT } from './helpers/db.js';
import { openDatabase } from '../src/server/db/database.js';

const dir = mkdtempSync(join(tmpdir(), 'wenming-durability-'));
const dbName = `wm_t_kill_${randomBytes(3).toString('hex')}`;
const url = TEST_DIALECT === 'postgres' ? `${PG_BASE}/${dbName}` : `sqlite:${join(dir, 'wenming.db')}`;

async function start(): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['bin/wenming.mjs', 'start'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url, WENMING_DATA_DIR: dir, WENMING_DEMO: 'true', LOG_LEVEL: 'silent', WENMING_LOGIN_RATE_LIMIT: '1000' },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { proc, base };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (TEST_DIALECT === 'postgres') {
    const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  }
});

describe('durability', { timeout: 180_000 }, () => {
  let acknowledged: string[] = [];
  beforeAll(async () => {
    const { proc, base } = await start();
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'office', password: 'wenming-demo' }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const { generateDemoStreet } = await import('../src/server/db/seed/demo-street.js');
    const spots = generateDemoStreet().points.map((p) => p.location);
    let n = 0;
    let killed = false;
    const sender = async () => {
      while (!killed) {
        const i = n++;
        const key = `durability-${i.toString().padStart(6, '0')}`;
        const [lng, lat] = spots[i % spots.length];
        try {
          const res = await fetch(`${base}/api/v1/cases`, {
            method: 'POST',
            headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
            body: JSON.stringify({ source: 'office', dispatch: true, categoryCode: '1401', lat, lng, description: `持久性测试 ${i}`, idempotencyKey: key }),
          });
          if (res.status === 201) acknowledged.push(key);
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    // Let intake run, then kill the process without warning while requests are in flight.
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 20));
    proc.kill('SIGKILL');
    killed = true;
    await Promise.all(senders);
    acknowledged = [...acknowledged];
  });

  it('finds every acknowledged case after a restart', async () => {
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);
    const { proc } = await start(); // recovery (WAL replay) happens on open
    proc.kill('SIGTERM');
    const opened = await openDatabase(url, { poolSize: 1 });
    try {
      const rows = await opened.db.selectFrom('cases').select('idempotency_key').where('idempotency_key', 'like', 'durability-%').execute();
      const stored = new Set(rows.map((r) => r.idempotency_key));
      const lost = acknowledged.filter((k) => !stored.has(k));
      expect(lost).toEqual([]);
      // Nothing half-written either: every stored case has its first event.
      const orphans = await opened.db
        .selectFrom('cases as c')
        .leftJoin('case_events as e', (j) => j.onRef('e.case_id', '=', 'c.id').on('e.action', '=', 'report'))
        .select('c.id')
        .where('c.idempotency_key', 'like', 'durability-%')
        .where('e.id', 'is', null)
        .execute();
      expect(orphans).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
