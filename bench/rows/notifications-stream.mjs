// Row 9: the notifications stream's fan-out. N users each hold an open stream (through the
// ingress, bearer token, as the web app's EventSource would with a ticket); one fan likes every one
// of their posts at once, and each like is timed from its request being sent to the `notification`
// event arriving on its author's stream: posts' outbox → notifications' inbox → LISTEN/NOTIFY →
// the stream (docs/benchmarks.md, row 9). Rounds of bursts; p50/p99 over every like of every round.
import { percentile, round } from '../lib/load.mjs';
import { newSession, postJson } from '../lib/stack.mjs';
import { openStream } from '../lib/sse.mjs';
import { cpuSecondsOf } from '../lib/procs.mjs';

/** CPU seconds used so far by each process of the path a like takes (and the bench's own client). */
async function cpuOfPath(stack) {
  const pids = { ingress: stack.ingress.pid, posts: stack.services.posts.pid, notifications: stack.services.notifications.pid };
  const out = { client: process.cpuUsage() };
  for (const [name, pid] of Object.entries(pids)) out[name] = await cpuSecondsOf(pid).catch(() => NaN);
  return out;
}

/** The issue's "within a second" for a notification (the notifications tests hold each like to it). */
export const TARGET_P99_MS = 1000;
/** Tries of one like that was shed (429/503 with Retry-After) before the row gives up on it. */
const MAX_TRIES = 3;

/**
 * One like as a client sends it: a refusal that says when to come back (429 or 503 problem+json with
 * Retry-After: load shedding, nothing written) is retried after that wait, and counted; any other
 * non-2xx is a failure of the row. Resolves with the answer time and the refusals on the way.
 */
