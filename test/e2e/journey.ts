import { expect } from 'vitest';
import { createAgoraClient } from '../../openapi/client/index.js';
import { pngBytes } from '../helpers/image-bytes.js';

/**
 * The journey of issue 3's "done when", through an ingress at `baseUrl` only, with the typed client
 * generated from the public contract: register, sign in, write a bio, follow someone, see their posts
 * in the feed, like and comment, upload media and attach it to a post and as the avatar. Run against
 * the local stack (journey.test.ts), the service images (test/images/containers.test.ts) and a real
 * cluster's Istio ingress (scripts/cluster-smoke.sh). Media bytes go to the signed URL media hands
 * out, which must be on the same origin as the ingress (the local object store, or S3/MinIO routed there).
 */
async function person(baseUrl: string, name: string) {
  const username = `${name}_${Date.now().toString(36)}`;
  const password = 'correct horse battery staple';
  const session: { token?: string } = {};
  const api = createAgoraClient(baseUrl, () => session.token);
  const reg = await api.POST('/api/v1/auth/register', { body: { username, email: `${username}@example.com`, password } });
  expect(reg.response.status).toBe(201);
  const login = await api.POST('/api/v1/auth/login', { body: { login: username, password } });
  expect(login.response.status).toBe(200);
  const data = login.data!;
  if (!('accessToken' in data)) throw new Error('unexpected second-factor challenge');
  session.token = data.accessToken;
  const me = await api.GET('/api/v1/users/me');
  expect(me.response.status).toBe(200);
  return { api, id: me.data!.id, username };
}

export async function runJourney(baseUrl: string): Promise<void> {
  const ada = await person(baseUrl, 'ada');
  const bob = await person(baseUrl, 'bob');

  const bio = await bob.api.PATCH('/api/v1/users/me', { body: { bio: 'Here for the engines.', displayName: 'Bob' } });
  expect(bio.data).toMatchObject({ bio: 'Here for the engines.', displayName: 'Bob' });

  const post = await ada.api.POST('/api/v1/posts', { body: { text: 'Hello from Ada' } });
  expect(post.response.status).toBe(201);
  const postId = post.data!.id;

  expect((await bob.api.POST('/api/v1/users/{id}/follow', { params: { path: { id: ada.id } } })).data).toMatchObject({
    following: true,
    followerCount: 1,
  });
  const adaProfile = await bob.api.GET('/api/v1/users/by-username/{username}', { params: { path: { username: ada.username } } });
  expect(adaProfile.data?.followerCount).toBe(1);

  const feed = await bob.api.GET('/api/v1/feed', { params: { query: { limit: 10 } } });
  expect(feed.response.status).toBe(200);
  expect(feed.data!.items.map((p) => p.id)).toEqual([postId]);

  const like = await bob.api.POST('/api/v1/posts/{id}/like', { params: { path: { id: postId } } });
  expect(like.data).toMatchObject({ likedByMe: true, likeCount: 1 });
  const comment = await bob.api.POST('/api/v1/posts/{id}/comments', { params: { path: { id: postId } }, body: { text: 'Welcome!' } });
  expect(comment.response.status).toBe(201);
  const comments = await ada.api.GET('/api/v1/posts/{id}/comments', { params: { path: { id: postId } } });
  expect(comments.data!.items.map((c) => c.text)).toEqual(['Welcome!']);

  // Media: a signed upload URL, the bytes straight to the object store (through the ingress), completion.
  const bytes = pngBytes(256);
  const ticket = await ada.api.POST('/api/v1/media/uploads', { body: { contentType: 'image/png', sizeBytes: bytes.length } });
  expect(ticket.response.status).toBe(201);
  const upload = await fetch(ticket.data!.uploadUrl, { method: 'PUT', headers: ticket.data!.uploadHeaders, body: new Uint8Array(bytes) });
  expect(upload.status).toBeLessThan(300);
  expect(new URL(ticket.data!.uploadUrl).origin).toBe(new URL(baseUrl).origin); // bytes never pass through the API services
  const done = await ada.api.POST('/api/v1/media/{id}/complete', { params: { path: { id: ticket.data!.id } } });
  expect(done.data?.status).toBe('uploaded');

  const withMedia = await ada.api.POST('/api/v1/posts', { body: { text: 'A picture', mediaIds: [ticket.data!.id] } });
  expect(withMedia.data?.mediaIds).toEqual([ticket.data!.id]);
  const avatar = await ada.api.PATCH('/api/v1/users/me', { body: { avatarMediaId: ticket.data!.id } });
  expect(avatar.data?.avatarMediaId).toBe(ticket.data!.id);
  // Someone else's media can't be attached.
  const stolen = await bob.api.POST('/api/v1/posts', { body: { text: 'mine now', mediaIds: [ticket.data!.id] } });
  expect(stolen.response.status).toBe(400);

  const media = await bob.api.GET('/api/v1/media/{id}', { params: { path: { id: ticket.data!.id } } });
  const download = await fetch(media.data!.downloadUrl!);
  expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

  const feedAgain = await bob.api.GET('/api/v1/feed');
  expect(feedAgain.data!.items.map((p) => p.text)).toEqual(['A picture', 'Hello from Ada']);
}
