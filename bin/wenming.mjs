#!/usr/bin/env node
// Entry point of the `wenming` CLI. Runs the compiled server when a production build exists and
// NODE_ENV=production; otherwise runs the TypeScript sources through tsx, so `npm install && npm start`
// needs no build step for the server.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'server', 'cli.js');
if (process.env.NODE_ENV === 'production' && existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'server', 'cli.ts')).href);
}
