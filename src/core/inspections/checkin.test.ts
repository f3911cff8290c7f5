import { describe, expect, it } from 'vitest';
import { FAR_CHECKIN_M, checkinDistance } from './checkin.js';

const P = { lat: 36.81, lng: 118.05 };
const north = (m: number) => ({ lat: P.lat + m / 111_195, lng: P.lng });
const square = { type: 'Polygon' as const, coordinates: [[[118.05, 36.81], [118.052, 36.81], [118.052, 36.812], [118.05, 36.812], [118.05, 36.81]]] };

describe('checkinDistance', () => {
  it.each<[string, Parameters<typeof checkinDistance>[0], { lat: number; lng: number }, number, boolean]>([
    ['on the spot', P, P, 0, false],
    ['50 m away', P, north(50), 50, false],
    ['exactly the limit is not far', P, north(FAR_CHECKIN_M), FAR_CHECKIN_M, false],
    ['just past the limit is far', P, north(FAR_CHECKIN_M + 2), FAR_CHECKIN_M + 2, true],
    ['1 km away', P, north(1000), 1000, true],
    ['inside an area is 0', { ...P, geometry: square }, { lat: 36.811, lng: 118.051 }, 0, false],
    ['south of an area, to its edge', { ...P, geometry: square }, { lat: 36.81 - 300 / 111_195, lng: 118.051 }, 300, true],
  ])('%s', (_name, target, gps, metres, far) => {
    const r = checkinDistance(target, gps);
    expect(Math.abs(r.distanceM - metres)).toBeLessThanOrEqual(1);
    expect(r.far).toBe(far);
  });
});
