// A/B of one service's resident memory under two settings (environment or V8 flags), for row 5's RSS
// (docs/benchmarks.md, "Start-up and memory pass"): starts the stack once, then two more instances
// of the service on the same database, one per arm, and gives them the same load in interleaved
// rounds; each arm's RSS is read 2 s after its round's load stops, as row 5 reads it, with its JS
// heap from the service's own /metrics. Also prints each arm's throughput, so a setting that costs
// requests per second shows it.
//
//   npm run build && node bench/ab-memory.mjs --service=auth --env-b=MIMALLOC_PURGE_DELAY=0 [--rounds=4] [--seconds=20]
//   node bench/ab-memory.mjs --service=posts --args-b=--max-semi-space-size=2
//
// --env-a/--env-b: K=V,K2=V2 for one arm; --args-a/--args-b: node flags (comma-separated) for one arm,
// after the deployed ones so that they win.
import { cleanup, freePort, memoryOf, sleep } from './lib/procs.mjs';
import { assertHealthy, load, round, signInLoad } from './lib/load.mjs';
import { SERVICE_NODE_ARGS, startServiceProcess } from './lib/stack.mjs';
import { postsRequests, startStackWithPost } from './lib/stack-with-post.mjs';
import { fmtSpread, interleave, ratioSpread, spread } from './lib/interleave.mjs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const SERVICE = arg('service', 'auth');
const ROUNDS = Number(arg('rounds', '4'));
const SECONDS = Number(arg('seconds', '20'));
const list = (name) => arg(name, '').split(',').filter(Boolean);
const envOf = (name) => Object.fromEntries(list(name).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const ARMS = {
  a: { env: envOf('env-a'), args: list('args-a') },
  b: { env: envOf('env-b'), args: list('args-b') },
};
const log = (line) => console.log(`[ab-memory] ${line}`);
if (!['auth', 'posts'].includes(SERVICE) || (!arg('env-a') && !arg('env-b') && !arg('args-a') && !arg('args-b'))) {
  console.error(
    'usage: node bench/ab-memory.mjs --service=auth|posts [--env-a=K=V,…] [--env-b=K=V,…] [--args-a=--flag,…] [--args-b=…] [--rounds=4] [--seconds=20]',
  );
  process.exit(2);
}

/** JS heap figures from the service's own prom-client default metrics (MiB). */
async function heapOf(base) {
  const text = await fetch(`${base}/metrics`).then((r) => r.text());
  const metric = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    heapUsedMiB: metric('nodejs_heap_size_used_bytes'),
    heapTotalMiB: metric('nodejs_heap_size_total_bytes'),
    externalMiB: metric('nodejs_external_memory_bytes'),
  };
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => cleanup().finally(() => process.exit(130)));

try {
  const { stack, viewer, bearer, postId } = await startStackWithPost('abmem', log);

  // The load row 5 gives this service, straight to the arm's instance.
  const loadsFor = {
    // Sign-ins (argon2id on libuv's pool) on 2 connections, token checks and the JWKS on 6.
    auth: (base) => [
      signInLoad(base, viewer, SECONDS),
      load({
        url: base,
        connections: 6,
        duration: SECONDS,
        requests: [
          { method: 'GET', path: '/api/v1/auth/verify', headers: bearer },
          { method: 'GET', path: '/.well-known/jwks.json' },
        ],
      }),
    ],
    // Reads (the post, the feed) and writes (new posts) on 8 connections.
    posts: (base) => [
      load({
        url: base,
        connections: 8,
        duration: SECONDS,
        requests: postsRequests(postId, bearer),
      }),
    ],
  };

  const instances = {};
  for (const [k, arm] of Object.entries(ARMS)) {
    instances[k] = await startServiceProcess(
      SERVICE,
      { ...stack.env[SERVICE], ...arm.env, PORT: String(await freePort()) },
      { label: `${SERVICE}-${k}`, nodeArgs: [...SERVICE_NODE_ARGS, ...arm.args] },
    );
  }
  const runs = await interleave(
    ROUNDS,
    Object.fromEntries(
      Object.keys(ARMS).map((k) => [
        k,
        async () => {
          const results = await Promise.all(loadsFor[SERVICE](instances[k].base));
          // A few refusals (503) of an overloaded shared machine do not void a memory figure; more do.
          results.forEach((r) => assertHealthy(`${k} load`, r, 0.05));
          await sleep(2000);
          return {
            rps: results.reduce((sum, r) => sum + r.rps, 0),
            refused: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
            ...(await memoryOf(instances[k].pid)),
            ...(await heapOf(instances[k].base)),
          };
        },
      ]),
    ),
    { log },
  );
  for (const k of Object.keys(ARMS)) {
    const last = runs[k].at(-1);
    log(
      `${k} ${JSON.stringify(ARMS[k])}: RSS ${fmtSpread(spread(runs[k].map((r) => r.rssMiB)), 1, ' MiB')} [per round ${runs[k].map((r) => round(r.rssMiB, 0)).join(', ')}]; ` +
        `last round anon ${round(last.anonMiB, 0)} + file ${round(last.fileMiB, 0)}, JS heap ${round(last.heapUsedMiB, 0)}/${round(last.heapTotalMiB, 0)}, external ${round(last.externalMiB, 0)} MiB; ` +
        `${fmtSpread(spread(runs[k].map((r) => r.rps)), 0, ' req/s')}, ${runs[k].reduce((sum, r) => sum + r.refused, 0)} non-2xx/errors in all`,
    );
  }
  log(`B ÷ A RSS ${fmtSpread(ratioSpread(runs.a, runs.b, (r) => r.rssMiB))}; throughput ${fmtSpread(ratioSpread(runs.a, runs.b, (r) => r.rps))}`);
} catch (err) {
  console.error(`[ab-memory] failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
