import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import exifr from 'exifr';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { multipart } from '../../../../tests/helpers/upload.js';
import { Worker } from '../../jobs/worker.js';
import { enqueueJob } from '../../jobs/worker.js';
import type { Actor } from '../../lib/context.js';
import type { Role } from '../../../core/roles.js';
import { Problem } from '../../errors.js';
import {
  CLEANUP_JOB,
  cleanupUnlinkedPhotos,
  linkPhotos,
  photosOf,
  readPhotoVariant,
  registerPhotoAccess,
  setPhotosPublic,
  storePhoto,
  unlinkPhotos,
} from './service.js';
import { photoPath } from './storage.js';
import { gif, heicHeader, jpegWithGps, pdf, plainJpeg, png, pngBomb, truncatedJpeg, webp } from './test-images.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const db = () => t.db.deps.db;
const countPhotos = async () => Number((await db().selectFrom('photos').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** A multipart body with several file fields. */
function multipartMany(files: { data: Buffer; filename: string; type?: string }[]) {
  const boundary = '----wenmingphotos' + Math.random().toString(16).slice(2);
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'image/jpeg'}\r\n\r\n`),
      f.data,
      Buffer.from('\r\n'),
    ]),
  );
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(username: string, data: Buffer, filename = 'photo.jpg', type = 'image/jpeg', query = '') {
  const c = await t.as(username);
  const m = multipart(data, filename, type);
  return c.post(`/api/v1/photos${query}`, m.body, m.headers);
}

async function uploadOk(username: string, data: Buffer, filename = 'photo.jpg') {
  const res = await upload(username, data, filename);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number; width: number; height: number; gps: { lat: number; lng: number } | null; takenAt: string | null; thumbnailsReady: boolean; urls: Record<string, string>; items: unknown[] };
}

async function actorFor(username: string): Promise<Actor> {
  const u = await db()
    .selectFrom('users')
    .innerJoin('orgs', 'orgs.id', 'users.org_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.org_id', 'orgs.name', 'orgs.kind', 'orgs.path'])
    .where('users.username', '=', username)
    .executeTakeFirstOrThrow();
  return {
    user: { id: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, orgId: u.org_id, orgName: u.name, orgKind: u.kind, orgPath: u.path, locale: null, mustChangePassword: false },
    ip: null,
    lang: 'en-US',
  };
}

const backdate = (id: number, hours: number) =>
  db().updateTable('photos').set({ created_at: new Date(Date.now() - hours * 3600_000).toISOString() }).where('id', '=', id).execute();

async function expectClean(body: Buffer) {
  const meta = await sharp(body).metadata();
  expect(meta.format).toBe('jpeg');
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(await exifr.parse(body, { gps: true, xmp: true, icc: true, iptc: true })).toBeUndefined();
  expect(await exifr.gps(body).catch(() => undefined)).toBeUndefined();
}

describe('upload', () => {
  it.each([
    ['JPEG', () => plainJpeg(64, 48), 'a.jpg', 64, 48],
    ['PNG', () => png(40, 30), 'b.png', 40, 30],
    ['transparent PNG', () => png(40, 30, true), 'c.png', 40, 30],
    ['WebP', () => webp(40, 30), 'd.webp', 40, 30],
  ])('accepts a %s and answers its size and URLs', async (_name, make, filename, width, height) => {
    const body = await uploadOk('gridA1', await make(), filename);
    expect(body).toMatchObject({ width, height, gps: null, takenAt: null, thumbnailsReady: false, purpose: 'evidence' });
    expect(body.urls).toEqual({ original: `/api/v1/photos/${body.id}/full`, large: `/api/v1/photos/${body.id}/large`, thumb: `/api/v1/photos/${body.id}/thumb` });
    expect(body.items).toHaveLength(1);
  });

  it('judges by content, not by name or declared type: a PNG named .jpg sent as text/plain is fine', async () => {
    const body = await uploadOk('gridA1', await png(20, 10), 'misnamed.jpg');
    expect(body).toMatchObject({ width: 20, height: 10 });
  });

  it('reads EXIF GPS and taken-at as hints, applies orientation, and stores the original privately', async () => {
    const original = await jpegWithGps();
    const res = await upload('gridA1', original, 'gps.jpg', 'image/jpeg', '?purpose=before');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ width: 48, height: 64, takenAt: '2024-05-01T02:30:00.000Z', purpose: 'before' });
    expect(body.gps.lat).toBeCloseTo(36.81, 5);
    expect(body.gps.lng).toBeCloseTo(118.02, 5);

    const row = await db().selectFrom('photos').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.storage_key).toBe(`${row.created_at.slice(0, 4)}/${row.created_at.slice(5, 7)}/${body.id}`);
    const dir = t.db.config.uploadDir;
    expect(readFileSync(photoPath(dir, row.storage_key, 'original', 'jpeg')).equals(original)).toBe(true);
    expect(existsSync(photoPath(dir, row.storage_key, 'full'))).toBe(true);
  });

  it('strips EXIF from every served copy, before and after thumbnails are made', async () => {
    const { id } = await uploadOk('gridA1', await jpegWithGps(), 'gps.jpg');
    const c = await t.as('gridA1');
    for (const variant of ['full', 'large', 'thumb']) {
      const res = await c.get(`/api/v1/photos/${id}/${variant}`);
      expect(res.statusCode).toBe(200);
      await expectClean(res.rawPayload);
    }
    await new Worker(t.db.deps).tick();
    for (const variant of ['full', 'large', 'thumb']) {
      const res = await c.get(`/api/v1/photos/${id}/${variant}`);
      expect(res.statusCode).toBe(200);
      await expectClean(res.rawPayload);
      expect(await sharp(res.rawPayload).metadata()).toMatchObject({ width: 48, height: 64 });
    }
  });

  it('stores several files at once, all or nothing', async () => {
    const before = await countPhotos();
    const ok = multipartMany([{ data: await plainJpeg(30, 20, '#123456'), filename: '1.jpg' }, { data: await webp(20, 30), filename: '2.webp' }]);
    const res = await (await t.as('gridA1')).post('/api/v1/photos', ok.body, ok.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((p: { width: number }) => p.width)).toEqual([30, 20]);
    expect(res.json().id).toBe(res.json().items[0].id);
    expect(await countPhotos()).toBe(before + 2);

    const bad = multipartMany([{ data: await plainJpeg(31, 20), filename: 'good.jpg' }, { data: Buffer.from('hello'), filename: 'evil.jpg' }]);
    const refused = await (await t.as('gridA1')).post('/api/v1/photos', bad.body, bad.headers);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'UNSUPPORTED_FILE', details: { file: 'evil.jpg', index: 1 } });
    expect(await countPhotos()).toBe(before + 2);
  });

  it('gives the same photo back when the same person uploads the same bytes again (a retry)', async () => {
    const bytes = await plainJpeg(33, 33, '#abcdef');
    const first = await uploadOk('gridA1', bytes);
    const again = await uploadOk('gridA1', bytes);
    expect(again.id).toBe(first.id);
    const other = await uploadOk('patrol', bytes);
    expect(other.id).not.toBe(first.id);
  });
});

describe('bad uploads never become a 500', () => {
  it.each([
    ['a text file renamed .jpg', async () => Buffer.from('This is not a photo.\n'), 'notes.jpg', 'image/jpeg', 'UNSUPPORTED_FILE', /not an image/],
    ['a GIF', gif, 'anim.gif', 'image/gif', 'UNSUPPORTED_FILE', /GIF/],
    ['a HEIC', async () => heicHeader(), 'IMG_0001.HEIC', 'image/heic', 'UNSUPPORTED_FILE', /HEIC/],
    ['a PDF', async () => pdf(), 'scan.pdf', 'application/pdf', 'UNSUPPORTED_FILE', /PDF/],
    ['a truncated JPEG', truncatedJpeg, 'cut.jpg', 'image/jpeg', 'UNSUPPORTED_FILE', /truncated/],
    ['a decompression bomb', async () => pngBomb(20000, 20000), 'bomb.png', 'image/png', 'UNSUPPORTED_FILE', /megapixels/],
    ['an empty file', async () => Buffer.alloc(0), 'empty.jpg', 'image/jpeg', 'UNSUPPORTED_FILE', /empty/],
  ])('refuses %s with 400', async (_name, make, filename, type, code, reason) => {
    const before = await countPhotos();
    const res = await upload('gridA1', await make(), filename, type);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
    expect(res.json().message).toMatch(reason);
    expect(await countPhotos()).toBe(before);
  });

  it('answers 413 over the default 10 MB limit', async () => {
    const huge = Buffer.concat([await plainJpeg(), Buffer.alloc(10 * 1024 * 1024)]);
    const res = await upload('gridA1', huge);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('FILE_TOO_LARGE');
  });

  it('answers 413 over a configured limit', async () => {
    const config = t.db.deps.config;
    const saved = config.photoMaxBytes;
    config.photoMaxBytes = 4096;
    try {
      const big = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg().toBuffer();
      expect(big.length).toBeGreaterThan(4096);
      const res = await upload('gridA1', big);
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('FILE_TOO_LARGE');
      expect((await upload('gridA1', await plainJpeg(16, 16))).statusCode).toBe(200);
      await expect(storePhoto(t.db.deps, { data: big, filename: 'x.jpg', uploaderId: null, purpose: 'evidence' })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    } finally {
      config.photoMaxBytes = saved;
    }
  });

  it.each([
    ['a JSON body', (c: Awaited<ReturnType<TestApp['as']>>) => c.post('/api/v1/photos', { file: 'x' }), 400],
    ['a multipart body without a file', (c: Awaited<ReturnType<TestApp['as']>>) => {
      const boundary = 'b0undary';
      return c.post('/api/v1/photos', `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--${boundary}--\r\n`, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    }, 400],
    ['a broken multipart body', (c: Awaited<ReturnType<TestApp['as']>>) => c.post('/api/v1/photos', '--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n\xff\xd8', { 'content-type': 'multipart/form-data; boundary=x' }), 400],
    ['a raw image body', (c: Awaited<ReturnType<TestApp['as']>>) => c.post('/api/v1/photos', Buffer.from([0xff, 0xd8, 0xff]), { 'content-type': 'image/jpeg' }), 400],
    ['an unknown purpose', async (c: Awaited<ReturnType<TestApp['as']>>) => {
      const m = multipart(await plainJpeg());
      return c.post('/api/v1/photos?purpose=selfie', m.body, m.headers);
    }, 400],
    ['the original variant', (c: Awaited<ReturnType<TestApp['as']>>) => c.get('/api/v1/photos/1/original'), 400],
    ['a non-numeric id', (c: Awaited<ReturnType<TestApp['as']>>) => c.get('/api/v1/photos/abc/thumb'), 400],
    ['id zero', (c: Awaited<ReturnType<TestApp['as']>>) => c.get('/api/v1/photos/0/thumb'), 400],
    ['a missing photo', (c: Awaited<ReturnType<TestApp['as']>>) => c.get('/api/v1/photos/999999/thumb'), 404],
  ])('answers %s with a 4xx problem', async (_name, send, status) => {
    const res = await send(await t.as('gridA1'));
    expect(res.statusCode).toBe(status);
    expect(typeof res.json().code).toBe('string');
  });

  it('refuses too many files in one request', async () => {
    const one = await plainJpeg(10, 10);
    const m = multipartMany(Array.from({ length: 10 }, (_, i) => ({ data: one, filename: `${i}.jpg` })));
    const res = await (await t.as('gridA1')).post('/api/v1/photos', m.body, m.headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/9/);
  });

  it('requires sign-in to upload and to read', async () => {
    const m = multipart(await plainJpeg());
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/photos', payload: m.body, headers: m.headers })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/photos/1/thumb' })).statusCode).toBe(401);
  });
});

describe('serving', () => {
  it('serves JPEG with nosniff and immutable caching once thumbnails exist, and no-cache for the stand-in before', async () => {
    const { id } = await uploadOk('gridA1', await plainJpeg(2000, 1500));
    const c = await t.as('gridA1');
    const early = await c.get(`/api/v1/photos/${id}/thumb`);
    expect(early.statusCode).toBe(200);
    expect(early.headers['cache-control']).toBe('private, no-cache');
    expect(await sharp(early.rawPayload).metadata()).toMatchObject({ width: 2000, height: 1500 });

    expect(await new Worker(t.db.deps).tick()).toBeGreaterThan(0);
    expect((await c.get(`/api/v1/photos/${id}`)).json().thumbnailsReady).toBe(true);
    for (const [variant, width, height] of [['thumb', 320, 240], ['large', 1280, 960], ['full', 2000, 1500]] as const) {
      const res = await c.get(`/api/v1/photos/${id}/${variant}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      expect(await sharp(res.rawPayload).metadata()).toMatchObject({ width, height });
    }
    const thumb = await readPhotoVariant(t.db.deps, id, 'thumb');
    expect(thumb && (await sharp(thumb).metadata()).width).toBe(320);
  });

  it('lets the uploader and street staff read, and hides the photo from others as 404', async () => {
    const { id } = await uploadOk('gridA1', await plainJpeg(12, 12, '#010203'));
    for (const who of ['gridA1', 'office', 'admin', 'dispatcher', 'leader']) {
      expect((await (await t.as(who)).get(`/api/v1/photos/${id}/thumb`)).statusCode, who).toBe(200);
    }
    for (const who of ['commB', 'commA', 'unit', 'patrol', 'volunteer', 'inspector']) {
      const res = await (await t.as(who)).get(`/api/v1/photos/${id}/thumb`);
      expect(res.statusCode, who).toBe(404);
      expect((await (await t.as(who)).get(`/api/v1/photos/${id}`)).statusCode, who).toBe(404);
    }
  });

  it('lets readers of a linked record in through the registered access hook', async () => {
    registerPhotoAccess('test_case', async (_deps, actor, ownerId) => actor.user.username === 'commB' && ownerId === 7);
    const { id } = await uploadOk('gridA1', await plainJpeg(13, 13, '#040506'));
    const commB = await t.as('commB');
    expect((await commB.get(`/api/v1/photos/${id}/full`)).statusCode).toBe(404);
    const gridA1 = await actorFor('gridA1');
    await db().transaction().execute((trx) => linkPhotos(trx, [id], 'test_case', 7, 'before', gridA1));
    expect((await commB.get(`/api/v1/photos/${id}/full`)).statusCode).toBe(200);
    expect((await (await t.as('commA')).get(`/api/v1/photos/${id}/full`)).statusCode).toBe(404);
    const linked = await photosOf(db(), 'test_case', [7, 8]);
    expect(linked.get(7)?.map((p) => [p.id, p.role])).toEqual([[id, 'before']]);
    expect(linked.get(8)).toBeUndefined();
  });

  it('serves public thumbnails only for photos flagged public, without sign-in', async () => {
    const { id } = await uploadOk('gridA1', await jpegWithGps());
    const url = `/api/v1/public/photos/${id}/thumb`;
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect(await setPhotosPublic(db(), [id], true)).toBe(1);
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    await expectClean(res.rawPayload);
    // Only the thumbnail is public; there is no public route to the full copy (the app answers 401 for unknown API URLs).
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/public/photos/${id}/full` })).statusCode).not.toBe(200);
    await setPhotosPublic(db(), [id], false);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });
});

describe('linkPhotos', () => {
  // The actor is looked up before the transaction: on SQLite the transaction holds the only connection.
  const link = async (ids: number[], username: string | null, ownerId = 100, role: 'before' | 'after' | 'evidence' = 'after') => {
    const actor = username ? await actorFor(username) : null;
    return db()
      .transaction()
      .execute((trx) => linkPhotos(trx, ids, 'test_case', ownerId, role, actor));
  };

  const refusedWith = async (p: Promise<unknown>) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, params: { field: 'photoIds' } });
  };

  it('links the actor’s own photos, idempotently', async () => {
    const a = await uploadOk('gridA1', await plainJpeg(14, 14, '#111111'));
    const b = await uploadOk('gridA1', await plainJpeg(15, 15, '#222222'));
    await link([a.id, b.id, a.id], 'gridA1');
    await link([a.id], 'gridA1');
    const rows = await db().selectFrom('photo_links').select(['photo_id', 'role']).where('owner_type', '=', 'test_case').where('owner_id', '=', 100).execute();
    expect(rows.map((r) => r.photo_id).sort()).toEqual([a.id, b.id].sort());
  });

  it('refuses someone else’s photo, a missing one, and the whole batch with them', async () => {
    const mine = await uploadOk('patrol', await plainJpeg(16, 16, '#333333'));
    const theirs = await uploadOk('gridA1', await plainJpeg(17, 17, '#444444'));
    await refusedWith(link([mine.id, theirs.id], 'patrol', 101));
    await refusedWith(link([987654], 'patrol', 101));
    await refusedWith(link([theirs.id], null, 101));
    const rows = await db().selectFrom('photo_links').select('id').where('owner_id', '=', 101).execute();
    expect(rows).toHaveLength(0);
  });

  it('accepts a recent anonymous photo once, then only for its linker’s records via the usual rules', async () => {
    const anon = await storePhoto(t.db.deps, { data: await plainJpeg(18, 18, '#555555'), filename: 'citizen.jpg', uploaderId: null, purpose: 'before' });
    await link([anon.id], null, 102, 'before');
    // Once attached, an anonymous photo cannot be pulled into another record by whoever knows its id.
    await refusedWith(link([anon.id], 'patrol', 103));
    await refusedWith(link([anon.id], null, 103));
  });

  it('refuses an unattached photo past the linkable window, even the actor’s own', async () => {
    const old = await uploadOk('gridA1', await plainJpeg(19, 19, '#666666'));
    await backdate(old.id, 23.5);
    await refusedWith(link([old.id], 'gridA1', 104));
  });

  it('checks its arguments', async () => {
    await refusedWith(link(Array.from({ length: 31 }, (_, i) => i + 1), 'gridA1', 105));
    await refusedWith(link([0], 'gridA1', 105));
    await expect(link([1], 'gridA1', 105, 'selfie' as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', params: { field: 'role' } });
  });

  it('lets a trusted caller copy photos it has checked, and unlinks', async () => {
    const theirs = await uploadOk('gridA1', await plainJpeg(20, 20, '#777777'));
    const office = await actorFor('office');
    await db().transaction().execute((trx) => linkPhotos(trx, [theirs.id], 'test_case', 106, 'evidence', office, { trusted: true }));
    expect((await photosOf(db(), 'test_case', [106])).get(106)).toHaveLength(1);
    await db().transaction().execute((trx) => unlinkPhotos(trx, 'test_case', 106));
    expect((await photosOf(db(), 'test_case', [106])).get(106)).toBeUndefined();
  });
});

describe('cleanup', () => {
  it('deletes unattached photos older than 24 h with their files, and keeps attached and recent ones', async () => {
    const stale = await uploadOk('gridA1', await plainJpeg(21, 21, '#888888'));
    const attached = await uploadOk('gridA1', await plainJpeg(22, 22, '#999999'));
    const recent = await uploadOk('gridA1', await plainJpeg(23, 23, '#aaaaaa'));
    const gridA1 = await actorFor('gridA1');
    await db().transaction().execute((trx) => linkPhotos(trx, [attached.id], 'test_case', 200, 'before', gridA1));
    await new Worker(t.db.deps).tick(); // thumbnails, so every variant file exists
    await backdate(stale.id, 25);
    await backdate(attached.id, 25);
    const staleRow = await db().selectFrom('photos').selectAll().where('id', '=', stale.id).executeTakeFirstOrThrow();
    const dir = t.db.config.uploadDir;
    const files = (['original', 'full', 'large', 'thumb'] as const).map((v) => photoPath(dir, staleRow.storage_key, v, staleRow.original_format));
    expect(files.every((f) => existsSync(f))).toBe(true);

    await enqueueJob(t.db.deps, CLEANUP_JOB);
    await new Worker(t.db.deps).tick();
    expect(files.some((f) => existsSync(f))).toBe(false);
    const left = await db().selectFrom('photos').select('id').where('id', 'in', [stale.id, attached.id, recent.id]).execute();
    expect(left.map((r) => r.id).sort()).toEqual([attached.id, recent.id].sort());
    expect((await (await t.as('gridA1')).get(`/api/v1/photos/${stale.id}/thumb`)).statusCode).toBe(404);
    expect(await cleanupUnlinkedPhotos(t.db.deps)).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('documents the photo routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/photos', '/api/v1/photos/{id}', '/api/v1/photos/{id}/{variant}', '/api/v1/public/photos/{id}/thumb']));
  });
});
