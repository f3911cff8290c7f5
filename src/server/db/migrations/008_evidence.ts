// 材料审核 (document review): per 测评标准 (by item code, so evidence survives a new version of the standard), per
// org (the street or a community) and per assessment period, one submission with its files, its verdict and its
// history of events.
import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('evidence_submissions'))
    .addColumn('standard_code', 'text', (c) => c.notNull())
    .addColumn('item_code', 'text', (c) => c.notNull()) // 测评标准 code, e.g. 4.2.1-1
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('org_path', 'text', (c) => c.notNull()) // copy of the org's path, for scope filters
    .addColumn('period', 'text', (c) => c.notNull()) // "2026" or a free label
    .addColumn('status', 'text', (c) => c.notNull()) // none | pending | meets | fails
    .addColumn('file_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('review_comment', 'text')
    .addColumn('reviewed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('submitted_at', 'text') // last upload
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('evidence_submissions_key')
    .on('evidence_submissions')
    .columns(['standard_code', 'org_id', 'period', 'item_code'])
    .unique()
    .execute();
  await db.schema.createIndex('evidence_submissions_path').on('evidence_submissions').columns(['org_path', 'period']).execute();

  await withId(db, db.schema.createTable('evidence_files'))
    .addColumn('submission_id', 'integer', (c) => c.notNull().references('evidence_submissions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // pdf | jpeg | png | webp | docx | xlsx, from the bytes
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull()) // size of the upload
    .addColumn('served_bytes', 'integer', (c) => c.notNull()) // size of the copy served (images: EXIF-stripped)
    .addColumn('sha256', 'text', (c) => c.notNull()) // of the upload
    // `evidence/<yyyy>/<mm>/<random>` under the upload directory; see modules/evidence/storage.ts
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_files_submission').on('evidence_files').column('submission_id').execute();

  await withId(db, db.schema.createTable('evidence_events'))
    .addColumn('submission_id', 'integer', (c) => c.notNull().references('evidence_submissions.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull()) // upload | remove_file | review
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('comment', 'text')
    .addColumn('detail', 'text') // JSON: files added or removed, verdict
    .execute();
  await db.schema.createIndex('evidence_events_submission').on('evidence_events').columns(['submission_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence_events').execute();
  await db.schema.dropTable('evidence_files').execute();
  await db.schema.dropTable('evidence_submissions').execute();
}
