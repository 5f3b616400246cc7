// Leak check for row 5's RSS (docs/benchmarks.md, "Start-up and memory pass"): does a service's live
// set grow with requests, or does it only keep garbage and a large heap after a burst? Starts the
// stack, then one more instance of the service with --heapsnapshot-signal=SIGUSR2, gives it rounds of
// row 5's load, and after each round has it write a heap snapshot (V8 runs a full GC first, so the
// snapshot holds only live objects). Prints per round the live set (sum of the snapshot's self sizes)
// beside RSS, and the constructors whose live size grew most from round 1 to the last round:
// a live set that keeps growing is a leak; a flat one is not.
//
//   npm run build && node bench/leak-check.mjs --service=posts [--rounds=5] [--seconds=30]
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanup, freePort, memoryOf, sleep } from './lib/procs.mjs';
import { assertHealthy, load, round } from './lib/load.mjs';
import { SERVICE_NODE_ARGS, startServiceProcess } from './lib/stack.mjs';
import { postsRequests, startStackWithPost } from './lib/stack-with-post.mjs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const SERVICE = arg('service', 'posts');
const ROUNDS = Number(arg('rounds', '5'));
const SECONDS = Number(arg('seconds', '30'));
const log = (line) => console.log(`[leak-check] ${line}`);
if (!['posts', 'notifications'].includes(SERVICE)) {
  console.error('usage: node bench/leak-check.mjs --service=posts|notifications [--rounds=5] [--seconds=30]');
  process.exit(2);
}

/** Live size by constructor (object nodes by name, other nodes by type) of a .heapsnapshot file. */
async function liveSetOf(file) {
  const snap = JSON.parse(await readFile(file, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byKey = new Map();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType]];
    const size = snap.nodes[i + iSize];
    const key = type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[i + iName]]}` : `(${type})`;
    const entry = byKey.get(key) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += size;
    byKey.set(key, entry);
    total += size;
  }
  return { totalMiB: total / 2 ** 20, byKey };
}

/** Has the instance write a snapshot into `dir` and waits until the file is complete. */
async function snapshot(pid, dir) {
  const before = new Set(await readdir(dir));
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 120_000; waited += 500) {
    await sleep(500);
    const fresh = (await readdir(dir)).filter((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (fresh.length === 0) continue;
    const file = path.join(dir, fresh[0]);
    // V8 writes the file in one go; a size that holds still over a second means it is done.
    const s1 = (await stat(file)).size;
    await sleep(1000);
    if (s1 > 0 && (await stat(file)).size === s1) {
      try {
        return await liveSetOf(file);
      } catch {
        // Not complete yet after all: wait on.
      }
    }
  }
  throw new Error('no heap snapshot within 120 s');
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => cleanup().finally(() => process.exit(130)));

try {
  const { stack, bearer, postId } = await startStackWithPost('leak', log);

  const dir = await mkdtemp(path.join(tmpdir(), `leak-${SERVICE}-`));
  const instance = await startServiceProcess(
    SERVICE,
    { ...stack.env[SERVICE], PORT: String(await freePort()) },
    { label: `${SERVICE}-leak`, nodeArgs: [...SERVICE_NODE_ARGS, '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`] },
  );
  // Row 5's requests for this service, straight to the instance.
  const requests = {
    posts: postsRequests(postId, bearer),
    notifications: [{ method: 'GET', path: '/api/v1/notifications?limit=20', headers: bearer }],
  }[SERVICE];
  const rounds = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const r = await load({ url: instance.base, connections: 8, duration: SECONDS, requests });
    assertHealthy('load', r, 0.05);
    await sleep(2000);
    const mem = await memoryOf(instance.pid);
    const live = await snapshot(instance.pid, dir);
    rounds.push({ rps: r.rps, requests: r.requests ?? Math.round(r.rps * SECONDS), ...mem, live });
    log(
      `round ${i + 1}/${ROUNDS}: ${round(r.rps, 0)} req/s; RSS 2 s after ${round(mem.rssMiB, 0)} MiB; live set after a full GC ${round(live.totalMiB, 1)} MiB`,
    );
  }
  const first = rounds[0].live.byKey;
  const last = rounds.at(-1).live.byKey;
  const growth = [...last].map(([key, v]) => ({ key, dCount: v.count - (first.get(key)?.count ?? 0), dSize: v.size - (first.get(key)?.size ?? 0) }));
  growth.sort((x, y) => y.dSize - x.dSize);
  log(`live set per round (MiB): ${rounds.map((r) => round(r.live.totalMiB, 2)).join(', ')}`);
  log(`RSS per round (MiB): ${rounds.map((r) => round(r.rssMiB, 0)).join(', ')}`);
  log(`largest growth, round 1 → ${ROUNDS}:`);
  for (const g of growth.slice(0, 15))
    log(`  ${g.key}: ${g.dCount >= 0 ? '+' : ''}${g.dCount} nodes, ${g.dSize >= 0 ? '+' : ''}${round(g.dSize / 1024, 1)} KiB`);
} catch (err) {
  console.error(`[leak-check] failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
