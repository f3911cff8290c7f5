// Configuration comes from environment variables only, parsed once at boot. An invalid value stops the
// server with one message that names every bad variable, so a misconfigured deployment fails fast.
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** `sqlite:<file>` or `postgres://…` */
  databaseUrl: string;
  dialect: 'sqlite' | 'postgres';
  dataDir: string;
  uploadDir: string;
  /** Load the demo street into an empty database on start. */
  demo: boolean;
  sessionTtlHours: number;
  cookieSecure: boolean;
  loginRateLimitPerMinute: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  redisUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Run the in-process job worker in this process (`WENMING_ROLE=api` turns it off). */
  runWorker: boolean;
  runApi: boolean;
  tileUrl: string | null;
  tileCoordSystem: 'WGS84' | 'GCJ02';
  webDir: string;
  /** Largest photo accepted, in bytes. */
  photoMaxBytes: number;
  /** Largest decoded photo, in pixels (decompression bombs stop here). */
  photoMaxPixels: number;
  /** Largest evidence file (材料审核: PDF, image, .docx, .xlsx), in bytes. */
  evidenceMaxBytes: number;
}

export class ConfigError extends Error {
  constructor(public problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const str = (name: string, fallback: string) => {
    const v = env[name];
    return v === undefined || v === '' ? fallback : v;
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name}=${JSON.stringify(raw)}: expected true or false`);
    return fallback;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  };

  const dataDir = resolve(cwd, str('WENMING_DATA_DIR', 'data'));
  const databaseUrl = str('DATABASE_URL', `sqlite:${resolve(dataDir, 'wenming.db')}`);
  let dialect: Config['dialect'] = 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) dialect = 'postgres';
  else if (!databaseUrl.startsWith('sqlite:')) {
    problems.push(`DATABASE_URL=${JSON.stringify(databaseUrl)}: expected sqlite:<file> or postgres://user@host:port/db`);
  }
  const redisUrl = str('REDIS_URL', '');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push(`REDIS_URL=${JSON.stringify(redisUrl)}: expected redis://host:port`);
  const tileUrl = str('WENMING_TILE_URL', '');
  if (tileUrl && !/^https?:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(tileUrl)) {
    problems.push(`WENMING_TILE_URL=${JSON.stringify(tileUrl)}: expected an http(s) URL with {z}, {x} and {y}`);
  }
  const role = oneOf('WENMING_ROLE', 'all', ['all', 'api', 'worker'] as const);

  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    host: str('HOST', '0.0.0.0'),
    databaseUrl,
    dialect,
    dataDir,
    uploadDir: resolve(cwd, str('WENMING_UPLOAD_DIR', resolve(dataDir, 'uploads'))),
    demo: bool('WENMING_DEMO', true),
    sessionTtlHours: int('WENMING_SESSION_TTL_HOURS', 12, 1, 24 * 90),
    cookieSecure: bool('WENMING_COOKIE_SECURE', false),
    loginRateLimitPerMinute: int('WENMING_LOGIN_RATE_LIMIT', 20, 1, 100000),
    lockoutThreshold: int('WENMING_LOCKOUT_THRESHOLD', 5, 1, 1000),
    lockoutMinutes: int('WENMING_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    redisUrl: redisUrl || null,
    logLevel: oneOf('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    runWorker: role !== 'api',
    runApi: role !== 'worker',
    tileUrl: tileUrl || null,
    tileCoordSystem: oneOf('WENMING_TILE_CRS', 'GCJ02', ['WGS84', 'GCJ02'] as const),
    webDir: resolve(cwd, str('WENMING_WEB_DIR', 'dist/web')),
    photoMaxBytes: int('WENMING_PHOTO_MAX_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    photoMaxPixels: int('WENMING_PHOTO_MAX_PIXELS', 40_000_000, 1_000_000, 268_000_000),
    evidenceMaxBytes: int('WENMING_EVIDENCE_MAX_BYTES', 20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
