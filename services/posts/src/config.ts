import * as z from 'zod';
import { ACCOUNT_LIMIT_SETTINGS, baseConfigSchema, loadConfig } from '@agora/mesh';

export const postsConfigSchema = baseConfigSchema.extend({
  /** Base URL of the users service (follow graph for the feed), e.g. http://users.agora.svc.cluster.local. */
  SERVICE_URL_USERS: z.string().url(),
  /** Base URL of the media service (owner and state of media ids attached to posts). */
  SERVICE_URL_MEDIA: z.string().url(),
  /** Hard timeout of one service-to-service call; past it the caller gets a fast 503. */
  SERVICE_CALL_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(1_000),
  /**
   * `false` serves the feed without its authors' names and avatars (each item's `author` then has
   * the id and null names, as for an author the read model has not heard of). Only bench row 10 sets
   * it, on a second posts process, as the baseline "the feed without authors" the embedding is held
   * against (docs/benchmarks.md, row 10); every deployment keeps the default.
   */
  FEED_EMBED_AUTHORS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  // Per-account budgets (mesh/src/limits, SECURITY.md).
  ...ACCOUNT_LIMIT_SETTINGS.post,
  ...ACCOUNT_LIMIT_SETTINGS.comment,
  ...ACCOUNT_LIMIT_SETTINGS.like,
});

export type PostsConfig = z.infer<typeof postsConfigSchema>;

export function loadPostsConfig(env: NodeJS.ProcessEnv = process.env): PostsConfig {
  return loadConfig(postsConfigSchema, env);
}
