#!/usr/bin/env node
// `npm test`: the whole suite — unit and API tests on SQLite, the same again on PostgreSQL when a server is
// reachable (always in CI), then browser tests in Chromium — closed by one `N passed, N failed` line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const countFile = join(mkdtempSync(join(tmpdir(), 'wenming-count-')), 'counts');
const pgUrl = process.env.WENMING_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let exitCode = 0;
const notes = [];

function run(label, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const res = spawnSync('npx', ['vitest', 'run', ...args], {
    stdio: 'inherit',
    env: { ...process.env, WENMING_COUNT_FILE: countFile, WENMING_TEST_LABEL: label, ...env },
  });
  if (res.status !== 0) exitCode = 1;
}

async function postgresReachable() {
  const c = new pg.Client({ connectionString: `${pgUrl}/postgres`, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const only = process.argv.slice(2);
run('sqlite', ['--config', 'vitest.config.ts', ...only]);
if (await postgresReachable()) {
  run('postgres', ['--config', 'vitest.config.ts', ...only], { WENMING_TEST_DB: 'postgres' });
} else if (ci) {
  notes.push('PostgreSQL is not reachable at ' + pgUrl);
  exitCode = 1;
} else {
  notes.push(`PostgreSQL not reachable at ${pgUrl}: the PostgreSQL run was not done (CI always does it)`);
}

if (!only.length) {
  if (existsSync(chromium)) {
    if (!existsSync('dist/web/index.html') || process.env.WENMING_REBUILD_WEB === '1') {
      console.log('\n=== building the web app for browser tests ===');
      const b = spawnSync('npx', ['vite', 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
      if (b.status !== 0) exitCode = 1;
    }
    run('browser', ['--config', 'vitest.e2e.config.ts'], { CHROMIUM_PATH: chromium });
  } else if (ci) {
    notes.push(`Chromium not found at ${chromium}`);
    exitCode = 1;
  } else {
    notes.push(`Chromium not found at ${chromium}: browser tests were not run (apt-get install -y chromium)`);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(countFile)) {
  for (const line of readFileSync(countFile, 'utf8').trim().split('\n').filter(Boolean)) {
    const [p, f, s] = line.split(' ').map(Number);
    passed += p;
    failed += f;
    skipped += s;
  }
}
for (const n of notes) console.log(`note: ${n}`);
if (failed === 0 && exitCode !== 0) failed = 1; // a runner crashed without counting
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exitCode || (failed ? 1 : 0));
