import { ServiceClient, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { PostsConfig } from './config.js';
import { initModels } from './models/index.js';
import { FollowGraph } from './domain/follow-graph.js';
import { MediaCatalog } from './domain/media-catalog.js';
import { PostsService } from './domain/posts-service.js';
import { RegisterRoutes } from './generated/routes.js';
import { loadOpenApi } from './openapi.js';

/** What the controllers get (see ioc.ts). */
export interface PostsDeps {
  config: PostsConfig;
  posts: PostsService;
}

/** Builds the posts service's object graph on its database and hands mesh its routes. */
export async function wirePosts({ config, sequelize }: ServiceContext<PostsConfig>): Promise<ServiceWiring> {
  initModels(sequelize);
  const client = (callee: 'users' | 'media', baseUrl: string) =>
    new ServiceClient({
      caller: 'posts',
      callee,
      baseUrl,
      meshIdentity: config.MESH_IDENTITY,
      meshLocalKey: config.MESH_LOCAL_KEY,
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
    });
  const posts = new PostsService(
    sequelize,
    new FollowGraph(client('users', config.SERVICE_URL_USERS)),
    new MediaCatalog(client('media', config.SERVICE_URL_MEDIA)),
  );
  const deps: PostsDeps = { config, posts };
  return { registerRoutes: RegisterRoutes, openapi: await loadOpenApi(), deps };
}
