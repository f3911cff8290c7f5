// Flow control for exports streamed to a client: produce a page, then wait until the client has taken most of it.
import type { Writable } from 'node:stream';

/** The client closed the connection: stop reading the database. */
export class ExportAborted extends Error {
  constructor() {
    super('export aborted: the client went away');
  }
}

/** Resolves on 'drain' or after `ms`, whichever comes first; rejects when the stream is destroyed. */
function drainOrTimeout(out: Writable, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      out.off('drain', done);
      out.off('close', closed);
      resolve();
    };
    const closed = () => {
      clearTimeout(timer);
      out.off('drain', done);
      reject(new ExportAborted());
    };
    const timer = setTimeout(done, ms);
    out.once('drain', done);
    out.once('close', closed);
  });
}

/**
 * Waits while `out` is over its high-water mark or the producer still holds more than `maxPending` bytes it has
 * not handed on (e.g. rows the zip has not compressed yet). Always yields to the event loop once, so compression
 * and socket writes get their turn between two pages even when the database answers synchronously (SQLite).
 */
export async function pace(out: Writable, pending: () => number = () => 0, maxPending = 4 * 1024 * 1024): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  for (;;) {
    if (out.destroyed) throw new ExportAborted();
    if (!out.writableNeedDrain && pending() <= maxPending) return;
    await drainOrTimeout(out, 20);
  }
}

/** Writes a chunk, waiting for 'drain' when the stream asks for it. */
export async function writeChunk(out: Writable, chunk: string | Buffer): Promise<void> {
  if (out.destroyed) throw new ExportAborted();
  if (!out.write(chunk)) await pace(out);
}
