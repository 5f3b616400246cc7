import { startFakePosts, type FakePosts } from './fake-posts.js';
import { MESH_KEY, startMedia, type RunningMedia } from './harness.js';
import { startIssuer, type TestIssuer } from './tokens.js';

/** Media trusting a test issuer of user tokens; `stop` ends both, media first. */
export interface MediaWithIssuer {
  media: RunningMedia;
  issuer: TestIssuer;
  stop(): Promise<void>;
}

/** Media and the issuer its tests sign users with: what most media test files start. */
export async function startMediaWithIssuer(env: Record<string, string> = {}): Promise<MediaWithIssuer> {
  const issuer = await startIssuer();
  const media = await startMedia({ JWKS_URL: issuer.jwksUrl, ...env }).catch(async (err: unknown) => {
    await issuer.stop();
    throw err;
  });
  return {
    media,
    issuer,
    stop: async () => {
      await media.stop();
      await issuer.stop();
    },
  };
}

/** As above, with the event worker on and delivering to a fake posts, for the tests of what media publishes. */
export async function startMediaWithFakePosts(): Promise<MediaWithIssuer & { posts: FakePosts }> {
  const posts = await startFakePosts(MESH_KEY);
  const started = await startMediaWithIssuer({ WORKER_ENABLED: 'true', SERVICE_URL_POSTS: posts.base }).catch(async (err: unknown) => {
    await posts.stop();
    throw err;
  });
  return {
    ...started,
    posts,
    stop: async () => {
      await started.stop();
      await posts.stop();
    },
  };
}
