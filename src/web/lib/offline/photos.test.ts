import { describe, expect, it } from 'vitest';
import { MAX_EDGE, shrinkScale } from './photos.js';

describe('shrinkScale', () => {
  it('brings a camera photo down to the long-edge limit and leaves small ones', () => {
    expect(shrinkScale(4032, 3024) * 4032).toBeCloseTo(MAX_EDGE);
    expect(shrinkScale(3024, 4032) * 4032).toBeCloseTo(MAX_EDGE);
    expect(shrinkScale(1600, 1200)).toBe(1);
    expect(shrinkScale(MAX_EDGE, 10)).toBe(1);
  });
});
