// The reports the intake figures send: office entries dispatched at once, at the demo street's points (jittered by
// about a metre), cycling through eight categories. The same seed gives the same reports.
import { generateDemoStreet } from '../src/server/db/seed/demo-street.js';
import { createRng } from '../src/core/prng.js';

const CATEGORIES = ['1401', '1402', '1101', '1103', '1201', '1404', '1109', '1407'];

/** A source of request bodies for POST /api/v1/cases; `tag` keeps the descriptions of different runs apart. */
export function intakeReports(seed: number, tag = ''): () => string {
  const spots = generateDemoStreet().points.map((p) => p.location);
  const rng = createRng(seed);
  let n = 0;
  return () => {
    const [lng, lat] = spots[Math.floor(rng.next() * spots.length)];
    n++;
    return JSON.stringify({
      source: 'office',
      dispatch: true,
      categoryCode: CATEGORIES[n % CATEGORIES.length],
      lat: lat + (rng.next() - 0.5) * 1e-5,
      lng: lng + (rng.next() - 0.5) * 1e-5,
      description: `基准测试问题 ${tag}${n}：人行道上车辆乱停放`,
      address: '华光路',
    });
  };
}
