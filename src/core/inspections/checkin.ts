// 签到: an inspector checks in at a point with the phone's GPS. The distance to the point is shown and kept; farther
// than FAR_CHECKIN_M is flagged (the result still counts: GPS in old lanes is poor, and a flag is for review).
import { distanceToGeometryMeters, haversineMeters } from '../geo/measure.js';
import type { Geometry } from '../geo/types.js';

export const FAR_CHECKIN_M = 200;

export interface CheckinTarget {
  lat: number;
  lng: number;
  /** The point's shape (a road, a market); when given, the distance is to the shape (0 inside an area). */
  geometry?: Geometry | null;
}

export interface CheckinDistance {
  /** Whole metres. */
  distanceM: number;
  far: boolean;
}

/** Distance from the check-in location to the point, and whether it is too far. */
export function checkinDistance(target: CheckinTarget, at: { lat: number; lng: number }, farM = FAR_CHECKIN_M): CheckinDistance {
  const metres = target.geometry ? distanceToGeometryMeters(at.lng, at.lat, target.geometry) : haversineMeters([target.lng, target.lat], [at.lng, at.lat]);
  const distanceM = Math.round(metres);
  return { distanceM, far: distanceM > farM };
}
