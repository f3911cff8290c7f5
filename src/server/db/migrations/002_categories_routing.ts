// Problem categories (事件/部件 大类 and 小类) and the 责任清单 routing rules.
import { sql, type Kysely } from 'kysely';
import { float, withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('categories'))
    .addColumn('kind', 'text', (c) => c.notNull()) // event | component
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('parent_id', 'integer', (c) => c.references('categories.id'))
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('filing_condition', 'text', (c) => c.notNull().defaultTo('')) // 立案条件
    .addColumn('closing_condition', 'text', (c) => c.notNull().defaultTo('')) // 结案条件
    .addColumn('limit_unit', 'text') // work_hours | work_days | clock_hours; null on a 大类 without a default
    .addColumn('limit_value', float(db))
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('default_unit_type', 'text')
    .addColumn('citizen_reportable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('categories_parent').on('categories').columns(['parent_id', 'sort']).execute();
  await db.schema.createIndex('categories_kind').on('categories').columns(['kind', 'code']).execute();

  await withId(db, db.schema.createTable('routing_rules'))
    .addColumn('category_id', 'integer', (c) => c.references('categories.id')) // null: any category
    .addColumn('scope_type', 'text', (c) => c.notNull()) // point | point_type | grid | community | street
    .addColumn('point_id', 'integer', (c) => c.references('points.id'))
    .addColumn('point_type_code', 'text', (c) => c.references('point_types.code'))
    .addColumn('scope_org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('unit_org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    // One active rule per category × scope × target (core/routing.ts routingRuleKey).
    .addColumn('rule_key', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('routing_rules_active_key')
    .on('routing_rules')
    .column('rule_key')
    .unique()
    .where(sql.ref('active'), '=', 1)
    .execute();
  await db.schema.createIndex('routing_rules_point').on('routing_rules').column('point_id').execute();
  await db.schema.createIndex('routing_rules_org').on('routing_rules').column('scope_org_id').execute();
  await db.schema.createIndex('routing_rules_unit').on('routing_rules').column('unit_org_id').execute();
  await db.schema.createIndex('routing_rules_category').on('routing_rules').column('category_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('routing_rules').execute();
  await db.schema.dropTable('categories').execute();
}
