import { METRES_PER_DEGREE } from '../../../core/geo/index.js';

/** A lat/lng box around a location, big enough to hold a circle of `radiusM` (the caller checks true distance). */
export function boxAround(lng: number, lat: number, radiusM: number): [number, number, number, number] {
  const dLat = radiusM / METRES_PER_DEGREE;
  const dLng = radiusM / (METRES_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return [lng - dLng, lat - dLat, lng + dLng, lat + dLat];
}
