// Issue 4 figures: scoring an inspection of 500 points × 30 items (stored results → getPlanScores), and the sync of
// 300 queued results with 600 photos after reconnecting (photos uploaded, then results in batches of 50) against a
// real server on loopback, then the replay of the whole batch (duplicates created must be 0).
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import sharp from 'sharp';
import { openDatabase } from '../../src/server/db/database.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { loadConfig } from '../../src/server/config.js';
import { seedBaseline } from '../../src/server/db/seed/baseline.js';
import { loadDemoStreet } from '../../src/server/db/seed/demo-load.js';
import { generateDemoStreet } from '../../src/server/db/seed/demo-street.js';
import { createRng } from '../../src/core/prng.js';
import { getPlanScores, listPlanProblems } from '../../src/server/modules/inspections/service.js';
import type { Actor, Deps } from '../../src/server/lib/context.js';
import type { ScoringRule } from '../../src/core/standards/index.js';
import { login, startServerProcess, tempDir, type Figure } from '../lib.js';

const POINTS = 500;
const ITEMS = 30;
const RESULTS = 300;
const PHOTOS_PER_RESULT = 2;
const BATCH = 50;
/** Photos as a phone app sends them after resizing: 1280×960 JPEG. */
const PHOTO_W = 1280;
const PHOTO_H = 960;
const UPLOAD_CONCURRENCY = 3;

// ---- (a) scoring -----------------------------------------------------------------------------------------------------

