// Deadline-job figures for `npm run bench`: one pass over N open cases (the catch-up pass that writes reminders,
// overdue marks and escalations, then the steady pass that a server runs every minute), and the fan-out of the
// events the catch-up wrote. Run alone with `node --import tsx src/server/modules/notifications/bench.ts [n]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import type { Deps } from '../../lib/context.js';
import { createLocalBus } from '../../realtime/bus.js';
import { hashPassword } from '../auth/passwords.js';
import { runDeadlinePass } from '../../jobs/deadlines.js';
import { runFanout } from './fanout.js';
import { FRESH_CASE } from '../cases/repo.js';

/** Same shape as bench/lib.ts `Figure`. */
export interface DeadlineFigure {
  issue: number;
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** A street with 10 communities (a unit user each) and N open cases whose clocks run from 3 days ago to 5 ahead. */

export async function seedBenchCases(deps: Deps, n: number, now: number) {
  const db = deps.db;
  const at = new Date(now).toISOString();
  const org = async (parentPath: string | null, parentId: number | null, kind: string, name: string) => {
    const { id } = await db
      .insertInto('orgs')
      .values({ parent_id: parentId, kind, name, short_name: null, code: null, path: 'tmp', depth: parentPath ? parentPath.split('/').length - 2 : 0, geometry: null, min_lng: null, min_lat: null, max_lng: null, max_lat: null, contact_name: null, contact_phone: null, address: null, sort: 0, active: 1, created_at: at, updated_at: at, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parentPath ?? '/'}${id}/`;
    await db.updateTable('orgs').set({ path }).where('id', '=', id).execute();
    return { id, path };
  };
  const street = await org(null, null, 'street', '基准街道');
  const hash = await hashPassword('bench-pass-1');
  const units: { id: number; path: string; grid: { id: number; path: string } }[] = [];
  for (let i = 0; i < 10; i++) {
    const community = await org(street.path, street.id, 'community', `社区${i + 1}`);
    const grid = await org(community.path, community.id, 'grid', `社区${i + 1}第1网格`);
    units.push({ ...community, grid });
    for (const [role, where] of [['unit', community], ['grid_worker', grid]] as const) {
      await db
        .insertInto('users')
        .values({ username: `${role}${i}`, display_name: `${role}${i}`, phone: null, role, org_id: where.id, password_hash: hash, active: 1, failed_logins: 0, locked_until: null, must_change_password: 0, locale: null, last_login_at: null, created_at: at, updated_at: at, version: 1 })
        .execute();
    }
  }
  for (const [role, i] of [['office', 0], ['dispatcher', 0], ['leader', 0]] as const) {
    await db
      .insertInto('users')
      .values({ username: `${role}${i}`, display_name: `${role}${i}`, phone: null, role, org_id: street.id, password_hash: hash, active: 1, failed_logins: 0, locked_until: null, must_change_password: 0, locale: null, last_login_at: null, created_at: at, updated_at: at, version: 1 })
      .execute();
  }

  // 暴露垃圾 (4 work hours), 小广告 (1 work day), 乱停放 (2 work hours), 井盖缺损 (6 hours round the clock).
  const categories = ['1101', '1201', '1401', '0101'];
  const statuses = ['dispatched', 'processing', 'processing', 'extension_requested'];
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const chunk = 400;
  for (let i = 0; i < n; i += chunk) {
    await db.transaction().execute(async (trx) => {
      const rows = [];
      for (let j = i; j < Math.min(n, i + chunk); j++) {
        const u = units[j % units.length];
        const deadline = now + Math.round((rand() * 8 - 3) * 86400_000);
        const dispatched = deadline - Math.round((2 + rand() * 46) * 3600_000);
        rows.push({
          case_no: `B${String(j).padStart(9, '0')}`,
          status: statuses[j % statuses.length],
          version: 3,
          source: 'patrol',
          source_level: null,
          source_ref: null,
          category_code: categories[j % categories.length],
          category_kind: j % categories.length === 3 ? 'component' : 'event',
          description: '基准测试用案件',
          address: null,
          lat: 36.81,
          lng: 118.05,
          point_id: null,
          grid_id: u.grid.id,
          micro_grid_id: null,
          community_id: u.id,
          street_id: street.id,
          org_path: u.grid.path,
          reporter_id: null,
          reporter_name: null,
          reporter_phone: null,
          unit_id: u.id,
          unit_path: u.path,
          routing_rule_id: null,
          routing_note: null,
          deadline: new Date(deadline).toISOString(),
          deadline_warning: null,
          dispatched_at: new Date(dispatched).toISOString(),
          ...FRESH_CASE,
          is_rebound: 0,
          rebound_of_id: null,
          rebound_unit_id: null,
          merged_into_id: null,
          idempotency_key: null,
          created_by: null,
          created_at: new Date(dispatched).toISOString(),
          updated_at: new Date(dispatched).toISOString(),
        });
      }
      const ids = await trx.insertInto('cases').values(rows).returning(['id', 'dispatched_at', 'deadline']).execute();
      // Each case's history has its dispatch: the event the job reads the clock start from.
      await trx
        .insertInto('case_events')
        .values(ids.map((r) => ({ case_id: r.id, at: r.dispatched_at!, actor_id: null, actor_name: '派遣员', actor_org: null, action: 'dispatch', from_status: 'filed', to_status: 'dispatched', note: null, data: null, deadline: r.deadline })))
        .execute();
    });
  }
}

export async function benchDeadlineJob(n = 200_000, databaseUrl?: string): Promise<DeadlineFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-deadline-bench-'));
  const url = databaseUrl ?? `sqlite:${join(dir, 'bench.db')}`;
  const config = loadConfig({ DATABASE_URL: url, WENMING_DATA_DIR: dir, WENMING_DEMO: 'false', LOG_LEVEL: 'silent' });
  const opened = await openDatabase(url);
  try {
    await migrateToLatest(opened.db);
    await seedBaseline(opened.db);
    const deps: Deps = { db: opened.db, dialect: opened.dialect, config, notify: createLocalBus().publish };
    const now = Date.now();
    const t0 = performance.now();
    await seedBenchCases(deps, n, now);
    const seedSeconds = (performance.now() - t0) / 1000;

    const catchUp = await runDeadlinePass(deps, new Date(now));
    const steady = await runDeadlinePass(deps, new Date(now));
    const minuteLater = await runDeadlinePass(deps, new Date(now + 60_000));
    const f0 = performance.now();
    const fanned = await runFanout(deps, { maxBatches: 1_000_000, now: new Date(now) });
    const fanoutSeconds = (performance.now() - f0) / 1000;

    const rss = Math.round(process.memoryUsage().rss / 1e6);
    const note = `${n.toLocaleString('en-US')} open cases on ${opened.dialect} (seeded in ${seedSeconds.toFixed(1)} s), RSS ${rss} MB`;
    return [
      { issue: 3, name: `deadline job, catch-up pass over ${n.toLocaleString('en-US')} open cases`, value: catchUp.ms, unit: 'ms', note: `${note}; ${catchUp.changed.toLocaleString('en-US')} cases changed, events ${JSON.stringify(catchUp.events)}` },
      { issue: 3, name: `deadline job, steady pass over ${n.toLocaleString('en-US')} open cases (nothing due)`, value: steady.ms, unit: 'ms', note: `scanned ${steady.scanned.toLocaleString('en-US')}` },
      { issue: 3, name: 'deadline job, the next minute\'s pass', value: minuteLater.ms, unit: 'ms', note: `${minuteLater.changed} cases changed` },
      { issue: 3, name: 'notification fan-out of the catch-up events', value: Math.round(fanned.events / fanoutSeconds), unit: 'events/s', note: `${fanned.events.toLocaleString('en-US')} events → ${fanned.notifications.toLocaleString('en-US')} inbox rows in ${fanoutSeconds.toFixed(1)} s` },
    ];
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 200_000);
  console.table(await benchDeadlineJob(Number.isInteger(n) && n > 0 ? n : 200_000, process.argv[3]));
}
