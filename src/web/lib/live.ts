// Live updates from the server (SSE on /api/v1/events). One EventSource per tab is shared by every component
// that listens; the server only says *what kind of thing* changed, and the page refetches through the normal,
// scoped API. After a dropped connection every listener is told to refetch once, because changes may have been
// missed meanwhile.
import { useEffect, useRef } from 'react';
import { API_BASE } from '../api/client.js';

export type LiveTopic = 'cases' | 'notifications' | 'points' | 'grids' | 'orgs' | 'categories' | 'routing';

export interface LiveChange {
  topic: LiveTopic;
  /** The one case that changed, when it was one. */
  caseId?: number;
  /** Several cases (up to 50) that changed in one go. */
  caseIds?: number[];
  /** Several messages were folded into this one (ids dropped): refetch the whole view. */
  merged?: boolean;
  /** The connection came back after a break: anything may have changed. */
  reconnected?: boolean;
}

export type LiveListener = (change: LiveChange) => void;

/** The part of EventSource this module uses (tests pass a fake). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  onerror: ((ev: Event) => void) | null;
  close(): void;
}

export interface LiveOptions {
  url?: string;
  open?: (url: string) => EventSourceLike;
  /** Back-off after the server refused or the browser gave up (ms): doubles up to maxRetryMs. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** Keep the stream open this long after the last listener leaves (route changes re-subscribe at once). */
  lingerMs?: number;
}

const CLOSED = 2;

/** Framework-free connection manager: reference-counted, reconnecting. */
export class LiveConnection {
  private listeners = new Set<LiveListener>();
  private source: EventSourceLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private lingerTimer: ReturnType<typeof setTimeout> | null = null;
  private retryMs: number;
  private everReady = false;
  private readonly opts: Required<LiveOptions>;

  constructor(opts: LiveOptions = {}) {
    this.opts = {
      url: opts.url ?? `${API_BASE}/events`,
      open: opts.open ?? ((url) => new EventSource(url, { withCredentials: true }) as unknown as EventSourceLike),
      firstRetryMs: opts.firstRetryMs ?? 2_000,
      maxRetryMs: opts.maxRetryMs ?? 60_000,
      lingerMs: opts.lingerMs ?? 3_000,
    };
    this.retryMs = this.opts.firstRetryMs;
  }

  get connected() {
    return this.source !== null && this.source.readyState === 1;
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
    }
    this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && !this.lingerTimer) {
        this.lingerTimer = setTimeout(() => {
          this.lingerTimer = null;
          if (this.listeners.size === 0) this.disconnect();
        }, this.opts.lingerMs);
      }
    };
  }

  private emit(change: LiveChange) {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        /* one broken view must not silence the others */
      }
    }
  }

  private connect() {
    if (this.source || this.retryTimer || this.listeners.size === 0) return;
    let es: EventSourceLike;
    try {
      es = this.opts.open(this.opts.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.source = es;
    es.addEventListener('ready', () => {
      this.retryMs = this.opts.firstRetryMs;
      // A second 'ready' means the stream was re-established: refetch what may have been missed.
      if (this.everReady) this.emit({ topic: 'cases', reconnected: true });
      this.everReady = true;
    });
    es.addEventListener('changed', (ev: MessageEvent) => {
      let data: LiveChange;
      try {
        data = JSON.parse(String(ev.data)) as LiveChange;
      } catch {
        return;
      }
      if (data && typeof data.topic === 'string') this.emit(data);
    });
    es.onerror = () => {
      // While CONNECTING the browser retries by itself (the server sends `retry:`). CLOSED means it gave up,
      // e.g. the session ended (401): try again later with a growing pause.
      if (es.readyState === CLOSED) {
        es.close();
        if (this.source === es) this.source = null;
        this.scheduleRetry();
      }
    };
  }

  private scheduleRetry() {
    if (this.retryTimer || this.listeners.size === 0) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.opts.maxRetryMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, wait);
  }

  disconnect() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.source?.close();
    this.source = null;
  }
}

let shared: LiveConnection | null = null;

/** The tab's one connection (created on first use; not in environments without EventSource). */
export function liveConnection(): LiveConnection | null {
  if (typeof EventSource === 'undefined') return null;
  shared ??= new LiveConnection();
  return shared;
}

/**
 * Folds a burst of changes into one call after `waitMs`: a list refetches once, not once per message.
 * Returns the listener and a cancel function.
 */
export function coalesce(onChange: LiveListener, waitMs: number): [LiveListener, () => void] {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: LiveChange | null = null;
  const listener: LiveListener = (change) => {
    if (!pending) pending = change;
    else {
      const ids = new Set([...(pending.caseIds ?? []), ...(pending.caseId ? [pending.caseId] : []), ...(change.caseIds ?? []), ...(change.caseId ? [change.caseId] : [])]);
      pending = { topic: change.topic, merged: true, ...(pending.reconnected || change.reconnected ? { reconnected: true } : {}), ...(ids.size && ids.size <= 50 ? { caseIds: [...ids] } : {}) };
    }
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      const c = pending!;
      pending = null;
      onChange(c);
    }, waitMs);
  };
  return [listener, () => timer && clearTimeout(timer)];
}

/**
 * Calls `onChange` when something of these topics changes (and once after a reconnect), at most every
 * `waitMs`. Typical use: `useLive(['cases'], reload)` beside `const { reload } = useAsync(...)`.
 */
export function useLive(topics: readonly LiveTopic[], onChange: LiveListener, waitMs = 300): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  const key = [...topics].sort().join(',');
  useEffect(() => {
    const connection = liveConnection();
    if (!connection) return;
    const wanted = new Set(key.split(','));
    const [listener, cancel] = coalesce((c) => callback.current(c), waitMs);
    const unsubscribe = connection.subscribe((change) => {
      if (change.reconnected || wanted.has(change.topic)) listener(change);
    });
    return () => {
      unsubscribe();
      cancel();
    };
  }, [key, waitMs]);
}
