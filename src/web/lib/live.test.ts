import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveConnection, coalesce, type EventSourceLike, type LiveChange } from './live.js';

class FakeSource implements EventSourceLike {
  readyState = 0;
  onerror: ((ev: Event) => void) | null = null;
  closed = false;
  private handlers = new Map<string, ((ev: MessageEvent) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (ev: MessageEvent) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  fire(type: string, data: unknown = {}) {
    if (type === 'ready') this.readyState = 1;
    for (const h of this.handlers.get(type) ?? []) h({ data: JSON.stringify(data) } as MessageEvent);
  }
  fail(closed: boolean) {
    this.readyState = closed ? 2 : 0;
    this.onerror?.({} as Event);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

describe('the live connection', () => {
  let sources: FakeSource[];
  let live: LiveConnection;
  beforeEach(() => {
    vi.useFakeTimers();
    sources = [];
    live = new LiveConnection({ url: '/api/v1/events', open: (url) => (sources.push(new FakeSource(url)), sources.at(-1)!), firstRetryMs: 1000, maxRetryMs: 4000, lingerMs: 500 });
  });
  afterEach(() => vi.useRealTimers());

  it('opens one stream for all listeners and passes on what changed', () => {
    const a: LiveChange[] = [];
    const b: LiveChange[] = [];
    live.subscribe((c) => a.push(c));
    live.subscribe((c) => b.push(c));
    expect(sources).toHaveLength(1);
    expect(sources[0].url).toBe('/api/v1/events');
    sources[0].fire('ready');
    sources[0].fire('changed', { topic: 'cases', caseId: 4 });
    expect(a).toEqual([{ topic: 'cases', caseId: 4 }]);
    expect(b).toEqual(a);
  });

  it('asks everyone to refetch after the stream comes back', () => {
    const got: LiveChange[] = [];
    live.subscribe((c) => got.push(c));
    sources[0].fire('ready');
    sources[0].fail(false); // the browser reconnects by itself
    sources[0].fire('ready');
    expect(got).toEqual([{ topic: 'cases', reconnected: true }]);
  });

  it('retries with a growing pause when the server refuses, and closes when nobody listens', () => {
    const off = live.subscribe(() => {});
    sources[0].fail(true);
    expect(sources[0].closed).toBe(true);
    vi.advanceTimersByTime(999);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(2);
    sources[1].fail(true);
    vi.advanceTimersByTime(1999);
    expect(sources).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(3);
    sources[2].fire('ready');
    off();
    vi.advanceTimersByTime(499);
    expect(sources[2].closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(sources[2].closed).toBe(true);
  });

  it('folds a burst into one call', () => {
    const got: LiveChange[] = [];
    const [listener] = coalesce((c) => got.push(c), 300);
    listener({ topic: 'cases', caseId: 1 });
    listener({ topic: 'cases', caseId: 2 });
    listener({ topic: 'cases', caseIds: [3, 1] });
    expect(got).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(got).toEqual([{ topic: 'cases', merged: true, caseIds: [1, 2, 3] }]);
    listener({ topic: 'notifications' });
    vi.advanceTimersByTime(300);
    expect(got[1]).toEqual({ topic: 'notifications' });
  });
});
