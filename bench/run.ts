// `npm run bench [-- suite …]`: measures the figures each issue names and prints them as JSON and as a table.
// Figures are printed, never asserted: a machine under other load measures lower.
import { writeFileSync, mkdirSync } from 'node:fs';
import { meets, removeTempDirs, type Figure } from './lib.js';
import { foundation } from './suites/foundation.js';
import { cases } from './suites/cases.js';
import { ledger } from './suites/ledger.js';
import { inspections } from './suites/inspections.js';
import { report } from './suites/report.js';
import { benchPhotos } from '../src/server/modules/photos/bench.js';
import { benchDeadlineJob } from '../src/server/modules/notifications/bench.js';

const SUITES: Record<string, () => Promise<Figure[]>> = { foundation, cases, ledger, inspections, photos: () => benchPhotos(), deadlines: () => benchDeadlineJob(), report };

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(SUITES);
const unknown = names.filter((name) => !SUITES[name]);
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
const figures: Figure[] = [];
try {
  for (const name of names) {
    process.stderr.write(`running ${name}…\n`);
    figures.push(...(await SUITES[name]()));
  }
} finally {
  removeTempDirs();
}

const machine = { node: process.version, cpus: (await import('node:os')).cpus().length, at: new Date().toISOString() };
const json = { machine, figures: figures.map((f) => ({ ...f, meetsTarget: meets(f) })) };
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/latest.json', JSON.stringify(json, null, 2));
console.log(JSON.stringify(json, null, 2));

const rows = figures.map((f) => [
  `#${f.issue}`,
  f.name,
  `${f.value.toLocaleString('en-US')} ${f.unit}`,
  f.target ? `${f.target.op} ${f.target.value.toLocaleString('en-US')}` : '',
  meets(f) === null ? '' : meets(f) ? 'yes' : 'NO',
  f.note ?? '',
]);
const head = ['issue', 'figure', 'measured', 'target', 'meets', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ');
console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}`);
