// Row 5b: memory. Rounds of load through the ingress on every service at once, then each service's
// RSS read 2 s after the load stops (the verdict: what the process keeps, not what was in flight
// when the load stopped) and, for information, the moment it stops (docs/benchmarks.md, row 5).
import { memoryOf, sleep, smapsOf } from '../lib/procs.mjs';
import { assertHealthy, load, round, signInLoad } from '../lib/load.mjs';
import { postJson, refreshSession, SERVICE_NAMES } from '../lib/stack.mjs';
import { spread } from '../lib/interleave.mjs';

export const TARGET_MIB = 100;

/** JS heap figures from the service's own prom-client default metrics (MiB). */
async function heapOf(base) {
  const text = await fetch(`${base}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const metric = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    heapTotalMiB: round(metric('nodejs_heap_size_total_bytes'), 1),
    heapUsedMiB: round(metric('nodejs_heap_size_used_bytes'), 1),
    externalMiB: round(metric('nodejs_external_memory_bytes'), 1),
  };
}

export async function memoryRow(b, stack, postPath, viewers) {
  const v = viewers[1];
  // Something for every service to do: media object (pending; its uploader may read it).
  const upload = await postJson(`${stack.url}/api/v1/media/uploads`, { contentType: 'image/png', sizeBytes: 1024 }, b.bearer(v.token));
  if (upload.status !== 201) throw new Error(`media upload ticket: ${upload.status} ${JSON.stringify(upload.body)}`);
  const seconds = b.QUICK ? 15 : 60;
  const rounds = b.QUICK ? 2 : 3;
  const perRound = [];
  for (let i = 0; i < rounds; i += 1) {
    // A fresh token per round: the rounds together outlast nothing, but the row runs late in the bench.
    const h = b.bearer(await refreshSession(stack.services.auth.base, v));
    const reads = [
      { method: 'GET', path: postPath, headers: h },
      { method: 'GET', path: '/api/v1/feed?limit=20', headers: h },
      { method: 'GET', path: '/api/v1/users/me', headers: h },
      { method: 'GET', path: `/api/v1/users/${viewers[0].id}/followers`, headers: h },
      { method: 'GET', path: `/api/v1/media/${upload.body.id}`, headers: h },
      { method: 'GET', path: '/api/v1/notifications?limit=20', headers: h },
      { method: 'GET', path: '/api/v1/auth/verify', headers: h },
      { method: 'GET', path: '/.well-known/jwks.json' },
      {
        method: 'POST',
        path: '/api/v1/posts',
        headers: { ...h, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'a post written under load' }),
      },
    ];
    // Reads and writes on 14 connections, and sign-ins (argon2id, 19 MiB each) on 2, at once.
    const [mixed, logins] = await Promise.all([
      load({ url: stack.url, connections: 14, duration: seconds, requests: reads }),
      signInLoad(stack.url, v, seconds),
    ]);
    assertHealthy('mixed load', mixed, 0.01);
    assertHealthy('logins', logins, 0.01);
    const mem = {};
    for (const s of SERVICE_NAMES) mem[s] = { atStop: await memoryOf(stack.services[s].pid) };
    await sleep(2000);
    for (const s of SERVICE_NAMES) Object.assign(mem[s], await memoryOf(stack.services[s].pid), await heapOf(stack.services[s].base));
    // After the last round, what each process's resident pages are (JS heap, malloc arenas, stacks, files).
    if (i === rounds - 1) for (const s of SERVICE_NAMES) mem[s].smaps = await smapsOf(stack.services[s].pid);
    perRound.push({ mem, rps: mixed.rps + logins.rps, loginRps: logins.rps });
    b.log(`row 5 RSS round ${i + 1}/${rounds}: ${SERVICE_NAMES.map((s) => `${s} ${round(mem[s].rssMiB, 0)} MiB`).join(', ')}`);
    if (i === rounds - 1) for (const s of SERVICE_NAMES) b.log(`row 5 ${s} resident pages by mapping (MiB): ${JSON.stringify(mem[s].smaps)}`);
  }
  const by = Object.fromEntries(
    SERVICE_NAMES.map((s) => [
      s,
      {
        rss: spread(perRound.map((r) => r.mem[s].rssMiB)),
        atStop: spread(perRound.map((r) => r.mem[s].atStop.rssMiB)),
        last: perRound.at(-1).mem[s],
      },
    ]),
  );
  b.report.details.memory = { rounds: perRound };
  const worst = Math.max(...SERVICE_NAMES.map((s) => by[s].rss.max));
  b.report.row(
    5,
    `RSS 2 s after ${seconds} s of load (all services through the ingress, incl. logins), ${rounds} rounds: median (lowest–highest)`,
    SERVICE_NAMES.map((s) => {
      const x = by[s];
      return (
        `${s} ${round(x.rss.median, 0)} MiB (${round(x.rss.min, 0)}–${round(x.rss.max, 0)}; at the stop ${round(x.atStop.median, 0)}; ` +
        `last round anon ${round(x.last.anonMiB, 0)} + file ${round(x.last.fileMiB, 0)}, JS heap ${round(x.last.heapUsedMiB, 0)}/${round(x.last.heapTotalMiB, 0)})`
      );
    }).join(', ') +
      `; ${round(spread(perRound.map((r) => r.rps)).median, 0)} req/s of which ${round(spread(perRound.map((r) => r.loginRps)).median, 0)} logins/s`,
    `≤ ${TARGET_MIB} MiB each, every round`,
    worst <= TARGET_MIB,
    { worstMiB: round(worst, 1) },
  );
}
