// Neighbour searches that stay fast as the history grows. Intake's 查重/反弹 search used (category, lat, lng): a
// seek on a strip of latitude as wide as the street, then a table read for every case of the category in it. The
// new index puts the latitude band (≈111 m) before longitude, so a search visits one or two bands and, in each,
// only the longitudes of its box (core/geo/bands.ts); latitude, status and closing time ride in the index, so a
// hot spot's years of closed cases are passed over without reading their rows. 反弹点 are looked up by point
// first: that had no index at all.
import { sql, type Kysely } from 'kysely';
import { LAT_BAND_SQL } from '../../../core/geo/bands.js';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX cases_near ON cases (category_code, (${sql.raw(LAT_BAND_SQL)}), lng, lat, status, closed_at)`.execute(db);
  await db.schema.dropIndex('cases_nearby').execute();
  await db.schema.createIndex('rebound_spots_point').on('rebound_spots').columns(['category_code', 'point_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('rebound_spots_point').execute();
  await db.schema.createIndex('cases_nearby').on('cases').columns(['category_code', 'lat', 'lng']).execute();
  await db.schema.dropIndex('cases_near').execute();
}
