import * as z from 'zod';
import { ACCOUNT_LIMIT_SETTINGS, baseConfigSchema, loadConfig } from '@agora/mesh';

export const postsConfigSchema = baseConfigSchema.extend({
  /** Base URL of the users service (follow graph for the feed), e.g. http://users.agora.svc.cluster.local. */
  SERVICE_URL_USERS: z.string().url(),
  /** Base URL of the media service (owner and state of media ids attached to posts). */
  SERVICE_URL_MEDIA: z.string().url(),
  /** Hard timeout of one service-to-service call; past it the caller gets a fast 503. */
  SERVICE_CALL_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(1_000),
  // Per-account budgets (mesh/src/limits, SECURITY.md).
  ...ACCOUNT_LIMIT_SETTINGS.post,
  ...ACCOUNT_LIMIT_SETTINGS.comment,
  ...ACCOUNT_LIMIT_SETTINGS.like,
});

export type PostsConfig = z.infer<typeof postsConfigSchema>;

export function loadPostsConfig(env: NodeJS.ProcessEnv = process.env): PostsConfig {
  return loadConfig(postsConfigSchema, env);
}
