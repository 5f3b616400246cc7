import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deliver, startPosts, startTestIssuer, type RunningPosts, type TestIssuer, type TestUser } from './harness.js';

/**
 * What posts publishes when content goes (docs/events.md "Removed content"): post.deleted,
 * comment.deleted and post.unliked, on the deletion's own transaction, through posts' outbox and
 * worker to a recording stand-in for notifications' events endpoint.
 */
let posts: RunningPosts;
let issuer: TestIssuer;
let author: TestUser, fan: TestUser, admin: TestUser;
let consumer: Server;
const received: Array<{ type: string; aggregateId: string; sequence: number; payload: Record<string, unknown> }> = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
  consumer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/internal/v1/notifications/events') received.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"outcome":"applied"}');
    });
  });
  await new Promise<void>((done) => consumer.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(consumer.address() as AddressInfo).port}`;
  posts = await startPosts({ JWKS_URL: issuer.jwksUrl, SERVICE_URL_NOTIFICATIONS: url });
  [author, fan] = await Promise.all([issuer.user('author'), issuer.user('fan')]);
  admin = await issuer.user('admin', ['user', 'admin']);
});
afterAll(async () => {
  await posts?.stop();
  await issuer?.stop();
  consumer?.close();
});

interface Published {
  sequence: number;
  payload: Record<string, unknown>;
}

/** The events of `type` about `aggregateId` delivered so far, once `count` have arrived (oldest first by sequence). */
async function published(type: string, aggregateId: string, count: number): Promise<Published[]> {
  const mine = () => received.filter((e) => e.type === type && e.aggregateId === aggregateId);
  const started = Date.now();
  while (mine().length < count && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 25));
  // A little longer, so that one too many would be seen too.
  await new Promise((r) => setTimeout(r, 150));
  return mine()
    .map((e) => ({ sequence: e.sequence, payload: e.payload }))
    .sort((a, b) => a.sequence - b.sequence);
}

const api = (method: string, path: string, who: TestUser, body?: unknown) => call(`${posts.base}${path}`, { method, headers: who.auth, body });
async function newPost(): Promise<string> {
  const res = await api('POST', '/api/v1/posts', author, { text: 'a post' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
async function newComment(postId: string, who: TestUser): Promise<string> {
  const res = await api('POST', `/api/v1/posts/${postId}/comments`, who, { text: 'a comment' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('removal events', () => {
  it('an unlike publishes post.unliked once, numbered after the like', async () => {
    const post = await newPost();
    expect((await api('POST', `/api/v1/posts/${post}/like`, fan)).status).toBe(200);
    expect((await api('DELETE', `/api/v1/posts/${post}/like`, fan)).status).toBe(200);
    expect((await api('DELETE', `/api/v1/posts/${post}/like`, fan)).status).toBe(200); // nothing left to unlike
    const [liked] = await published('post.liked', post, 1);
    expect(await published('post.unliked', post, 1)).toEqual([{ sequence: liked!.sequence + 1, payload: { authorId: author.id, likerId: fan.id } }]);
  });

  it("the author's deletion publishes post.deleted after the post's last sequence; a refused one publishes nothing", async () => {
    const post = await newPost();
    await api('POST', `/api/v1/posts/${post}/like`, fan);
    expect((await api('DELETE', `/api/v1/posts/${post}`, fan)).status).toBe(403);
    expect((await api('DELETE', `/api/v1/posts/${post}`, author)).status).toBe(204);
    const [liked] = await published('post.liked', post, 1);
    expect(await published('post.deleted', post, 1)).toEqual([{ sequence: liked!.sequence + 1, payload: { authorId: author.id } }]);
  });

  it("comments deleted by their writer, by the post's author or by an admin publish comment.deleted each", async () => {
    const post = await newPost();
    const [own, byAuthor, byAdmin] = [await newComment(post, fan), await newComment(post, fan), await newComment(post, fan)];
    expect((await api('DELETE', `/api/v1/posts/${post}/comments/${own}`, fan)).status).toBe(204);
    expect((await api('DELETE', `/api/v1/posts/${post}/comments/${byAuthor}`, author)).status).toBe(204);
    expect((await api('DELETE', `/api/v1/posts/moderation/${post}/comments/${byAdmin}`, admin)).status).toBe(204);
    expect((await api('DELETE', `/api/v1/posts/${post}/comments/${own}`, fan)).status).toBe(404); // gone already: nothing more
    const events = await published('comment.deleted', post, 3);
    // In the order of the deletions, each with a sequence of its own.
    expect(events.map((e) => e.payload)).toEqual(
      [own, byAuthor, byAdmin].map((commentId) => ({ authorId: author.id, commentId, commenterId: fan.id })),
    );
    expect(new Set(events.map((e) => e.sequence)).size).toBe(3);
  });

  it("an admin's removal and a report's remove_content publish post.deleted", async () => {
    const [moderated, reported] = [await newPost(), await newPost()];
    expect((await api('DELETE', `/api/v1/posts/moderation/${moderated}`, admin)).status).toBe(204);
    const removal = { type: 'content.removed', producer: 'users', sequence: 1, payload: { kind: 'post', actorId: admin.id, reportId: randomUUID() } };
    expect((await deliver(posts, { ...removal, aggregateId: reported })).status).toBe(200);
    expect((await deliver(posts, { ...removal, aggregateId: reported })).status).toBe(200); // again, as a new event: gone already
    expect((await published('post.deleted', moderated, 1)).map((e) => e.payload)).toEqual([{ authorId: author.id }]);
    expect((await published('post.deleted', reported, 1)).map((e) => e.payload)).toEqual([{ authorId: author.id }]);
  });

  it("an account's erasure publishes post.deleted for each of its posts", async () => {
    const gone = await issuer.user('gone');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await api('POST', '/api/v1/posts', gone, { text: `post ${i}` });
      expect(res.status).toBe(201);
      ids.push(res.body.id as string);
    }
    const erased = await deliver(posts, {
      type: 'account.deleted',
      producer: 'auth',
      aggregateId: gone.id,
      sequence: 1,
      payload: { status: 'deleted' },
    });
    expect(erased.status).toBe(200);
    for (const id of ids) expect((await published('post.deleted', id, 1)).map((e) => e.payload)).toEqual([{ authorId: gone.id }]);
  });

  it("a block's cleanup publishes post.unliked and comment.deleted for each like and comment it removes", async () => {
    const post = await newPost();
    await api('POST', `/api/v1/posts/${post}/like`, fan);
    const comment = await newComment(post, fan);
    const block = { type: 'relationship.updated', producer: 'users', aggregateId: author.id, sequence: 1 };
    expect((await deliver(posts, { ...block, payload: { ownerId: author.id, otherId: fan.id, blocked: true, muted: false } })).status).toBe(200);
    expect((await published('post.unliked', post, 1)).map((e) => e.payload)).toEqual([{ authorId: author.id, likerId: fan.id }]);
    expect((await published('comment.deleted', post, 1)).map((e) => e.payload)).toEqual([
      { authorId: author.id, commentId: comment, commenterId: fan.id },
    ]);
  });
});
