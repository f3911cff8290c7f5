// Shared pieces of `npm run bench`: figures, a server in a child process, a load generator, RSS sampling.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const madeDirs = new Set<string>();

/** A scratch folder for this bench run, removed by removeTempDirs() when the run ends (a filled database is ~1 GB). */
export function tempDir(prefix = 'wenming-bench-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.add(dir);
  return dir;
}

export function removeTempDirs() {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
  madeDirs.clear();
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
export async function startServerProcess(env: Record<string, string> = {}, dataDir = tempDir(), nodeArgs: string[] = []): Promise<ServerProc> {
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

// wrk's script: every request takes the next of the prepared bodies (one per line of the file BODIES) and the
// headers in HEADERS (one "name<TAB>value" per line).
const WRK_SCRIPT = `
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
for line in string.gmatch(os.getenv("HEADERS") or "", "[^\\n]+") do
  local k, v = string.match(line, "^([^\\t]+)\\t(.*)$")
  if k then wrk.headers[k] = v end
end
wrk.method = os.getenv("METHOD") or "POST"
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
`;

/** Whether wrk is installed (Debian: apt-get install wrk). */
export function hasWrk(): boolean {
  return !spawnSync('wrk', ['--version']).error;
}

const wrkMs = (text: string) => {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
};

/**
 * Closed-loop load from wrk, a load generator written in C: on a two-core machine shared with the server it takes
 * a small part of what autocannon (JavaScript) takes, so the server's figure is less the generator's. Each request
 * sends the next of `bodies`, cycling.
 */
export async function loadWithWrk(opts: { url: string; method?: string; headers?: Record<string, string>; bodies: string[]; connections?: number; seconds?: number }): Promise<LoadResult & { total: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-wrk-'));
  try {
    writeFileSync(join(dir, 'bodies.txt'), `${opts.bodies.join('\n')}\n`);
    writeFileSync(join(dir, 'script.lua'), WRK_SCRIPT);
    const env = {
      ...process.env,
      BODIES: join(dir, 'bodies.txt'),
      METHOD: opts.method ?? 'POST',
      HEADERS: Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}\t${v}`).join('\n'),
    };
    const args = ['-t1', `-c${opts.connections ?? 16}`, `-d${opts.seconds ?? 8}s`, '--latency', '-s', join(dir, 'script.lua'), opts.url];
    const out = await new Promise<string>((resolve, reject) => execFile('wrk', args, { env }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
    const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    return {
      rps: num(/Requests\/sec:\s+([\d.]+)/),
      p50: wrkMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
      p99: wrkMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
      non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
      errors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
      total: num(/(\d+) requests in/),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Open-loop load at a steady rate: request i is due at start + i / rate, whatever the answers before it did, and
 * its latency counts from that due time (a generator falling behind shows as latency, not as a lower rate). This
 * is what "p99 at half that rate" means. autocannon's own rate limit is a per-second quota that each connection
 * spends as fast as it can and then waits for the next second: bursts at full speed, then idle.
 */
export async function paced(opts: { url: string; rate: number; seconds: number; method?: string; headers?: Record<string, string>; body: () => string }): Promise<LoadResult & { sent: number }> {
  const { request, Agent } = await import('node:http');
  // A pool of kept-alive connections, as browsers and gateways keep: requests beyond it wait for a free one (and that
  // wait counts in their latency). Opening hundreds of sockets at once would measure the SYN backlog instead.
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const url = new URL(opts.url);
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const start = performance.now() + 20;
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const body = opts.body();
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method: opts.method ?? 'POST', agent, headers: { ...opts.headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
            latencies.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(due));
  }
  await Promise.all(inflight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  const elapsed = (performance.now() - start) / 1000;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, non2xx, sent: total };
}
