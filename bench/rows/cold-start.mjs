// Row 5a: cold start. A second instance of each service on the stack's migrated database, timed
// from spawn to its first 200 on /healthz/ready, interleaved round by round with the start of a
// bare Koa + pg process (bench/baseline-server.mjs: ready once its pool answers `SELECT 1`) started
// the same way, so each service's start is also read as a ratio to what Node, Koa and pg alone cost
// on the machine at that moment (docs/benchmarks.md, "Method" and row 5).
import os from 'node:os';
import { cpuSecondsOf, freePort } from '../lib/procs.mjs';
import { round } from '../lib/load.mjs';
import { SERVICE_NAMES, SERVICE_NODE_ARGS, startServiceProcess } from '../lib/stack.mjs';
import { fmtSpread, interleave, ratioSpread, spread } from '../lib/interleave.mjs';
import { startBaseline } from './overhead.mjs';

export const TARGET_RATIO = 1.5;
export const TARGET_MS = 1000;

export async function coldStartRow(b, stack) {
  const startOnce = async (name, extraEnv, label) => {
    const svc = await startServiceProcess(name, { ...stack.env[name], ...extraEnv, PORT: String(await freePort()) }, { label });
    // What the launcher said of the service's V8 code cache (mesh/src/code-cache/launch.ts): a start
    // without it is a different start, so the row names it.
    const codeCache = /"codeCache":"([a-z-]+)"/.exec(svc.output())?.[1] ?? 'not logged';
    await svc.stop();
    return { ms: svc.readyMs, cpuMs: svc.startCpuMs, codeCache };
  };
  const bareOnce = async (label) => {
    const p = await startBaseline(stack.databases.posts, '00000000-0000-0000-0000-000000000000', { label, nodeArgs: SERVICE_NODE_ARGS });
    const cpuMs = (await cpuSecondsOf(p.pid).catch(() => NaN)) * 1000;
    await p.stop();
    return { ms: p.readyMs, cpuMs };
  };
  // As deployed: tracing on, an OTLP endpoint set (the stack's env).
  const rounds = b.QUICK ? 3 : 5;
  const arms = { bare: (i) => bareOnce(`bare-cold-${i}`) };
  for (const name of SERVICE_NAMES) arms[name] = (i) => startOnce(name, {}, `${name}-cold-${i}`);
  const runs = await interleave(rounds, arms, { log: (line) => b.log(`row 5 cold start ${line}`) });
  // Once each with tracing off (no OTLP endpoint): what the OpenTelemetry SDK adds, for information.
  const plain = {};
  if (!b.QUICK)
    for (const name of SERVICE_NAMES)
      plain[name] = await startOnce(name, { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SDK_DISABLED: 'true' }, `${name}-cold-plain`);

  const bare = spread(runs.bare.map((r) => r.ms));
  const bareCpu = spread(runs.bare.map((r) => r.cpuMs));
  const figures = {};
  for (const name of SERVICE_NAMES) {
    figures[name] = {
      ms: spread(runs[name].map((r) => r.ms)),
      cpuMs: spread(runs[name].map((r) => r.cpuMs)),
      ratio: ratioSpread(runs.bare, runs[name], (r) => r.ms),
      // CPU the start used (all threads, /proc, 10 ms ticks): not stretched by other work on the machine.
      cpuRatio: ratioSpread(runs.bare, runs[name], (r) => r.cpuMs),
    };
  }
  const cacheOutcomes = [...new Set(SERVICE_NAMES.flatMap((s) => runs[s].map((r) => r.codeCache)))];
  b.report.details.coldStart = { runs, bare, figures, tracingOff: plain, codeCache: cacheOutcomes, loadAverage: round(os.loadavg()[0], 2) };
  const worstRatio = Math.max(...SERVICE_NAMES.map((s) => figures[s].ratio.median));
  const worstMs = Math.max(...SERVICE_NAMES.map((s) => figures[s].ms.median));
  b.report.row(
    5,
    `cold start: spawn → first 200 on /healthz/ready, tracing on as deployed, ${rounds} interleaved rounds; ratio to a bare Koa+pg start in the same round`,
    `bare Koa+pg ${fmtSpread(bare, 0, ' ms')}, ${round(bareCpu.median, 0)} ms CPU; ` +
      SERVICE_NAMES.map(
        (s) =>
          `${s} ${round(figures[s].ms.median, 0)} ms (${round(figures[s].ms.min, 0)}–${round(figures[s].ms.max, 0)}), ${round(figures[s].cpuMs.median, 0)} ms CPU, ratio ${fmtSpread(figures[s].ratio)} (by CPU ${round(figures[s].cpuRatio.median, 2)})` +
          (plain[s] ? `, tracing off ${round(plain[s].ms, 0)} ms` : ''),
      ).join('; ') +
      `; code cache ${cacheOutcomes.join('/')}; load average ${round(os.loadavg()[0], 1)}`,
    `≤ ${TARGET_RATIO}× bare and ≤ ${TARGET_MS} ms (medians)`,
    worstRatio <= TARGET_RATIO && worstMs <= TARGET_MS,
    { worstRatio: round(worstRatio, 3), worstMs: round(worstMs, 0) },
  );
}
