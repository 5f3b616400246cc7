import { ServiceClient, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { UsersConfig } from './config.js';
import { Follows } from './domain/follows.js';
import { Profiles } from './domain/profiles.js';
import { AuthAccountRevoker, AuthSuspension, MediaAvatarCheck } from './domain/remote.js';
import { Moderation } from './domain/moderation.js';
import { RegisterRoutes } from './generated/routes.js';
import { loadOpenApi } from '@agora/mesh';

/** What the controllers get (see ioc.ts). */
export interface UsersDeps {
  config: UsersConfig;
  profiles: Profiles;
  follows: Follows;
  moderation: Moderation;
}

/** Builds the users service's object graph on its database and hands mesh its routes. */
export async function wireUsers({ config, db }: ServiceContext<UsersConfig>): Promise<ServiceWiring> {
  const client = (callee: string, baseUrl: string) =>
    new ServiceClient({
      caller: 'users',
      callee,
      baseUrl,
      meshIdentity: config.MESH_IDENTITY,
      meshLocalKey: config.MESH_LOCAL_KEY,
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
    });
  const profiles = new Profiles(
    db,
    new MediaAvatarCheck(client('media', config.SERVICE_URL_MEDIA)),
    new AuthAccountRevoker(client('auth', config.SERVICE_URL_AUTH)),
  );
  const moderation = new Moderation(db, new AuthSuspension(client('auth', config.SERVICE_URL_AUTH)));
  const deps: UsersDeps = { config, profiles, follows: new Follows(db), moderation };
  return { registerRoutes: RegisterRoutes, openapi: await loadOpenApi('users'), deps };
}
