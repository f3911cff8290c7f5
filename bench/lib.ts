// Shared pieces of `npm run bench`: figures, a server in a child process, a load generator, RSS sampling.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface Figure {
  issue: number;
  name: string;
  value: number;
  unit: string;
  /** The figure the issue asks for, and which side of it is good. */
  target?: { op: '>=' | '<='; value: number };
  note?: string;
}

export const meets = (f: Figure) => (f.target ? (f.target.op === '>=' ? f.value >= f.target.value : f.value <= f.target.value) : null);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface ServerProc {
  proc: ChildProcess;
  port: number;
  base: string;
  readyMs: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts `wenming start` as a new user would, and measures spawn → /healthz answering. `nodeArgs` go to node itself (a profiler, say). */
export async function startServerProcess(env: Record<string, string> = {}, dataDir = mkdtempSync(join(tmpdir(), 'wenming-bench-')), nodeArgs: string[] = []): Promise<ServerProc> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawn(process.execPath, [...nodeArgs, 'bin/wenming.mjs', 'start'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WENMING_DATA_DIR: dataDir, LOG_LEVEL: 'warn', WENMING_LOGIN_RATE_LIMIT: '100000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {}
    if (performance.now() - t0 > 60_000) throw new Error(`server not ready in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - t0;
  return {
    proc,
    port,
    base,
    readyMs,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export async function login(base: string, username: string, password = 'wenming-demo') {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

/** Peak resident memory of a process while `during` runs, from /proc (Linux). */
export async function peakRss<T>(pid: number, during: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = 0;
  const sample = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {}
  };
  const timer = setInterval(sample, 100);
  sample();
  try {
    const result = await during();
    sample();
    return { result, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(opts: { url: string; headers?: Record<string, string>; method?: string; body?: string; connections?: number; seconds?: number; rate?: number }): Promise<LoadResult> {
  const r = await autocannon({
    url: opts.url,
    method: (opts.method ?? 'GET') as 'GET',
    headers: opts.headers,
    body: opts.body,
    connections: opts.connections ?? 32,
    duration: opts.seconds ?? 8,
    overallRate: opts.rate,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}
