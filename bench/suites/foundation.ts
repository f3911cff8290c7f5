// Issue 2 figures: start-up time, point-in-grid lookups, an authenticated page of points under load.
import { GridIndex, type GridRegion } from '../../src/core/geo/index.js';
import { generateDemoStreet } from '../../src/server/db/seed/demo-street.js';
import { createRng } from '../../src/core/prng.js';
import { geometryBbox } from '../../src/core/geo/measure.js';
import { load, login, peakRss, startServerProcess, type Figure } from '../lib.js';

export async function foundation(): Promise<Figure[]> {
  const figures: Figure[] = [];

  const first = await startServerProcess();
  await first.stop();
  figures.push({ issue: 2, name: 'first start to ready (empty data folder, demo loaded)', value: Math.round(first.readyMs), unit: 'ms', target: { op: '<=', value: 10_000 } });
  const again = await startServerProcess({}, first.dataDir);
  await again.stop();
  figures.push({ issue: 2, name: 'later start to ready', value: Math.round(again.readyMs), unit: 'ms', target: { op: '<=', value: 2_000 } });

  const demo = generateDemoStreet();
  const keyToId = new Map(demo.orgs.map((o, i) => [o.key, i + 1]));
  const regions: GridRegion[] = demo.orgs
    .filter((o) => (o.kind === 'grid' || o.kind === 'micro_grid') && o.geometry)
    .map((o) => ({ id: keyToId.get(o.key)!, kind: o.kind as 'grid' | 'micro_grid', parentId: o.kind === 'micro_grid' ? keyToId.get(o.parentKey!)! : null, geometry: o.geometry! }));
  const index = new GridIndex(regions);
  const street = demo.orgs.find((o) => o.kind === 'street')!;
  const [w, s, e, n] = geometryBbox(street.geometry!);
  const rng = createRng(7);
  const pts = Array.from({ length: 100_000 }, () => [w + rng.next() * (e - w), s + rng.next() * (n - s)]);
  for (const p of pts.slice(0, 5000)) index.locate(p[0], p[1]); // warm-up
  let found = 0;
  const t0 = performance.now();
  let lookups = 0;
  while (performance.now() - t0 < 1000) {
    for (const p of pts) if (index.locate(p[0], p[1]).grid) found++;
    lookups += pts.length;
  }
  const perSecond = lookups / ((performance.now() - t0) / 1000);
  figures.push({ issue: 2, name: `point-in-grid lookups (${regions.length} grids + micro-grids)`, value: Math.round(perSecond), unit: 'lookups/s', target: { op: '>=', value: 100_000 }, note: `${Math.round((found / lookups) * 100)}% of the random spots in the street's box fall in a grid` });

  const server = await startServerProcess();
  try {
    const { cookie } = await login(server.base, 'office');
    const url = `${server.base}/api/v1/points?type=small_shop&pageSize=50&page=1`;
    const check = await fetch(url, { headers: { cookie } });
    if (!check.ok) throw new Error(`points page: ${check.status} ${await check.text()}`);
    await load({ url, headers: { cookie }, seconds: 2 }); // warm-up
    const { result, peakMb } = await peakRss(server.proc.pid!, () => load({ url, headers: { cookie }, seconds: 10, connections: 32 }));
    figures.push({ issue: 2, name: 'GET a filtered page of 50 points, signed in, SQLite', value: Math.round(result.rps), unit: 'req/s', target: { op: '>=', value: 3_000 }, note: `p99 ${result.p99} ms, ${result.non2xx} non-2xx` });
    figures.push({ issue: 2, name: 'server RSS under that load', value: Math.round(peakMb), unit: 'MB', target: { op: '<=', value: 300 } });
  } finally {
    await server.stop();
  }
  return figures;
}
