// Builds the real app on a fresh database with the fixture street, and signs users in through the real API.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createTestDb, type TestDb } from './db.js';
import { seedFixture, TEST_PASSWORD, type Fixture } from './fixture.js';

export interface TestApp {
  app: FastifyInstance;
  db: TestDb;
  fx: Fixture;
  as(username: string): Promise<Client>;
  close(): Promise<void>;
}

export interface Client {
  cookie: string;
  csrf: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function createTestApp(envOverrides: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDb(envOverrides);
  const fx = await seedFixture(db.deps);
  const app = await buildApp(db.deps, { serveWeb: false });
  await app.ready();
  const sessions = new Map<string, Client>();
  return {
    app,
    db,
    fx,
    async as(username: string) {
      const known = sessions.get(username);
      if (known) return known;
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = String(res.headers['set-cookie']).split(';')[0];
      const csrf = res.json().csrfToken as string;
      const send = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE') => (url: string, body?: unknown, headers: Record<string, string> = {}) =>
        app.inject({
          method,
          url,
          headers: { cookie, 'x-csrf-token': csrf, ...headers },
          ...(body === undefined ? {} : typeof body === 'string' || Buffer.isBuffer(body) ? { payload: body } : { payload: body as object }),
        });
      const client: Client = {
        cookie,
        csrf,
        get: (url, headers) => send('GET')(url, undefined, headers),
        post: send('POST'),
        patch: send('PATCH'),
        put: send('PUT'),
        delete: (url, headers) => send('DELETE')(url, undefined, headers),
      };
      sessions.set(username, client);
      return client;
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}
