// Latitude bands for neighbour searches (查重 duplicates, 反弹 rebounds). An index on (category, band, lng) lets a
// search visit only the few bands its box crosses and, inside each, only the longitudes of the box, instead of
// every case of the category in a strip of latitude as wide as the whole street (which grows with the history).
// The database computes the band with the same expression, `trunc(lat * 1000)`, on SQLite and PostgreSQL alike.

/** Bands per degree of latitude: a band is 0.001° ≈ 111 m high. */
export const LAT_BAND_SCALE = 1000;

/** The SQL both engines index and search by; keep it in step with `latBand`. */
export const LAT_BAND_SQL = `trunc(lat * ${LAT_BAND_SCALE})`;

/** The band of a latitude, as the database computes it (truncation toward zero, never -0). */
export function latBand(lat: number): number {
  return Math.trunc(lat * LAT_BAND_SCALE) + 0;
}

/**
 * The bands a latitude range [south, north] crosses, in order. Truncation never decreases as latitude grows, so
 * every latitude in the range falls in a band between those of its ends.
 */
export function latBandsCovering(south: number, north: number): number[] {
  const lo = latBand(Math.min(south, north));
  const hi = latBand(Math.max(south, north));
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}
