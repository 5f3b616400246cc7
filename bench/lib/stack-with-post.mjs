// What the one-service tools (bench/ab-posts.mjs, bench/ab-memory.mjs, bench/leak-check.mjs) share:
// the stack with one signed-in viewer and one post, and the request mix row 5 gives posts, so the
// memory tools load a service instance the same way.
import { newSession, postJson, startOtlpSink, startPostgres, startStack } from './stack.mjs';

export async function startStackWithPost(label, log) {
  const pg = await startPostgres();
  const sink = await startOtlpSink();
  const stack = await startStack({ adminUrl: pg.adminUrl, otlpEndpoint: sink.url, log });
  const viewer = await newSession(stack.url, label);
  const bearer = { authorization: `Bearer ${viewer.token}` };
  const created = await postJson(`${stack.url}/api/v1/posts`, { text: 'The post every round reads.' }, bearer);
  if (created.status !== 201) throw new Error(`create post: ${created.status}`);
  return { stack, viewer, bearer, postId: created.body.id };
}

/** Reads (the post, the feed) and writes (new posts): row 5's load on posts. */
export function postsRequests(postId, bearer) {
  return [
    { method: 'GET', path: `/api/v1/posts/${postId}`, headers: bearer },
    { method: 'GET', path: '/api/v1/feed?limit=20', headers: bearer },
    {
      method: 'POST',
      path: '/api/v1/posts',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'a post written under load' }),
    },
  ];
}
