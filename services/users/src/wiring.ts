import { ServiceClient, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { UsersConfig } from './config.js';
import { defineModels, type UsersModels } from './models/index.js';
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
  models: UsersModels;
  moderation: Moderation;
}

/** Builds the users service's object graph on its database and hands mesh its routes. */
export async function wireUsers({ config, sequelize }: ServiceContext<UsersConfig>): Promise<ServiceWiring> {
  const models = defineModels(sequelize);
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
    sequelize,
    models,
    new MediaAvatarCheck(client('media', config.SERVICE_URL_MEDIA)),
    new AuthAccountRevoker(client('auth', config.SERVICE_URL_AUTH)),
  );
  const moderation = new Moderation(sequelize, models, new AuthSuspension(client('auth', config.SERVICE_URL_AUTH)));
  const deps: UsersDeps = { config, profiles, follows: new Follows(sequelize), models, moderation };
  return { registerRoutes: RegisterRoutes, openapi: await loadOpenApi('users'), deps };
}
