import * as z from 'zod';
import { ACCOUNT_LIMIT_SETTINGS, baseConfigSchema, loadConfig } from '@agora/mesh';

export const usersConfigSchema = baseConfigSchema.extend({
  /** Base URL of auth (internal account deletion), e.g. http://auth.agora.svc.cluster.local. */
  SERVICE_URL_AUTH: z.string().url(),
  /** Base URL of media (internal media lookup for avatars), e.g. http://media.agora.svc.cluster.local. */
  SERVICE_URL_MEDIA: z.string().url(),
  /** Base URL of posts (internal lookup of a reported post or comment), e.g. http://posts.agora.svc.cluster.local. */
  SERVICE_URL_POSTS: z.string().url(),
  /** Timeout of one service-to-service call. */
  SERVICE_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  // Per-account budget (mesh/src/limits, SECURITY.md).
  ...ACCOUNT_LIMIT_SETTINGS.follow,
});

export type UsersConfig = z.infer<typeof usersConfigSchema>;

export function loadUsersConfig(env: NodeJS.ProcessEnv = process.env): UsersConfig {
  return loadConfig(usersConfigSchema, env);
}
