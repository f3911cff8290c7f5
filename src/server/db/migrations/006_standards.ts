// 测评体系: versions of a standard, its tree (Ⅰ 测评项目 → Ⅱ 指标 → Ⅲ 测评内容) and its numbered items.
// A published version is immutable; inspections keep the id of the version they were scored with.
import { sql, type Kysely } from 'kysely';
import { float, withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('standard_versions'))
    .addColumn('standard_code', 'text', (c) => c.notNull()) // one installation may keep several standards
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published | retired
    .addColumn('based_on_id', 'integer', (c) => c.references('standard_versions.id'))
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'integer')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('standard_versions_no').on('standard_versions').columns(['standard_code', 'version_no']).unique().execute();
  // At most one current (published) version per standard.
  await db.schema
    .createIndex('standard_versions_current')
    .on('standard_versions')
    .column('standard_code')
    .unique()
    .where(sql.ref('status'), '=', 'published')
    .execute();

  await withId(db, db.schema.createTable('standard_nodes'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('standard_versions.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('standard_nodes.id').onDelete('cascade'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('standard_nodes_code').on('standard_nodes').columns(['version_id', 'code']).unique().execute();
  await db.schema.createIndex('standard_nodes_parent').on('standard_nodes').column('parent_id').execute();

  await withId(db, db.schema.createTable('standard_items'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('standard_versions.id').onDelete('cascade'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('standard_nodes.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('methods', 'text', (c) => c.notNull()) // JSON array of field | questionnaire | document
    .addColumn('point_types', 'text', (c) => c.notNull()) // JSON array of point type codes
    .addColumn('points', float(db), (c) => c.notNull()) // copy of rule.points, for sums in SQL
    .addColumn('rule', 'text', (c) => c.notNull()) // JSON ScoringRule (core/standards/rules.ts)
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('standard_items_code').on('standard_items').columns(['version_id', 'code']).unique().execute();
  await db.schema.createIndex('standard_items_node').on('standard_items').column('node_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('standard_items').execute();
  await db.schema.dropTable('standard_nodes').execute();
  await db.schema.dropTable('standard_versions').execute();
}
