#!/usr/bin/env node
// Before `npm start`: build the web app when dist/web is missing or older than its sources, so a fresh clone
// needs only `npm install && npm start`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const out = 'dist/web/index.html';
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const sources = ['src/web', 'src/core'].filter(existsSync);
const stale = !existsSync(out) || Math.max(...sources.map(newest), statSync('vite.config.ts').mtimeMs) > statSync(out).mtimeMs;
if (stale) {
  console.log('Building the web app (first start or changed sources)…');
  const res = spawnSync('npx', ['vite', 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