async function scoring(): Promise<Figure[]> {
  const dir = tempDir('wenming-bench-insp-');
  const url = `sqlite:${join(dir, 'bench.db')}`;
  const config = loadConfig({ DATABASE_URL: url, WENMING_DATA_DIR: dir, WENMING_DEMO: 'false', LOG_LEVEL: 'silent' });
  const opened = await openDatabase(url, { poolSize: 2 });
  try {
    await migrateToLatest(opened.db);
    await seedBaseline(opened.db);
    await loadDemoStreet({ db: opened.db, dialect: opened.dialect, config, notify: () => {} }, generateDemoStreet(), { withoutCases: true });
    const deps: Deps = { db: opened.db, dialect: opened.dialect, config, notify: () => {} };
    const db = opened.db;
    const street = await db.selectFrom('orgs').select(['id', 'path']).where('kind', '=', 'street').executeTakeFirstOrThrow();
    const version = await db.selectFrom('standard_versions').select('id').where('status', '=', 'published').executeTakeFirstOrThrow();
    const items = (await db.selectFrom('standard_items').select(['id', 'code', 'rule']).where('version_id', '=', version.id).orderBy('id').execute()).slice(0, ITEMS);
    const office = await db
      .selectFrom('users as u')
      .innerJoin('orgs as o', 'o.id', 'u.org_id')
      .select(['u.id', 'u.username', 'u.display_name', 'u.org_id', 'o.name', 'o.kind', 'o.path'])
      .where('u.username', '=', 'office')
      .executeTakeFirstOrThrow();
    // The demo street has ~400 points: more are copied beside them so the plan has 500 distinct points.
    const existing = await db.selectFrom('points').selectAll().orderBy('id').execute();
    const copies = existing.slice(0, Math.max(0, POINTS - existing.length)).map(({ id: _id, ...p }, i) => ({ ...p, name: `${p.name}（基准${i + 1}）` }));
    for (let i = 0; i < copies.length; i += 100) await db.insertInto('points').values(copies.slice(i, i + 100)).execute();
    const pointIds = (await db.selectFrom('points').select('id').orderBy('id').execute()).slice(0, POINTS).map((p) => p.id);
    const now = new Date().toISOString();
    const { id: planId } = await db
      .insertInto('inspection_plans')
      .values({ plan_no: 'JC-2099-0001', street_id: street.id, org_path: street.path, kind: 'mock', title: '基准测评', status: 'closed', standard_version_id: version.id, starts_on: '2099-01-01', ends_on: '2099-01-02', note: null, sampling: null, based_on_plan_id: null, created_by: office.id, activated_at: now, closed_at: now, created_at: now, updated_at: now, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('inspection_plan_inspectors').values({ plan_id: planId, user_id: office.id, sort: 10, created_at: now }).execute();
    for (let i = 0; i < pointIds.length; i += 200) {
      await db.insertInto('inspection_plan_points').values(pointIds.slice(i, i + 200).map((point_id, k) => ({ plan_id: planId, point_id, seq: i + k + 1, inspector_id: office.id }))).execute();
    }
    const rng = createRng(404);
    await db.transaction().execute(async (trx) => {
      for (const [n, pointId] of pointIds.entries()) {
        const scored = items.map((it) => {
          const rule = JSON.parse(it.rule) as ScoringRule;
          const fail = rng.chance(0.12);
          const earned = fail ? Math.max(0, rule.points - (rule.kind === 'pass_fail' ? rule.points : rule.step * rng.int(1, 3))) : rule.points;
          return { it, rule, earned, possible: rule.points, failed: fail };
        });
        const { id: resultId } = await trx
          .insertInto('inspection_results')
          .values({
            plan_id: planId,
            point_id: pointId,
            inspector_id: office.id,
            idempotency_key: `bench-score-${n}`,
            checkin_lat: null,
            checkin_lng: null,
            checkin_at: null,
            checkin_distance_m: null,
            checkin_far: 0,
            inspected_at: now,
            received_at: now,
            standard_version_id: version.id,
            earned: scored.reduce((s, x) => s + x.earned, 0),
            possible: scored.reduce((s, x) => s + x.possible, 0),
            note: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('inspection_result_items')
          .values(
            scored.map((x) => ({
              result_id: resultId,
              item_id: x.it.id,
              item_code: x.it.code,
              observation: JSON.stringify(x.rule.kind === 'pass_fail' ? { passed: !x.failed } : x.rule.kind === 'per_missing' ? { count: x.failed ? 0 : x.rule.required } : { occurrences: x.failed ? 1 : 0 }),
              earned: x.earned,
              possible: x.possible,
              failed: x.failed ? 1 : 0,
              fixed_on_spot: 0,
              case_id: null,
              note: null,
            })),
          )
          .execute();
      }
    });
    const actor: Actor = {
      user: { id: office.id, username: office.username, displayName: office.display_name, role: 'office', orgId: office.org_id, orgName: office.name, orgKind: office.kind, orgPath: office.path, locale: null, mustChangePassword: false },
      ip: null,
      lang: 'zh-CN',
    };
    const runs: number[] = [];
    let check = 0;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const s = await getPlanScores(deps, actor, planId);
      runs.push(performance.now() - t0);
      check = s.byPoint.length;
    }
    const cold = runs[0]!;
    const median = [...runs.slice(1)].sort((a, b) => a - b)[3]!;
    const t1 = performance.now();
    const problems = await listPlanProblems(deps, actor, planId);
    const problemsMs = performance.now() - t1;
    return [
      { issue: 4, name: `scores of an inspection of ${POINTS} points × ${ITEMS} items (getPlanScores), first call`, value: Math.round(cold), unit: 'ms', target: { op: '<=', value: 1_000 }, note: `${check} points ranked; median of later calls ${Math.round(median)} ms` },
      { issue: 4, name: `problem list of that inspection (${problems.items.length} failed items)`, value: Math.round(problemsMs), unit: 'ms' },
    ];
  } finally {
    await opened.close();
  }
}

// ---- (b) sync --------------------------------------------------------------------------------------------------------

interface KitJson {
  points: { id: number; typeCode: string; lat: number; lng: number }[];
  checklists: Record<string, { code: string; rule: ScoringRule }[]>;
}

async function api(base: string, auth: { cookie: string; csrf: string }, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { cookie: auth.cookie, 'x-csrf-token': auth.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function makePhotos(n: number): Promise<Buffer[]> {
  // A textured base (so JPEG has real work), with a distinct block per photo so every photo has its own bytes.
  const raw = Buffer.alloc(PHOTO_W * PHOTO_H * 3);
  const rng = createRng(12);
  for (let i = 0; i < raw.length; i++) raw[i] = ((i % (PHOTO_W * 3)) / 12 + rng.int(0, 40)) & 0xff;
  const out: Buffer[] = [];
  for (let k = 0; k < n; k++) {
    const copy = Buffer.from(raw);
    for (let y = 0; y < 24; y++) for (let x = 0; x < 24; x++) copy.fill(k % 251, ((y + (k % 40) * 20) * PHOTO_W + x + Math.floor(k / 40) * 30) * 3, ((y + (k % 40) * 20) * PHOTO_W + x + Math.floor(k / 40) * 30) * 3 + 3);
    out.push(await sharp(copy, { raw: { width: PHOTO_W, height: PHOTO_H, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
  }
  return out;
}

async function upload(base: string, auth: { cookie: string; csrf: string }, data: Buffer, name: string): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type: 'image/jpeg' }), name);
  const res = await fetch(`${base}/api/v1/photos?purpose=inspection`, { method: 'POST', headers: { cookie: auth.cookie, 'x-csrf-token': auth.csrf }, body: form });
  if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

function passing(rule: ScoringRule): Record<string, unknown> {
  if (rule.kind === 'pass_fail') return { passed: true };
  if (rule.kind === 'per_missing') return { count: rule.required };
  return { occurrences: 0 };
}

function failing(rule: ScoringRule): Record<string, unknown> {
  if (rule.kind === 'pass_fail') return { passed: false };
  if (rule.kind === 'per_missing') return { count: 0 };
  return { occurrences: 2 };
}

async function sync(): Promise<Figure[]> {
  const server = await startServerProcess();
  try {
    const office = await login(server.base, 'office');
    const inspector = await login(server.base, 'inspector');
    const inspectorId: number = (await api(server.base, inspector, 'GET', '/me')).user.id;
    const today = new Date().toISOString().slice(0, 10);
    // Two plans of 150 points each (the demo street has ~200 points of types with a field checklist).
    const plans: number[] = [];
    for (const seed of ['bench-a', 'bench-b']) {
      const plan = await api(server.base, office, 'POST', '/inspections/plans', { title: `基准同步 ${seed}`, kind: 'supervision', startsOn: today, endsOn: today, inspectorIds: [inspectorId] });
      const sampled = await api(server.base, office, 'POST', `/inspections/plans/${plan.id}/sample`, { version: plan.version, seed, total: RESULTS / 2 });
      await api(server.base, office, 'POST', `/inspections/plans/${plan.id}/transitions`, { version: sampled.version, action: 'activate' });
      plans.push(plan.id);
    }
    // The phone's queue, built offline: two failed items a result, each with its own photo.
    const kits = await Promise.all(plans.map((id) => api(server.base, inspector, 'GET', `/inspections/plans/${id}/kit`) as Promise<KitJson>));
    const queue: { planId: number; point: KitJson['points'][number]; items: Record<string, unknown>[]; photoSlots: number[] }[] = [];
    for (const [k, kit] of kits.entries()) {
      for (const point of kit.points) {
        const checklist = kit.checklists[point.typeCode]!;
        // Two photos per result, on two failed items (both on the one item of a one-item checklist).
        const photoSlots = [0, Math.min(checklist.length - 1, 1 + (point.id % Math.max(1, checklist.length - 1)))].slice(0, PHOTOS_PER_RESULT);
        const items = checklist.map((it, i) => ({ code: it.code, ...(photoSlots.includes(i) ? failing(it.rule) : passing(it.rule)) }));
        queue.push({ planId: plans[k]!, point, items, photoSlots });
      }
    }
    const photos = await makePhotos(queue.reduce((n, q) => n + q.photoSlots.length, 0));
    const photoMb = photos.reduce((n, p) => n + p.length, 0) / 1024 / 1024;

    const t0 = performance.now();
    // 1. Photos (a few at a time, as a phone would), then 2. results in batches of 50.
    const photoIds: number[] = new Array(photos.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
        for (;;) {
          const i = next++;
          if (i >= photos.length) return;
          photoIds[i] = await upload(server.base, inspector, photos[i]!, `queued-${i}.jpg`);
        }
      }),
    );
    const tPhotos = performance.now();
    let slot = 0;
    const results = queue.map((q) => ({
      idempotencyKey: randomUUID(),
      planId: q.planId,
      pointId: q.point.id,
      checkin: { lat: q.point.lat, lng: q.point.lng, at: new Date().toISOString() },
      inspectedAt: new Date().toISOString(),
      items: q.items.map((it, i) => {
        const mine = q.photoSlots.filter((x) => x === i).map(() => photoIds[slot++]!);
        return mine.length ? { ...it, photoIds: mine } : it;
      }),
    }));
    const statuses = new Map<string, number>();
    for (let i = 0; i < results.length; i += BATCH) {
      const { outcomes } = await api(server.base, inspector, 'POST', '/inspections/sync', { results: results.slice(i, i + BATCH) });
      for (const o of outcomes as { status: string; code?: string }[]) statuses.set(o.code ?? o.status, (statuses.get(o.code ?? o.status) ?? 0) + 1);
    }
    const elapsed = performance.now() - t0;

    // Replay everything: the photos again (same bytes → same ids) and every batch.
    const dbFile = join(server.dataDir, 'wenming.db');
    const countRows = () => {
      const db = new SQLite(dbFile, { readonly: true });
      try {
        const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
        return { results: n('SELECT count(*) AS n FROM inspection_results'), cases: n("SELECT count(*) AS n FROM cases WHERE source = 'inspection'"), photos: n('SELECT count(*) AS n FROM photos') };
      } finally {
        db.close();
      }
    };
    const before = countRows();
    const t1 = performance.now();
    const replayIds: number[] = [];
    for (let i = 0; i < photos.length; i++) replayIds.push(await upload(server.base, inspector, photos[i]!, `queued-${i}.jpg`));
    const replayStatuses = new Map<string, number>();
    for (let i = 0; i < results.length; i += BATCH) {
      const { outcomes } = await api(server.base, inspector, 'POST', '/inspections/sync', { results: results.slice(i, i + BATCH) });
      for (const o of outcomes as { status: string; code?: string }[]) replayStatuses.set(o.code ?? o.status, (replayStatuses.get(o.code ?? o.status) ?? 0) + 1);
    }
    const replayMs = performance.now() - t1;
    const after = countRows();
    const duplicates = after.results - before.results + (after.cases - before.cases) + (after.photos - before.photos);
    const samePhotos = replayIds.every((id, i) => id === photoIds[i]);
    const fmt = (m: Map<string, number>) => [...m.entries()].map(([k, v]) => `${v} ${k}`).join(', ');
    return [
      {
        issue: 4,
        name: `sync of ${results.length} queued results with ${photos.length} photos after reconnecting (loopback)`,
        value: Math.round(elapsed / 100) / 10,
        unit: 's',
        target: { op: '<=', value: 60 },
        note: `photos ${Math.round((tPhotos - t0) / 100) / 10} s (${photoMb.toFixed(0)} MB, ${PHOTO_W}×${PHOTO_H}, ${UPLOAD_CONCURRENCY} at a time), results ${Math.round((elapsed - (tPhotos - t0)) / 100) / 10} s in batches of ${BATCH}; ${fmt(statuses)}; ${before.cases} inspection cases filed`,
      },
      {
        issue: 4,
        name: 'duplicates created by replaying the whole batch (results + cases + photos)',
        value: duplicates,
        unit: 'rows',
        target: { op: '<=', value: 0 },
        note: `replay took ${Math.round(replayMs / 100) / 10} s: ${fmt(replayStatuses)}; re-uploaded photos ${samePhotos ? 'got the same ids' : 'got NEW ids'}`,
      },
    ];
  } finally {
    await server.stop();
  }
}

export async function inspections(): Promise<Figure[]> {
  return [...(await scoring()), ...(await sync())];
}
