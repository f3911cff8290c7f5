// Photos (evidence of the closed loop) and their links to the records that show them (cases, inspections, …).
import type { Kysely } from 'kysely';
import { float, withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('photos'))
    .addColumn('uploader_id', 'integer', (c) => c.references('users.id')) // null: anonymous (citizen page)
    // Org path of the uploader at upload time: staff of that subtree may read the photo.
    .addColumn('org_path', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('original_format', 'text', (c) => c.notNull()) // jpeg | png | webp, as detected from the bytes
    .addColumn('original_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('taken_at', 'text')
    .addColumn('gps_lat', float(db))
    .addColumn('gps_lng', float(db))
    // `<yyyy>/<mm>/<id>` under the upload directory; files are `<storage_key>-<variant>.<ext>`.
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('thumbs_ready', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('photos_uploader_hash').on('photos').columns(['uploader_id', 'sha256']).execute();
  await db.schema.createIndex('photos_created').on('photos').column('created_at').execute();

  await withId(db, db.schema.createTable('photo_links'))
    .addColumn('photo_id', 'integer', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    .addColumn('owner_type', 'text', (c) => c.notNull()) // case | inspection | …
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull()) // before | after | evidence
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('photo_links_unique')
    .on('photo_links')
    .columns(['owner_type', 'owner_id', 'photo_id', 'role'])
    .unique()
    .execute();
  await db.schema.createIndex('photo_links_photo').on('photo_links').column('photo_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('photo_links').execute();
  await db.schema.dropTable('photos').execute();
}
