import { DEMO_USERS, expectStatus, signInDemo } from '@agora/mesh/local/demo';

/**
 * Local-run demo data, posts' part: the demo users' posts, then likes and comments between people who
 * follow each other. Idempotent: a user who already has posts is left alone.
 */
const ingress = process.env.AGORA_INGRESS_URL;
if (!ingress) {
  console.error('posts seed: AGORA_INGRESS_URL is required (run by `npm start`)');
  process.exit(78);
}
const sessions = new Map<string, Awaited<ReturnType<typeof signInDemo>>>();
const ids = new Map<string, string>();
for (const user of DEMO_USERS) {
  const api = await signInDemo(ingress, user.username);
  sessions.set(user.username, api);
  const me = await api<{ id: string }>('GET', '/api/v1/users/me');
  expectStatus(`profile of ${user.username}`, me, 200);
  ids.set(user.username, me.body.id);
}
let created = 0;
const newPosts = new Map<string, string[]>();
for (const user of DEMO_USERS) {
  const api = sessions.get(user.username)!;
  const existing = await api<{ items: unknown[] }>('GET', '/api/v1/posts?limit=1');
  expectStatus(`posts of ${user.username}`, existing, 200);
  if (existing.body.items.length > 0) continue;
  for (const text of user.posts) {
    const res = await api<{ id: string }>('POST', '/api/v1/posts', { text });
    expectStatus(`post by ${user.username}`, res, 201);
    newPosts.set(user.username, [...(newPosts.get(user.username) ?? []), res.body.id]);
    created += 1;
  }
}
// Followers like and comment on the new posts of the people they follow.
let reactions = 0;
for (const user of DEMO_USERS) {
  const api = sessions.get(user.username)!;
  for (const followee of user.follows) {
    for (const postId of newPosts.get(followee) ?? []) {
      expectStatus('like', await api('POST', `/api/v1/posts/${postId}/like`), 200);
      expectStatus('comment', await api('POST', `/api/v1/posts/${postId}/comments`, { text: `Nice one, ${followee}!` }), 201);
      reactions += 1;
    }
  }
}
console.log(`posts seed: ${created} post(s) and ${reactions} like+comment pair(s) created${created === 0 ? ' (demo posts already there)' : ''}`);
