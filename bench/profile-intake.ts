// `node --import tsx bench/profile-intake.ts`: where intake's time goes (a developer's tool, not a bench suite).
// Starts the server as the bench does, sends reports as the intake figure does for SECS seconds (default 10) and
// prints the server's CPU per request. With CPU_PROF=1 the server also writes a V8 CPU profile to PROF_DIR
// (default bench/out/prof; open it in Chrome DevTools); with SQL_PROFILE=<file> the 25 costliest SQL statements
// after the warm-up are appended to <file> (src/server/db/sql-profile.ts). Figures vary with the machine's load:
// compare runs interleaved, not one against another taken earlier.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { intakeReports } from './intake-reports.js';
import { login, startServerProcess } from './lib.js';

const seconds = Number(process.env.SECS ?? 10);
const nodeArgs = process.env.CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF_DIR ?? 'bench/out/prof'}`] : [];
const server = await startServerProcess(process.env.SQL_PROFILE ? { WENMING_SQL_PROFILE: process.env.SQL_PROFILE } : {}, undefined, nodeArgs);
const cpuMs = () => {
  const f = readFileSync(`/proc/${server.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};
try {
  const { cookie, csrf } = await login(server.base, 'office');
  const next = intakeReports(11);
  const send = (duration: number) =>
    autocannon({
      url: `${server.base}/api/v1/cases`,
      connections: 16,
      duration,
      requests: [{ method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, setupRequest: (req) => Object.assign(req, { body: next() }) }],
    });
  await send(2); // warm-up
  if (process.env.SQL_PROFILE) server.proc.kill('SIGUSR2');
  const cpu0 = cpuMs();
  const r = await send(seconds);
  console.log(`${Math.round(r.requests.average)} cases/s, p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx, server CPU ${Math.round(((cpuMs() - cpu0) * 1000) / r.requests.total)} µs per case`);
} finally {
  await server.stop();
}
