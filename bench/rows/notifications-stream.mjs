// Row 9: the notifications stream's fan-out. N users each hold an open stream (through the
// ingress, bearer token, as the web app's EventSource would with a ticket); one fan likes every one
// of their posts at once, and each like is timed from its request being sent to the `notification`
// event arriving on its author's stream: posts' outbox → notifications' inbox → LISTEN/NOTIFY →
// the stream (docs/benchmarks.md, row 9). Rounds of bursts; p50/p99 over every like of every round.
import { percentile, round } from '../lib/load.mjs';
import { newSession, postJson } from '../lib/stack.mjs';
import { openStream } from '../lib/sse.mjs';

/** The "within a second" for a notification (the notifications tests hold each like to it). */
export const TARGET_P99_MS = 1000;

export async function notificationsStreamRow(b, stack) {
  const n = b.QUICK ? 20 : 100;
  const rounds = b.QUICK ? 2 : 3;
  const authors = [];
  // Sign-ups in small batches: each costs two argon2id hashes at auth.
  for (let i = 0; i < n; i += 10) {
    authors.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => newSession(stack.url, 'streamer')))));
  }
  const fans = [];
  for (let r = 0; r < rounds; r += 1) fans.push(await newSession(stack.url, 'fan'));
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
  try {
    for (const s of streams) if (s.status !== 200) throw new Error(`stream: ${s.status}`);
    await Promise.all(streams.map((s) => s.next('ready', { ms: 10_000 })));
    for (let r = 0; r < rounds; r += 1) {
      // A new fan per round: a like by the same fan again would only update the grouped entry.
      const fan = fans[r];
      const marks = streams.map((s) => s.events.length);
      const sent = [];
      const answered = [];
      await Promise.all(
        posts.map(async (postId, i) => {
          sent[i] = performance.now();
          const res = await fetch(`${stack.url}/api/v1/posts/${postId}/like`, { method: 'POST', headers: b.bearer(fan.token) });
          await res.arrayBuffer();
          answered[i] = performance.now();
          if (res.status >= 300) throw new Error(`like: ${res.status}`);
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
  } finally {
    for (const s of streams) s.close();
  }
  const sorted = Float64Array.from(delays).sort();
  const p = (xs, q) => round(percentile(Float64Array.from(xs).sort(), q), 0);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  b.report.details.notificationsStream = { streams: n, rounds, delaysMs: delays.map((d) => round(d, 1)) };
  b.report.row(
    9,
    `notifications stream fan-out: ${n} open streams through the ingress, ${n} likes at once, ${rounds} rounds (like sent → its notification on the author's stream)`,
    `p50 ${round(p50, 0)} ms, p99 ${round(p99, 0)} ms, max ${round(sorted.at(-1), 0)} ms over ${delays.length} likes ` +
      `(of which the like's own answer p50 ${p(answers, 50)} / p99 ${p(answers, 99)} ms, then delivery p50 ${p(deliveries, 50)} / p99 ${p(deliveries, 99)} ms)`,
    `≤ ${TARGET_P99_MS} ms p99`,
    p99 <= TARGET_P99_MS,
    { p50Ms: round(p50, 1), p99Ms: round(p99, 1) },
  );
}
