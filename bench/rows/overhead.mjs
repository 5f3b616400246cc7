// Row 1: what the stack costs. `GET /api/v1/posts/{id}` on the posts service (every layer on)
// against bench/baseline-server.mjs (bare Koa + pg, the same SQL), in interleaved rounds
// (docs/benchmarks.md, "Method" and row 1).
import path from 'node:path';
import { freePort, onCleanup, ROOT, spawnNode, waitFor200 } from '../lib/procs.mjs';
import { assertHealthy, load, round } from '../lib/load.mjs';
import { getJson } from '../lib/stack.mjs';
import { fmtSpread, interleave, ratioSpread, spread } from '../lib/interleave.mjs';

export const TARGET_RATIO = 0.6;

/** Starts the bare Koa + pg server of row 1 (and of row 5's reference start) and waits for it. */
export async function startBaseline(databaseUrl, meId, { label = 'baseline', nodeArgs = [] } = {}) {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawnNode(label, path.join(ROOT, 'bench', 'baseline-server.mjs'), {
    nodeArgs,
    env: { PORT: String(port), DATABASE_URL: databaseUrl, BENCH_ME: meId },
  });
  onCleanup(() => proc.stop());
  const base = `http://127.0.0.1:${port}`;
  const readyMs = await waitFor200(proc, `${base}/healthz/ready`, { since: t0 });
  return { ...proc, base, readyMs };
}

/**
 * `b` = bench context ({ report, log, D, QUICK, CONNECTIONS, rotatingTokens, bearer }).
 * Returns the medians row 2 divides by.
 */
export async function overheadRow(b, stack, postPath, viewer, tokens) {
  const posts = stack.services.posts;
  const baseline = await startBaseline(stack.databases.posts, viewer.id);
  const fromBaseline = await getJson(`${baseline.base}${postPath}`);
  const fromService = await getJson(`${posts.base}${postPath}`, b.bearer(viewer.token));
  const same = JSON.stringify(fromBaseline.body) === JSON.stringify(fromService.body);
  if (!same)
    b.report.note(
      `row 1: the baseline's body differs from the service's: ${JSON.stringify(fromBaseline.body)} vs ${JSON.stringify(fromService.body)}`,
    );

  const bareLoad = (opts) => load({ url: `${baseline.base}${postPath}`, connections: b.CONNECTIONS, cpuPids: { server: baseline.pid }, ...opts });
  const fullLoad = (opts) =>
    load({ url: posts.base, connections: b.CONNECTIONS, cpuPids: { server: posts.pid }, ...b.rotatingTokens(tokens, postPath), ...opts });
  // Warm-up once per arm: JIT, pools, and every token seen (the verified-token cache's steady state).
  await bareLoad({ duration: b.D(3) });
  await fullLoad({ amount: 2 * tokens.length });
  await fullLoad({ duration: b.D(2) });

  const rounds = b.QUICK ? 3 : 5;
  const seconds = b.D(6);
  const runs = await interleave(
    rounds,
    {
      bare: async () => assertHealthy('baseline', await bareLoad({ duration: seconds })),
      full: async () => assertHealthy('posts', await fullLoad({ duration: seconds })),
    },
    { log: (line) => b.log(`row 1 ${line}`) },
  );
  await baseline.stop();

  const ratio = ratioSpread(runs.bare, runs.full, (r) => r.rps);
  // By CPU per request: bare ÷ full, so that it reads like the throughput ratio (higher is cheaper).
  const cpuRatio = ratioSpread(runs.full, runs.bare, (r) => r.cpu.server.usPerRequest);
  const fullCpu = spread(runs.full.map((r) => r.cpu.server.usPerRequest));
  const bareCpu = spread(runs.bare.map((r) => r.cpu.server.usPerRequest));
  const fullRps = spread(runs.full.map((r) => r.rps));
  const bareRps = spread(runs.bare.map((r) => r.rps));
  const p99 = (rs) => spread(rs.map((r) => r.p99));
  b.report.details.overhead = { rounds: runs, ratio, cpuRatio, sameBody: same };
  b.report.row(
    1,
    `stack overhead: GET /api/v1/posts/{id}, ${b.CONNECTIONS} connections, ${rounds} interleaved rounds of ${seconds} s`,
    `throughput ratio ${fmtSpread(ratio)}; by CPU/req ${fmtSpread(cpuRatio)}; ` +
      `full ${round(fullRps.median, 0)} req/s, ${round(fullCpu.median, 0)} µs CPU/req (${round(fullCpu.min, 0)}–${round(fullCpu.max, 0)}), p99 ${round(p99(runs.full).median, 2)} ms; ` +
      `bare Koa+pg ${round(bareRps.median, 0)} req/s, ${round(bareCpu.median, 0)} µs CPU/req (${round(bareCpu.min, 0)}–${round(bareCpu.max, 0)}), p99 ${round(p99(runs.bare).median, 2)} ms`,
    `≥ ${TARGET_RATIO} (median)`,
    ratio.median >= TARGET_RATIO,
    { ratio: round(ratio.median, 3), ratioMin: round(ratio.min, 3), ratioMax: round(ratio.max, 3), cpuRatio: round(cpuRatio.median, 3) },
  );
  return { fullUsPerRequest: fullCpu.median, bareUsPerRequest: bareCpu.median };
}
