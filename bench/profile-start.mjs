// Where a service's start goes: starts the stack, then one more instance of the named service with
// `--cpu-prof`, stopped as soon as it is ready, and prints the start's CPU by module (self time, from
// spawn to ready) — the measurement behind row 5's cold start (docs/benchmarks.md, row 5).
//
//   npm run build && node bench/profile-start.mjs [service=posts]
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { cleanup, freePort } from './lib/procs.mjs';
import { SERVICE_NODE_ARGS, startOtlpSink, startPostgres, startServiceProcess, startStack } from './lib/stack.mjs';
import { readProfile, topOutermostPackage, topSelf, moduleOf } from './lib/cpuprofile.mjs';

const name = process.argv[2] ?? 'posts';
// Ctrl-C stops what was started (PostgreSQL included), as bench/run.mjs does.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => cleanup().finally(() => process.exit(130)));

try {
  const pg = await startPostgres();
  const sink = await startOtlpSink();
  const stack = await startStack({ adminUrl: pg.adminUrl, otlpEndpoint: sink.url });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'agora-start-prof-'));
  const svc = await startServiceProcess(
    name,
    { ...stack.env[name], PORT: String(await freePort()) },
    { label: `${name}-start-profiled`, nodeArgs: [...SERVICE_NODE_ARGS, '--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'] },
  );
  await svc.stop();
  const file = path.join(dir, (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort()[0]);
  // Only up to ready: not the drain and exit after SIGTERM (the profile starts about when the process does).
  const { startTime, endTime } = JSON.parse(await readFile(file, 'utf8'));
  const p = await readProfile(file, { tailMs: Math.max(0, (endTime - startTime) / 1000 - svc.readyMs) });
  console.log(`${name} ready after ${Math.round(svc.readyMs)} ms (${Math.round(svc.startCpuMs)} ms CPU); profile ${file}`);
  console.log('by module (self, share of busy samples):');
  for (const f of topSelf(p, 25, (f) => moduleOf(f))) console.log(`  ${(100 * f.share).toFixed(1).padStart(5)} %  ${f.frame}`);
  console.log('by package, inclusive (the outermost package on the stack, with what it called):');
  for (const f of topOutermostPackage(p, 25)) console.log(`  ${(100 * f.share).toFixed(1).padStart(5)} %  ${f.frame}`);
  console.log('top frames:');
  for (const f of topSelf(p, 25)) console.log(`  ${(100 * f.share).toFixed(1).padStart(5)} %  ${f.frame}`);
} catch (err) {
  console.error(err.stack ?? err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