async function likeAsAClient(url, headers) {
  const refusals = [];
  for (let attempt = 1; ; attempt += 1) {
    const res = await fetch(url, { method: 'POST', headers }).catch((err) => {
      // undici's "fetch failed" names nothing: the socket's own error (reset, closed) is in the cause.
      throw new Error(`like: no answer (${err.cause?.code ?? ''} ${err.cause?.message ?? err.message})`, { cause: err });
    });
    const body = await res.text();
    if (res.status < 300) return { answered: performance.now(), refusals };
    const retryAfter = Number(res.headers.get('retry-after'));
    const problem = res.headers.get('content-type')?.startsWith('application/problem+json') ? safeJson(body) : undefined;
    const shed = (res.status === 429 || res.status === 503) && problem && Number.isInteger(retryAfter) && retryAfter > 0;
    if (!shed || attempt >= MAX_TRIES) throw new Error(`like: ${res.status} ${body.slice(0, 300)}`);
    refusals.push({ status: res.status, type: problem.type, detail: problem.detail, retryAfter });
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
  }
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function notificationsStreamRow(b, stack) {
  const n = b.QUICK ? 20 : 100;
  const rounds = b.QUICK ? 2 : 3;
  const authors = [];
  // Sign-ups in small batches: each costs two argon2id hashes at auth.
  for (let i = 0; i < n; i += 10) {
    authors.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => newSession(stack.url, 'streamer')))));
  }
  // The row's burst is one fan liking every post at once (one fan per round). BENCH_ROW9_FANS=many is
  // a diagnostic, not the row's figure: n fans, each liking one post per round (a new pair each
  // round), to tell what one account's likes cost together (they share that account's rate-limit
  // row in posts: docs/benchmarks.md, row 9) from what the burst costs as such.
  const manyFans = process.env.BENCH_ROW9_FANS === 'many';
  const fans = [];
  for (let i = 0; i < (manyFans ? n : rounds); i += 10) {
    fans.push(...(await Promise.all(Array.from({ length: Math.min(10, (manyFans ? n : rounds) - i) }, () => newSession(stack.url, 'fan')))));
  }
  const posts = await Promise.all(
    authors.map(async (a) => {
      const p = await postJson(`${stack.url}/api/v1/posts`, { text: 'like me' }, b.bearer(a.token));
      if (p.status !== 201) throw new Error(`create post: ${p.status} ${JSON.stringify(p.body)}`);
      return p.body.id;
    }),
  );
  const streams = await Promise.all(authors.map((a) => openStream(`${stack.url}/api/v1/notifications/stream`, b.bearer(a.token))));
  const delays = [];
  // The like's own answer (sent → 2xx) and what follows it (2xx → event), to tell the request's
  // queueing from the delivery.
  const answers = [];
  const deliveries = [];
  // Likes shed on the way (each retried after its Retry-After, which its delay then includes).
  const refused = [];
  let cpuBefore;
  let cpuAfter;
  try {
    for (const s of streams) if (s.status !== 200) throw new Error(`stream: ${s.status}`);
    await Promise.all(streams.map((s) => s.next('ready', { ms: 10_000 })));
    cpuBefore = await cpuOfPath(stack);
    for (let r = 0; r < rounds; r += 1) {
      // A new fan per round: a like by the same fan again would only update the grouped entry.
      const fanOf = (i) => (manyFans ? fans[(i + r) % n] : fans[r]);
      const marks = streams.map((s) => s.events.length);
      const sent = [];
      const answered = [];
      await Promise.all(
        posts.map(async (postId, i) => {
          sent[i] = performance.now();
          const like = await likeAsAClient(`${stack.url}/api/v1/posts/${postId}/like`, b.bearer(fanOf(i).token));
          answered[i] = like.answered;
          refused.push(...like.refusals);
        }),
      );
      const got = await Promise.all(
        streams.map((s, i) => s.next('notification', { ms: 15_000, from: marks[i], match: (e) => e.data?.notification?.postId === posts[i] })),
      );
      got.forEach((e, i) => {
        delays.push(e.at - sent[i]);
        answers.push(answered[i] - sent[i]);
        deliveries.push(e.at - answered[i]);
      });
      b.log(`row 9 round ${r + 1}/${rounds}: ${n} likes → ${n} streams, slowest ${round(Math.max(...got.map((e, i) => e.at - sent[i])), 0)} ms`);
    }
    cpuAfter = await cpuOfPath(stack);
  } finally {
    for (const s of streams) s.close();
  }
  // Where the rounds' CPU went, per like: the path's processes (PostgreSQL's own is not counted).
  const likes = n * rounds;
  const cpuPerLike = Object.fromEntries(
    ['ingress', 'posts', 'notifications'].map((k) => [k, round(((cpuAfter[k] - cpuBefore[k]) * 1000) / likes, 2)]),
  );
  const clientUs = process.cpuUsage(cpuBefore.client);
  cpuPerLike.client = round((clientUs.user + clientUs.system) / 1000 / likes, 2);
  const sorted = Float64Array.from(delays).sort();
  const p = (xs, q) => round(percentile(Float64Array.from(xs).sort(), q), 0);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  b.report.details.notificationsStream = { streams: n, rounds, delaysMs: delays.map((d) => round(d, 1)), refused, cpuPerLikeMs: cpuPerLike };
  const shed = refused.length
    ? `; ${refused.length} answers shed and retried after Retry-After: ${[...new Set(refused.map((r) => `${r.status} ${r.detail}`))].join('; ')}`
    : '; none shed';
  b.report.row(
    9,
    `notifications stream fan-out: ${n} open streams through the ingress, ${n} likes at once ${manyFans ? `by ${n} fans (diagnostic)` : 'by one fan'}, ${rounds} rounds (like sent → its notification on the author's stream)`,
    `p50 ${round(p50, 0)} ms, p99 ${round(p99, 0)} ms, max ${round(sorted.at(-1), 0)} ms over ${delays.length} likes ` +
      `(of which the like's own answer p50 ${p(answers, 50)} / p99 ${p(answers, 99)} ms, then delivery p50 ${p(deliveries, 50)} / p99 ${p(deliveries, 99)} ms${shed}; ` +
      `CPU per like: ${Object.entries(cpuPerLike)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ')})`,
    `≤ ${TARGET_P99_MS} ms p99`,
    p99 <= TARGET_P99_MS,
    { p50Ms: round(p50, 1), p99Ms: round(p99, 1), shed: refused.length },
  );
}
