// Row 10: read model vs batch lookup for the feed's authors. The feed embeds each item's author from
// posts' read model; the alternative is the page without authors plus one batch lookup at users for
// the page's authors. Both are timed per page view by a closed loop, in interleaved rounds:
//   embedded: GET /api/v1/feed?limit=20
//   lookup:   the same page, then GET <USERS_BATCH_LOOKUP_PATH>?ids=<its distinct authors>
// posts has no feed without the embedding, so the lookup arm still carries the embedded authors:
// it is the batch approach's cost plus the embedding's (≈ 0.3 ms of SQL a page, docs/benchmarks.md
// "Posts: embedding and search"), an upper bound of what it would cost instead (row 10).
import { percentile, round } from '../lib/load.mjs';
import { getJson, newSession, postJson, refreshSession } from '../lib/stack.mjs';
import { fmtSpread, interleave, spread } from '../lib/interleave.mjs';
import { sleep } from '../lib/procs.mjs';

/** users' batch lookup (`ids=a,b,…`, at most 100): one constant, the path the contract gives it. */
export const USERS_BATCH_LOOKUP_PATH = '/api/v1/users';

const AUTHORS = 20;
const CONCURRENCY = 2;

/** Runs `once` back to back on `concurrency` loops for `seconds`; the latency of each call (ms). */
async function closedLoop(concurrency, seconds, once) {
  const until = performance.now() + seconds * 1000;
  const times = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await once();
        times.push(performance.now() - t0);
      }
    }),
  );
  return Float64Array.from(times).sort();
}

async function okJson(url, headers) {
  const r = await getJson(url, headers);
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}

export async function feedAuthorsRow(b, stack, viewer) {
  const posts = stack.services.posts.base;
  const users = stack.services.users.base;
  // A fresh token: the row runs late in the bench, and an access token lives 15 minutes.
  const h = b.bearer(await refreshSession(stack.services.auth.base, viewer));
  // 20 authors the viewer follows, two posts each, written round-robin so that the first page holds
  // one post by every author (the lookup asks for 20 ids, as a real page of varied authors would).
  const authors = await Promise.all(Array.from({ length: AUTHORS }, () => newSession(stack.url, 'author')));
  for (const a of authors) {
    const f = await fetch(`${stack.url}/api/v1/users/${a.id}/follow`, { method: 'POST', headers: h });
    await f.arrayBuffer();
    if (f.status >= 300) throw new Error(`follow: ${f.status}`);
  }
  for (let k = 0; k < 2; k += 1) {
    for (const a of authors) {
      const p = await postJson(`${stack.url}/api/v1/posts`, { text: `post ${k} by ${a.username}` }, b.bearer(a.token));
      if (p.status !== 201) throw new Error(`create post: ${p.status} ${JSON.stringify(p.body)}`);
    }
  }
  // The authors' profiles reach posts' read model by events: wait until the page embeds every one.
  const feedUrl = `${posts}/api/v1/feed?limit=20`;
  for (let t0 = performance.now(); ; await sleep(100)) {
    const page = await okJson(feedUrl, h);
    if (page.items.length === 20 && page.items.every((i) => i.author?.username)) break;
    if (performance.now() - t0 > 20_000) throw new Error(`the feed did not embed its 20 authors within 20 s: ${JSON.stringify(page).slice(0, 300)}`);
  }
  const lookupOnce = async () => {
    const page = await okJson(feedUrl, h);
    const ids = [...new Set(page.items.map((i) => i.authorId))];
    const found = await okJson(`${users}${USERS_BATCH_LOOKUP_PATH}?ids=${ids.join(',')}`, h);
    if (found.items.length !== ids.length) throw new Error(`lookup: ${found.items.length} of ${ids.length} authors`);
  };
  const check = await okJson(`${users}${USERS_BATCH_LOOKUP_PATH}?ids=${authors.map((a) => a.id).join(',')}`, h);
  if (check.items.length !== AUTHORS) throw new Error(`lookup found ${check.items.length} of ${AUTHORS} authors`);

  const rounds = b.QUICK ? 3 : 5;
  const seconds = b.D(8);
  await closedLoop(CONCURRENCY, 1, () => okJson(feedUrl, h));
  await closedLoop(CONCURRENCY, 1, lookupOnce);
  const runs = await interleave(
    rounds,
    {
      embedded: () => closedLoop(CONCURRENCY, seconds, () => okJson(feedUrl, h)),
      lookup: () => closedLoop(CONCURRENCY, seconds, lookupOnce),
    },
    { log: (line) => b.log(`row 10 ${line}`) },
  );
  const pooled = (arm) => Float64Array.from(runs[arm].flatMap((r) => [...r])).sort();
  const all = { embedded: pooled('embedded'), lookup: pooled('lookup') };
  const p99Ratio = spread(runs.embedded.map((e, i) => percentile(runs.lookup[i], 99) / percentile(e, 99)));
  const p50Ratio = spread(runs.embedded.map((e, i) => percentile(runs.lookup[i], 50) / percentile(e, 50)));
  const fmt = (x) => `p50 ${round(percentile(x, 50), 2)} ms, p99 ${round(percentile(x, 99), 2)} ms (${x.length} pages)`;
  b.report.details.feedAuthors = {
    rounds,
    seconds,
    embedded: { p50: percentile(all.embedded, 50), p99: percentile(all.embedded, 99), n: all.embedded.length },
    lookup: { p50: percentile(all.lookup, 50), p99: percentile(all.lookup, 99), n: all.lookup.length },
    p99Ratio,
    p50Ratio,
  };
  b.report.row(
    10,
    `feed authors: read model vs batch lookup (first page, ${AUTHORS} authors, ${CONCURRENCY} closed loops straight to the services, ${rounds} interleaved rounds of ${seconds} s)`,
    `embedded ${fmt(all.embedded)}; page + ${USERS_BATCH_LOOKUP_PATH} ${fmt(all.lookup)}; lookup ÷ embedded p99 ${fmtSpread(p99Ratio)}, p50 ${fmtSpread(p50Ratio)}`,
    '',
    null, // posts has no feed without the embedding to hold the "≤ 1.2× the feed without" against
  );
}
