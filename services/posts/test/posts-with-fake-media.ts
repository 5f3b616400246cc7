import { startFakeMedia, startPosts, startTestIssuer, type FakeMedia, type RunningPosts, type TestIssuer } from './harness.js';

/** Posts trusting a test issuer, with a fake media service behind SERVICE_URL_MEDIA. */
export interface PostsWithFakeMedia {
  issuer: TestIssuer;
  media: FakeMedia;
  posts: RunningPosts;
  /** Stops all three, posts first. */
  stop(): Promise<void>;
}

/** What the tests of embedded authors and media start: posts, the media it asks, and an issuer of tokens. */
export async function startPostsWithFakeMedia(): Promise<PostsWithFakeMedia> {
  const issuer = await startTestIssuer();
  const media = await startFakeMedia().catch(async (err: unknown) => {
    await issuer.stop();
    throw err;
  });
  const stopHelpers = async () => {
    await media.stop();
    await issuer.stop();
  };
  const posts = await startPosts({ JWKS_URL: issuer.jwksUrl, SERVICE_URL_MEDIA: media.base }).catch(async (err: unknown) => {
    await stopHelpers();
    throw err;
  });
  return {
    issuer,
    media,
    posts,
    stop: async () => {
      await posts.stop();
      await stopHelpers();
    },
  };
}
