// Boot: config → database → migrations → baseline and demo data → app → listen, plus the job worker.
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.js';
import type { OpenedDb } from './db/database.js';
import { prepareDatabase } from './db/prepare.js';
import { loadDemoIfEmpty } from './db/seed/demo-load.js';
import { buildApp } from './app.js';
import { Worker } from './jobs/worker.js';
import type { Deps } from './lib/context.js';
import { openBus } from './realtime/bus.js';

export interface Running {
  app: FastifyInstance | null;
  worker: Worker | null;
  opened: OpenedDb;
  deps: Deps;
  url: string | null;
  stop(): Promise<void>;
}

export { prepareDatabase };

export async function startServer(config: Config = loadConfig(), log = console): Promise<Running> {
  const t0 = Date.now();
  const { opened, deps } = await prepareDatabase(config);
  // Real-time bus behind deps.notify (SSE; Redis pub/sub across servers when REDIS_URL is set).
  const bus = openBus(config, log);
  deps.notify = bus.publish;
  if (config.demo) {
    const loaded = await loadDemoIfEmpty(deps);
    if (loaded) log.info?.(`demo street loaded: ${loaded.orgs} org nodes, ${loaded.points} points, ${loaded.users} people, ${loaded.cases} cases, ${loaded.caseEvents} case events`);
  }
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  // With several servers, rate-limit counters must be shared: Redis holds them when configured.
  const redis = config.redisUrl ? new (await import('ioredis')).Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false }) : null;
  if (config.runApi) {
    app = await buildApp(deps, { logger: config.logLevel !== 'silent', rateLimitRedis: redis ?? undefined });
    url = await app.listen({ port: config.port, host: config.host });
  }
  const worker = config.runWorker ? new Worker(deps) : null;
  worker?.start();
  log.info?.(`Wenming ready in ${Date.now() - t0} ms on ${opened.dialect}${url ? ` at ${url.replace('0.0.0.0', 'localhost')}` : ' (worker only)'}`);
  let stopping: Promise<void> | null = null;
  return {
    app,
    worker,
    opened,
    deps,
    url,
    stop() {
      stopping ??= (async () => {
        await app?.close();
        await worker?.stop();
        await bus.close();
        redis?.disconnect();
        await opened.close();
      })();
      return stopping;
    },
  };
}
