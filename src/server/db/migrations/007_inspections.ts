// 测评/督查: inspection plans (points, inspectors, events), results per plan point with their scored items, and the
// case category a failed standard item files under.
import type { Kysely } from 'kysely';
import { float, withId } from './helpers.js';
import { categoryForItemText } from '../../../core/inspections/categories.js';

export async function up(db: Kysely<any>): Promise<void> {
  // The 小类 a failed item files under (null: the default inspection category).
  await db.schema.alterTable('standard_items').addColumn('category_code', 'text').execute();
  // Installations seeded before this migration: the seed items get their category from the keyword table.
  const items = await db.selectFrom('standard_items').select(['id', 'text', 'methods']).execute();
  for (const it of items as { id: number; text: string; methods: string }[]) {
    const code = it.methods.includes('"field"') ? categoryForItemText(it.text) : null;
    if (code) await db.updateTable('standard_items').set({ category_code: code }).where('id', '=', it.id).execute();
  }

  await withId(db, db.schema.createTable('inspection_plans'))
    .addColumn('plan_no', 'text', (c) => c.notNull()) // JC-2026-0001
    .addColumn('street_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('org_path', 'text', (c) => c.notNull()) // the street's path: scope
    .addColumn('kind', 'text', (c) => c.notNull()) // mock | supervision | citizen_patrol | revisit
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | active | closed
    .addColumn('standard_version_id', 'integer', (c) => c.notNull().references('standard_versions.id'))
    .addColumn('starts_on', 'text', (c) => c.notNull()) // YYYY-MM-DD (Beijing)
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('sampling', 'text') // JSON: the last sample's spec and report (seed, total, shares…)
    .addColumn('based_on_plan_id', 'integer', (c) => c.references('inspection_plans.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('activated_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('inspection_plans_no').on('inspection_plans').column('plan_no').unique().execute();
  await db.schema.createIndex('inspection_plans_scope').on('inspection_plans').columns(['org_path', 'starts_on']).execute();
  await db.schema.createIndex('inspection_plans_street_kind').on('inspection_plans').columns(['street_id', 'kind', 'status']).execute();
  await db.schema.createIndex('inspection_plans_based_on').on('inspection_plans').column('based_on_plan_id').execute();

  await withId(db, db.schema.createTable('inspection_plan_inspectors'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('inspection_plans.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inspection_plan_inspectors_unique').on('inspection_plan_inspectors').columns(['plan_id', 'user_id']).unique().execute();
  await db.schema.createIndex('inspection_plan_inspectors_user').on('inspection_plan_inspectors').column('user_id').execute();

  await withId(db, db.schema.createTable('inspection_plan_points'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('inspection_plans.id').onDelete('cascade'))
    .addColumn('point_id', 'integer', (c) => c.notNull().references('points.id'))
    .addColumn('seq', 'integer', (c) => c.notNull()) // walking order, 1-based
    .addColumn('inspector_id', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('inspection_plan_points_unique').on('inspection_plan_points').columns(['plan_id', 'point_id']).unique().execute();
  await db.schema.createIndex('inspection_plan_points_seq').on('inspection_plan_points').columns(['plan_id', 'seq']).execute();
  await db.schema.createIndex('inspection_plan_points_inspector').on('inspection_plan_points').columns(['inspector_id', 'plan_id']).execute();
  await db.schema.createIndex('inspection_plan_points_point').on('inspection_plan_points').column('point_id').execute();

  await withId(db, db.schema.createTable('inspection_results'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('inspection_plans.id'))
    .addColumn('point_id', 'integer', (c) => c.notNull().references('points.id'))
    .addColumn('inspector_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('checkin_lat', float(db))
    .addColumn('checkin_lng', float(db))
    .addColumn('checkin_at', 'text')
    .addColumn('checkin_distance_m', 'integer')
    .addColumn('checkin_far', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('inspected_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('standard_version_id', 'integer', (c) => c.notNull().references('standard_versions.id'))
    .addColumn('earned', float(db), (c) => c.notNull())
    .addColumn('possible', float(db), (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('inspection_results_key').on('inspection_results').column('idempotency_key').unique().execute();
  await db.schema.createIndex('inspection_results_plan_point').on('inspection_results').columns(['plan_id', 'point_id']).unique().execute();
  await db.schema.createIndex('inspection_results_inspector').on('inspection_results').columns(['inspector_id', 'inspected_at']).execute();

  await withId(db, db.schema.createTable('inspection_result_items'))
    .addColumn('result_id', 'integer', (c) => c.notNull().references('inspection_results.id').onDelete('cascade'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('standard_items.id'))
    .addColumn('item_code', 'text', (c) => c.notNull())
    .addColumn('observation', 'text', (c) => c.notNull()) // JSON Observation (core/standards/rules.ts)
    .addColumn('earned', float(db), (c) => c.notNull())
    .addColumn('possible', float(db), (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0)) // a problem was found (deducted)
    .addColumn('fixed_on_spot', 'integer', (c) => c.notNull().defaultTo(0)) // how many of the failures
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('inspection_result_items_result').on('inspection_result_items').columns(['result_id', 'item_code']).unique().execute();
  await db.schema.createIndex('inspection_result_items_case').on('inspection_result_items').column('case_id').execute();
  await db.schema.createIndex('inspection_result_items_failed').on('inspection_result_items').columns(['failed', 'result_id']).execute();

  await withId(db, db.schema.createTable('inspection_plan_events'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('inspection_plans.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull()) // create | update | sample | points | assign | activate | close | reopen | result | revisit
    .addColumn('data', 'text') // JSON
    .execute();
  await db.schema.createIndex('inspection_plan_events_plan').on('inspection_plan_events').columns(['plan_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inspection_plan_events').execute();
  await db.schema.dropTable('inspection_result_items').execute();
  await db.schema.dropTable('inspection_results').execute();
  await db.schema.dropTable('inspection_plan_points').execute();
  await db.schema.dropTable('inspection_plan_inspectors').execute();
  await db.schema.dropTable('inspection_plans').execute();
  await db.schema.alterTable('standard_items').dropColumn('category_code').execute();
}
