// The event bus behind `deps.notify(topic, payload)`: after a commit, a use case says "this changed"; listeners
// (the SSE hub) hear it. One process: an in-process emitter. Several servers (REDIS_URL set): the same, plus Redis
// pub/sub, so every server's SSE clients hear every server's changes. Delivery is best effort by design: SSE only
// says "changed" and clients refetch, so a message lost while Redis is away costs a refresh, not data.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';

export type BusListener = (topic: string, payload: unknown) => void;

export interface EventBus {
  readonly kind: 'local' | 'redis';
  /** Used as `deps.notify`: never throws, never waits. */
  readonly publish: (topic: string, payload?: unknown) => void;
  /** Returns the unsubscribe function. */
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}

/** The subset of an ioredis client the bus uses (tests pass an in-memory pair). */
export interface RedisLike {
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  disconnect(): void;
}

export const BUS_CHANNEL = 'wenming:changed';

// deps.notify is the bus's publish function; this finds the bus again from it (deps objects may be copied).
const registry = new WeakMap<(topic: string, payload?: unknown) => void, EventBus>();

/** The bus whose publish function is `deps.notify`, or null when notify is not wired to a bus. */
export function busOf(deps: { notify: (topic: string, payload?: unknown) => void }): EventBus | null {
  return registry.get(deps.notify) ?? null;
}

function localEmitter() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const deliver = (topic: string, payload: unknown) => {
    // A listener's failure must not reach the use case that committed and only wanted to say so.
    for (const listener of emitter.listeners('message') as BusListener[]) {
      try {
        listener(topic, payload);
      } catch {
        /* best effort */
      }
    }
  };
  const subscribe = (listener: BusListener) => {
    emitter.on('message', listener);
    return () => void emitter.off('message', listener);
  };
  return { emitter, deliver, subscribe };
}

export function createLocalBus(): EventBus {
  const { emitter, deliver, subscribe } = localEmitter();
  const bus: EventBus = {
    kind: 'local',
    publish: (topic, payload) => deliver(topic, payload),
    subscribe,
    async close() {
      emitter.removeAllListeners();
    },
  };
  registry.set(bus.publish, bus);
  return bus;
}

export interface RedisBusOptions {
  channel?: string;
  /** Distinguishes this server's own messages when they come back from Redis. */
  serverId?: string;
  onError?: (err: Error) => void;
}

/**
 * Local delivery first (this server's clients hear its own changes even while Redis is down), then Redis for the
 * others; messages that come back from Redis with this server's id are dropped. `open` is called twice: a
 * connection in subscriber mode cannot publish.
 */
export function createRedisBus(open: () => RedisLike, opts: RedisBusOptions = {}): EventBus {
  const channel = opts.channel ?? BUS_CHANNEL;
  const serverId = opts.serverId ?? randomBytes(6).toString('hex');
  const onError = opts.onError ?? (() => {});
  const { emitter, deliver, subscribe } = localEmitter();
  const pub = open();
  const sub = open();
  pub.on('error', onError);
  sub.on('error', onError);
  sub.on('message', (ch, raw) => {
    if (ch !== channel) return;
    let msg: { o?: string; t?: unknown; p?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      return;
    }
    if (msg.o === serverId || typeof msg.t !== 'string') return;
    deliver(msg.t, msg.p);
  });
  void sub.subscribe(channel).catch(onError);
  const bus: EventBus = {
    kind: 'redis',
    publish: (topic, payload) => {
      deliver(topic, payload);
      let text: string;
      try {
        text = JSON.stringify({ o: serverId, t: topic, p: payload ?? null });
      } catch {
        return;
      }
      void pub.publish(channel, text).catch(onError);
    },
    subscribe,
    async close() {
      emitter.removeAllListeners();
      sub.disconnect();
      pub.disconnect();
    },
  };
  registry.set(bus.publish, bus);
  return bus;
}

/** The bus a server runs with: Redis when `config.redisUrl` is set, else in-process. */
export function openBus(config: Pick<Config, 'redisUrl'>, log: { warn?: (msg: string) => void } = console): EventBus {
  if (!config.redisUrl) return createLocalBus();
  const url = config.redisUrl;
  let lastWarn = 0;
  return createRedisBus(() => new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true }) as unknown as RedisLike, {
    onError: (err) => {
      // A Redis outage repeats its error on every retry; once a minute is enough for the log.
      if (Date.now() - lastWarn < 60_000) return;
      lastWarn = Date.now();
      log.warn?.(`realtime bus: Redis unavailable (${err.message}); live updates reach this server's clients only`);
    },
  });
}
