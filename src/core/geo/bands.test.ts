import { describe, expect, it } from 'vitest';
import { LAT_BAND_SCALE, latBand, latBandsCovering } from './bands.js';
import { createRng } from '../prng.js';

const rng = createRng(7);

describe('latBand', () => {
  it.each([
    [36.8123, 36812],
    [36.812, 36812],
    [36.8129999, 36812],
    [36.813, 36813],
    [0.0004, 0],
    [-0.0004, 0],
    [-33.8688, -33868],
    [89.9999, 89999],
  ])('%f lies in band %i', (lat, band) => {
    expect(latBand(lat)).toBe(band);
    expect(Object.is(latBand(lat), -0)).toBe(false);
  });
});

describe('latBandsCovering', () => {
  it.each([
    { south: 36.8121, north: 36.8125, bands: [36812] },
    { south: 36.8128, north: 36.8132, bands: [36812, 36813] },
    { south: 36.8132, north: 36.8128, bands: [36812, 36813] },
    { south: 36.8, north: 36.8035, bands: [36800, 36801, 36802, 36803] },
    { south: -0.0015, north: 0.0015, bands: [-1, 0, 1] },
  ])('$south..$north crosses $bands', ({ south, north, bands }) => {
    expect(latBandsCovering(south, north)).toEqual(bands);
  });

  it('holds the band of every latitude in the range (sampled)', () => {
    for (let i = 0; i < 2000; i++) {
      const south = -60 + rng.next() * 120;
      const north = south + rng.next() * 0.01;
      const bands = new Set(latBandsCovering(south, north));
      for (let k = 0; k <= 20; k++) expect(bands.has(latBand(south + ((north - south) * k) / 20))).toBe(true);
    }
  });

  it('a 50 m box crosses at most two bands', () => {
    const half = 50 / 111_320;
    for (let i = 0; i < 1000; i++) {
      const lat = 30 + rng.next() * 10;
      expect(latBandsCovering(lat - half, lat + half).length).toBeLessThanOrEqual(Math.ceil((2 * half * LAT_BAND_SCALE)) + 1);
    }
  });
});
