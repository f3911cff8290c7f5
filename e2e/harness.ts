// Browser tests run the real server (SQLite file, demo street, built web app) and drive Debian's Chromium
// (playwright-core gives each launch a fresh profile directory).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../src/server/config.js';
import { startServer, type Running } from '../src/server/main.js';

export interface E2E {
  base: string;
  running: Running;
  browser: Browser;
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export interface ApiClient {
  userId: number;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** A demo user signed in through the API (cookie + CSRF), for setting up and checking what the browser did. */
export async function apiAs(base: string, username: string, password = 'wenming-demo'): Promise<ApiClient> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`login as ${username} → ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { id: number } };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { userId: user.id, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) };
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  if (!existsSync('dist/web/index.html')) throw new Error('dist/web is missing: run `npm run build:web` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'wenming-e2e-'));
  const config = loadConfig({ ...process.env, WENMING_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', WENMING_DEMO: 'true', WENMING_LOGIN_RATE_LIMIT: '1000', DATABASE_URL: '', ...env });
  const running = await startServer(config, { info: () => {} } as unknown as Console);
  const base = running.url!.replace('0.0.0.0', '127.0.0.1');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return {
    base,
    running,
    browser,
    async newPage(viewport = DESKTOP) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', baseURL: base });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close();
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function loginUI(page: Page, username: string, password = 'wenming-demo') {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}
