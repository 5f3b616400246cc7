// A/B of two builds of the posts service under row 1's load, for measuring one change at a time
// (docs/benchmarks.md, "Measuring a change"): both bundles run side by side on the same stack and
// database, with the bare Koa+pg server as the third arm, in interleaved rounds.
//
//   for f in mjs cjs cache; do cp services/posts/dist/main.bundle.$f services/posts/dist/main.before.bundle.$f; done   # before the change (pg resolves from there)
//   npm run build && node bench/ab-posts.mjs --a=services/posts/dist/main.before.bundle.mjs [--rounds=5] [--seconds=6]
//
// --b defaults to the current build, --a to --b (then --env-a/--env-b tell the arms apart); --start compares cold starts (spawn → ready) instead. Prints, per arm, the median req/s and µs CPU/req with the
// spread, and the per-round ratios B÷A and each ÷ bare.
import path from 'node:path';
import { cleanup, freePort, memoryOf, sleep } from './lib/procs.mjs';
import { assertHealthy, load, round } from './lib/load.mjs';
import { refreshSession, SERVICE_NODE_ARGS, serviceScript, startServiceProcess } from './lib/stack.mjs';
import { startStackWithPost } from './lib/stack-with-post.mjs';
import { fmtSpread, interleave, ratioSpread, spread } from './lib/interleave.mjs';
import { startBaseline } from './rows/overhead.mjs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const B = path.resolve(arg('b', serviceScript('posts')));
const A = path.resolve(arg('a', B)); // the same build, when the arms differ by --env-a/--env-b only
const ROUNDS = Number(arg('rounds', '5'));
const SECONDS = Number(arg('seconds', '6'));
const START = process.argv.includes('--start');
/** `--env-a=K=V,K2=V2` / `--env-b=…`: environment for one arm only (a setting instead of a build). */
const envOf = (name) =>
  Object.fromEntries(
    arg(name, '')
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
const ENV = { a: envOf('env-a'), b: envOf('env-b') };
/** `--args-a=--flag,--flag2` / `--args-b=…`: node flags for one arm, after the deployed ones so that they win. */
const ARGS = { a: arg('args-a', '').split(',').filter(Boolean), b: arg('args-b', '').split(',').filter(Boolean) };
const CONNECTIONS = 16;
const log = (line) => console.log(`[ab] ${line}`);
if (!arg('a') && !arg('env-a') && !arg('env-b') && !arg('args-a') && !arg('args-b')) {
  console.error(
    'usage: node bench/ab-posts.mjs --a=<posts bundle before> [--b=<bundle after>] [--env-a=K=V,…] [--env-b=K=V,…] [--args-a=--flag,…] [--args-b=…] [--rounds=5] [--seconds=6] [--start]',
  );
  process.exit(2);
}

// Ctrl-C stops what was started (PostgreSQL included), as bench/run.mjs does.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => cleanup().finally(() => process.exit(130)));

try {
  const { stack, viewer, postId } = await startStackWithPost('ab', log);
  const postPath = `/api/v1/posts/${postId}`;
  const tokens = [viewer.token];
  for (let i = 0; i < 199; i += 1) tokens.push(await refreshSession(stack.services.auth.base, viewer));

  const start = async (script, label, env = {}, args = []) =>
    startServiceProcess(
      'posts',
      { ...stack.env.posts, ...env, PORT: String(await freePort()) },
      { script, label, nodeArgs: [...SERVICE_NODE_ARGS, ...args] },
    );
  if (START) {
    // Cold starts instead of load: each arm started and stopped once per round.
    const once = (script, env, args) => async (i) => {
      const svc = await start(script, `posts-start-${i}`, env, args);
      await svc.stop();
      return { ms: svc.readyMs, cpuMs: svc.startCpuMs };
    };
    const runs = await interleave(ROUNDS, { a: once(A, ENV.a, ARGS.a), b: once(B, ENV.b, ARGS.b) }, { log });
    for (const k of ['a', 'b']) {
      log(`${k}: start ${fmtSpread(spread(runs[k].map((r) => r.ms)), 0, ' ms')}, ${fmtSpread(spread(runs[k].map((r) => r.cpuMs)), 0, ' ms CPU')}`);
    }
    log(`B ÷ A start ${fmtSpread(ratioSpread(runs.a, runs.b, (r) => r.ms))}; CPU ${fmtSpread(ratioSpread(runs.a, runs.b, (r) => r.cpuMs))}`);
    await cleanup();
    process.exit(0);
  }
  const a = await start(A, 'posts-a', ENV.a, ARGS.a);
  const b = await start(B, 'posts-b', ENV.b, ARGS.b);
  const bare = await startBaseline(stack.databases.posts, viewer.id);
  let t = 0;
  const rotating = {
    requests: [
      {
        method: 'GET',
        path: postPath,
        setupRequest(req) {
          req.headers = { ...req.headers, authorization: `Bearer ${tokens[t++ % tokens.length]}` };
          return req;
        },
      },
    ],
  };
  const service = (svc) => (opts) => load({ url: svc.base, connections: CONNECTIONS, cpuPids: { server: svc.pid }, ...rotating, ...opts });
  const loads = {
    bare: (opts) => load({ url: `${bare.base}${postPath}`, connections: CONNECTIONS, cpuPids: { server: bare.pid }, ...opts }),
    a: service(a),
    b: service(b),
  };
  for (const run of Object.values(loads)) await run({ duration: 3 });
  const runs = await interleave(
    ROUNDS,
    Object.fromEntries(
      Object.entries(loads).map(([k, run]) => [
        k,
        async () => {
          const r = assertHealthy(k, await run({ duration: SECONDS }));
          // RSS 2 s after the arm's load, as row 5 reads it (for settings such as malloc's).
          await sleep(2000);
          return { ...r, rssMiB: (await memoryOf({ bare, a, b }[k].pid)).rssMiB };
        },
      ]),
    ),
    { log },
  );
  const rps = (r) => r.rps;
  const cpu = (r) => r.cpu.server.usPerRequest;
  for (const k of Object.keys(loads)) {
    log(`${k}: ${fmtSpread(spread(runs[k].map(rps)), 0, ' req/s')}, ${fmtSpread(spread(runs[k].map(cpu)), 0, ' µs CPU/req')}`);
  }
  log(`A ÷ bare throughput ${fmtSpread(ratioSpread(runs.bare, runs.a, rps))}; B ÷ bare ${fmtSpread(ratioSpread(runs.bare, runs.b, rps))}`);
  log(`B ÷ A throughput ${fmtSpread(ratioSpread(runs.a, runs.b, rps))}; B ÷ A CPU/req ${fmtSpread(ratioSpread(runs.a, runs.b, cpu))}`);
  log(`RSS 2 s after each round's load: ${['a', 'b'].map((k) => `${k} ${fmtSpread(spread(runs[k].map((r) => r.rssMiB)), 1, ' MiB')}`).join('; ')}`);
  log(`B's CPU/req minus A's, per round (µs): ${runs.b.map((r, i) => round(cpu(r) - cpu(runs.a[i]), 0)).join(', ')}`);
} catch (err) {
  console.error(`[ab] failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
