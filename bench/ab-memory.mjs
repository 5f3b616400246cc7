// A/B of the services' resident memory under two settings (environment or node flags), for row 5's
// RSS (docs/benchmarks.md, "Round 8: rss"): starts the stack once, then two more instances of each
// chosen service on the same databases, one per arm, and gives them the same load in interleaved
// rounds. Within an arm's round every chosen service is loaded at once, as row 5 loads them; each
// instance's RSS is read 2 s after the load stops, as row 5 reads it, with its JS heap from the
// service's own /metrics and, for the last round, what its resident pages are (smaps, by mapping).
// Also prints each arm's throughput, so a setting that costs requests per second shows it.
//
//   npm run build && node bench/ab-memory.mjs --service=all --args-b=--single-threaded-gc [--rounds=4] [--seconds=20]
//   node bench/ab-memory.mjs --service=auth,users --env-b=MALLOC_ARENA_MAX=1
//
// --service: a comma-separated list of services, or all; --env-a/--env-b: K=V,K2=V2 for one arm;
// --args-a/--args-b: node flags (comma-separated) for one arm, after the deployed ones so they win.
import { cleanup, freePort, memoryOf, sleep, smapsOf } from './lib/procs.mjs';
import { assertHealthy, load, round, signInLoad } from './lib/load.mjs';
import { postJson, SERVICE_NAMES, SERVICE_NODE_ARGS, startServiceProcess } from './lib/stack.mjs';
import { postsRequests, startStackWithPost } from './lib/stack-with-post.mjs';
import { fmtSpread, interleave, ratioSpread, spread } from './lib/interleave.mjs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const list = (name, fallback = '') => arg(name, fallback).split(',').filter(Boolean);
const CHOSEN = list('service', 'auth');
const SERVICES = CHOSEN.includes('all') ? SERVICE_NAMES : CHOSEN;
const ROUNDS = Number(arg('rounds', '4'));
const SECONDS = Number(arg('seconds', '20'));
const envOf = (name) => Object.fromEntries(list(name).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const ARMS = {
  a: { env: envOf('env-a'), args: list('args-a') },
  b: { env: envOf('env-b'), args: list('args-b') },
};
const log = (line) => console.log(`[ab-memory] ${line}`);
if (
  SERVICES.length === 0 ||
  SERVICES.some((s) => !SERVICE_NAMES.includes(s)) ||
  (!arg('env-a') && !arg('env-b') && !arg('args-a') && !arg('args-b'))
) {
  console.error(
    `usage: node bench/ab-memory.mjs --service=all|${SERVICE_NAMES.join('|')}[,…] [--env-a=K=V,…] [--env-b=K=V,…] [--args-a=--flag,…] [--args-b=…] [--rounds=4] [--seconds=20]`,
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
  // Something for media to serve: an upload ticket's pending object, as row 5 creates.
  const upload = await postJson(`${stack.url}/api/v1/media/uploads`, { contentType: 'image/png', sizeBytes: 1024 }, bearer);
  if (upload.status !== 201) throw new Error(`media upload ticket: ${upload.status} ${JSON.stringify(upload.body)}`);
  const reads = (connections, requests) => (base) => [load({ url: base, connections, duration: SECONDS, requests })];

  // The requests row 5 sends each service, straight to the arm's instance; connections roughly in
  // proportion to row 5's mix (posts 3 of its 9 requests, users and auth 2, media and notifications 1).
  const loadsFor = {
    // Sign-ins (argon2id on libuv's pool) on 2 connections, token checks and the JWKS on 6.
    auth: (base) => [
      signInLoad(base, viewer, SECONDS),
      ...reads(6, [
        { method: 'GET', path: '/api/v1/auth/verify', headers: bearer },
        { method: 'GET', path: '/.well-known/jwks.json' },
      ])(base),
    ],
    // Reads (the post, the feed) and writes (new posts).
    posts: reads(8, postsRequests(postId, bearer)),
    users: reads(4, [
      { method: 'GET', path: '/api/v1/users/me', headers: bearer },
      { method: 'GET', path: `/api/v1/users/${viewer.id}/followers`, headers: bearer },
    ]),
    media: reads(2, [{ method: 'GET', path: `/api/v1/media/${upload.body.id}`, headers: bearer }]),
    notifications: reads(2, [{ method: 'GET', path: '/api/v1/notifications?limit=20', headers: bearer }]),
  };

  // A service with no load of its own here (a new one) is asked for its readiness, which still runs
  // its middleware and its readiness checks; said in the output, since that is not row 5's load.
  const loadOf = (s) => loadsFor[s] ?? reads(2, [{ method: 'GET', path: '/healthz/ready' }]);
  for (const s of SERVICES.filter((name) => !loadsFor[name])) log(`${s}: no load of its own in bench/ab-memory.mjs, loaded with GET /healthz/ready`);

  const instances = {};
  for (const [k, arm] of Object.entries(ARMS)) {
    for (const s of SERVICES) {
      instances[`${s}-${k}`] = await startServiceProcess(
        s,
        { ...stack.env[s], ...arm.env, PORT: String(await freePort()) },
        { label: `${s}-${k}`, nodeArgs: [...SERVICE_NODE_ARGS, ...arm.args] },
      );
    }
  }
  const runs = await interleave(
    ROUNDS,
    Object.fromEntries(
      Object.keys(ARMS).map((k) => [
        k,
        async (i) => {
          const results = await Promise.all(SERVICES.map((s) => Promise.all(loadOf(s)(instances[`${s}-${k}`].base))));
          // A few refusals (503) of an overloaded shared machine do not void a memory figure; more do.
          results.forEach((rs, j) => rs.forEach((r) => assertHealthy(`${SERVICES[j]}-${k} load`, r, 0.05)));
          await sleep(2000);
          const last = i === ROUNDS - 1;
          return Object.fromEntries(
            await Promise.all(
              SERVICES.map(async (s, j) => {
                const { pid, base } = instances[`${s}-${k}`];
                const mem = await memoryOf(pid);
                return [
                  s,
                  {
                    rps: results[j].reduce((sum, r) => sum + r.rps, 0),
                    refused: results[j].reduce((sum, r) => sum + r.non2xx + r.errors, 0),
                    ...mem,
                    ...(await heapOf(base)),
                    ...(last ? { smaps: await smapsOf(pid) } : {}),
                  },
                ];
              }),
            ),
          );
        },
      ]),
    ),
    { log },
  );
  log(
    `arms: ${Object.entries(ARMS)
      .map(([k, arm]) => `${k} ${JSON.stringify(arm)}`)
      .join('; ')}`,
  );
  for (const s of SERVICES) {
    for (const k of Object.keys(ARMS)) {
      const rs = runs[k].map((r) => r[s]);
      const last = rs.at(-1);
      log(
        `${s} ${k}: RSS ${fmtSpread(spread(rs.map((r) => r.rssMiB)), 1, ' MiB')} [per round ${rs.map((r) => round(r.rssMiB, 0)).join(', ')}]; ` +
          `last round anon ${round(last.anonMiB, 0)} + file ${round(last.fileMiB, 0)}, JS heap ${round(last.heapUsedMiB, 0)}/${round(last.heapTotalMiB, 0)}, external ${round(last.externalMiB, 0)} MiB; ` +
          `smaps ${JSON.stringify(last.smaps)}; ${fmtSpread(spread(rs.map((r) => r.rps)), 0, ' req/s')}, ${rs.reduce((sum, r) => sum + r.refused, 0)} non-2xx/errors in all`,
      );
    }
    const [a, b] = [runs.a.map((r) => r[s]), runs.b.map((r) => r[s])];
    log(`${s} B ÷ A RSS ${fmtSpread(ratioSpread(a, b, (r) => r.rssMiB))}; throughput ${fmtSpread(ratioSpread(a, b, (r) => r.rps))}`);
  }
} catch (err) {
  console.error(`[ab-memory] failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
