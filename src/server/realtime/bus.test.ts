import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { busOf, createLocalBus, createRedisBus, type RedisLike } from './bus.js';

/** An in-memory Redis: every client of one broker hears what any client publishes. */
function broker() {
  const subscribers: { channels: Set<string>; onMessage: ((ch: string, msg: string) => void)[] }[] = [];
  let down = false;
  const open = (): RedisLike => {
    const me = { channels: new Set<string>(), onMessage: [] as ((ch: string, msg: string) => void)[] };
    subscribers.push(me);
    return {
      async publish(channel, message) {
        if (down) throw new Error('connection refused');
        for (const s of subscribers) if (s.channels.has(channel)) s.onMessage.forEach((f) => f(channel, message));
        return 1;
      },
      async subscribe(channel) {
        me.channels.add(channel);
      },
      on(event: string, listener: (...args: any[]) => void) {
        if (event === 'message') me.onMessage.push(listener as (ch: string, msg: string) => void);
        return this;
      },
      disconnect() {
        me.channels.clear();
      },
    } as RedisLike;
  };
  return { open, setDown: (v: boolean) => (down = v) };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('the event bus', () => {
  it('delivers locally, and is found again from deps.notify', async () => {
    const bus = createLocalBus();
    const heard: unknown[] = [];
    const off = bus.subscribe((topic, payload) => heard.push([topic, payload]));
    const deps = { notify: bus.publish };
    expect(busOf({ ...deps })).toBe(bus);
    expect(busOf({ notify: () => {} })).toBeNull();
    deps.notify('cases.changed', { caseId: 7 });
    off();
    deps.notify('cases.changed', { caseId: 8 });
    expect(heard).toEqual([['cases.changed', { caseId: 7 }]]);
  });

  it('keeps a failing listener from reaching the publisher', () => {
    const bus = createLocalBus();
    const heard: string[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((topic) => heard.push(topic));
    expect(() => bus.publish('x')).not.toThrow();
    expect(heard).toEqual(['x']);
  });

  it('carries messages between servers through Redis, each heard once', async () => {
    const b = broker();
    const a = createRedisBus(b.open, { serverId: 'a' });
    const c = createRedisBus(b.open, { serverId: 'c' });
    const onA: unknown[] = [];
    const onC: unknown[] = [];
    a.subscribe((t, p) => onA.push([t, p]));
    c.subscribe((t, p) => onC.push([t, p]));
    await settle();
    a.publish('cases.changed', { caseId: 1 });
    c.publish('notifications.changed', { userIds: [3] });
    await settle();
    expect(onA).toEqual([['cases.changed', { caseId: 1 }], ['notifications.changed', { userIds: [3] }]]);
    expect(onC).toEqual([['cases.changed', { caseId: 1 }], ['notifications.changed', { userIds: [3] }]]);
    await a.close();
    await c.close();
  });

  it('still serves its own clients while Redis is down', async () => {
    const b = broker();
    const errors: Error[] = [];
    const a = createRedisBus(b.open, { serverId: 'a', onError: (e) => errors.push(e) });
    const heard: string[] = [];
    a.subscribe((t) => heard.push(t));
    b.setDown(true);
    a.publish('cases.changed', { caseId: 1 });
    await settle();
    expect(heard).toEqual(['cases.changed']);
    expect(errors.map((e) => e.message)).toEqual(['connection refused']);
    await a.close();
  });

  // This machine kind runs Redis beside PostgreSQL (see .ci/run); the same exchange through the real thing.
  it('works through a real Redis server', async () => {
    const url = process.env.WENMING_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const channel = `wenming:test:${process.pid}:${Date.now()}`;
    const open = () => new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false }) as unknown as RedisLike;
    const a = createRedisBus(open, { channel, serverId: 'a' });
    const c = createRedisBus(open, { channel, serverId: 'c' });
    const onC: unknown[] = [];
    c.subscribe((t, p) => onC.push([t, p]));
    const deadline = Date.now() + 5000;
    // The subscription is asynchronous: publish until the other server hears it.
    while (!onC.length && Date.now() < deadline) {
      a.publish('cases.changed', { caseId: 42 });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(onC[0]).toEqual(['cases.changed', { caseId: 42 }]);
    await a.close();
    await c.close();
  });
});
