// The yardstick for intake: the same machine's bare Fastify + better-sqlite3 single-row insert, no validation,
// no auth, no logic. Intake's figure is printed beside it and as a ratio.
import Fastify from 'fastify';
import SQLite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'wenming-bare-'));
const db = new SQLite(join(dir, 'bare.db'));
process.once('SIGTERM', () => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO items (body, created_at) VALUES (?, ?)');
const app = Fastify();
app.post('/insert', async (req) => {
  const info = insert.run(JSON.stringify(req.body), new Date().toISOString());
  return { id: Number(info.lastInsertRowid) };
});
app.get('/healthz', async () => ({ ok: true }));
const port = Number(process.env.PORT ?? 0);
await app.listen({ port, host: '127.0.0.1' });
