// How the server hands out the built web app to phones with the service worker: /sw.js at the root, re-checked on
// every visit (Cache-Control: no-cache), like the page itself; client routes get the page, but a missing build file
// (the worker, an old chunk) is a 404 and never the page in its place.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { createTestDb, type TestDb } from './helpers/db.js';

function webDir(withWorker: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
  if (withWorker) writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  return dir;
}

describe('serving the web app with its service worker', () => {
  let db: TestDb;
  let app: FastifyInstance;
  let bare: { db: TestDb; app: FastifyInstance };
  const dirs: string[] = [];

  beforeAll(async () => {
    const dir = webDir(true);
    const without = webDir(false);
    dirs.push(dir, without);
    db = await createTestDb({ WENMING_WEB_DIR: dir });
    app = await buildApp(db.deps, { serveWeb: true });
    await app.ready();
    const db2 = await createTestDb({ WENMING_WEB_DIR: without });
    bare = { db: db2, app: await buildApp(db2.deps, { serveWeb: true }) };
    await bare.app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await bare?.app.close();
    await bare?.db.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('serves /sw.js as a script that is re-checked on every visit', async () => {
    const res = await app.inject({ method: 'GET', url: '/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('addEventListener');
  });

  it('serves the page re-checked too, at / and for client routes', async () => {
    for (const url of ['/', '/index.html', '/inspect/12/points/3']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(res.body, url).toContain('id="root"');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('leaves hashed build files to the default caching', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).not.toBe('no-cache');
  });

  it('answers a missing build file with 404, not the page', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/Old-chunk-zzz.js' });
    expect(asset.statusCode).toBe(404);
    expect(asset.json().code).toBe('NOT_FOUND');
    const worker = await bare.app.inject({ method: 'GET', url: '/sw.js' });
    expect(worker.statusCode).toBe(404);
    expect(worker.headers['content-type']).toMatch(/json/);
    // The page still answers client routes on that server.
    expect((await bare.app.inject({ method: 'GET', url: '/inspect' })).statusCode).toBe(200);
  });

  it('keeps API misses as JSON errors, never the page', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect([401, 404]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/json/);
  });
});
