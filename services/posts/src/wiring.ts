import { AccountRateLimits, ServiceClient, ServiceEvents, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { PostsConfig } from './config.js';
import { CommentsService } from './domain/comments-service.js';
import { postsHandlers } from './domain/event-consumer.js';
import { FollowGraph } from './domain/follow-graph.js';
import { MediaCatalog } from './domain/media-catalog.js';
import { PostSearch } from './domain/post-search.js';
import { Moderation, PostsService } from './domain/posts-service.js';
import { PostEvents } from './domain/post-events.js';
import { ReportedContent } from './domain/reported-content.js';
import { RegisterRoutes } from './generated/routes.js';
import { declarePostsMetrics } from './metrics.js';
import { loadOpenApi } from '@agora/mesh';

/** What the controllers get (see ioc.ts). */
export interface PostsDeps {
  config: PostsConfig;
  posts: PostsService;
  comments: CommentsService;
  search: PostSearch;
  moderation: Moderation;
  reportedContent: ReportedContent;
  logger: ServiceContext<PostsConfig>['logger'];
  events: ServiceEvents;
  limits: AccountRateLimits<'post' | 'comment' | 'like'>;
}

/** Builds the posts service's object graph on its database and hands mesh its routes. */
export async function wirePosts({ config, db, metrics, logger }: ServiceContext<PostsConfig>): Promise<ServiceWiring> {
  const client = (callee: 'users' | 'media', baseUrl: string) =>
    new ServiceClient({
      caller: 'posts',
      callee,
      baseUrl,
      meshIdentity: config.MESH_IDENTITY,
      meshLocalKey: config.MESH_LOCAL_KEY,
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
    });
  const counters = declarePostsMetrics(metrics);
  // posts consumes profile.updated, relationship.updated, media.updated/deleted, content.removed and
  // account.deleted, and publishes post.created/liked/unliked/deleted and comment.created/deleted for
  // notifications (docs/events.md) — some from its handlers (a block's cleanup, a reported removal).
  const reportedContent = new ReportedContent(db, logger);
  const events = new ServiceEvents({
    service: 'posts',
    config,
    db,
    logger,
    registry: metrics.registry,
    handlers: (publisher) => postsHandlers(reportedContent, new PostEvents(publisher)),
  });
  const postEvents = new PostEvents(events.publisher);
  const posts = new PostsService(
    db,
    new FollowGraph(client('users', config.SERVICE_URL_USERS)),
    new MediaCatalog(client('media', config.SERVICE_URL_MEDIA)),
    counters,
    postEvents,
    config.FEED_EMBED_AUTHORS,
  );
  await events.start(); // the revocation set: authentication needs it from the first request
  const deps: PostsDeps = {
    config,
    posts,
    comments: new CommentsService(db, counters, postEvents),
    search: new PostSearch(db),
    moderation: new Moderation(db, logger, postEvents),
    reportedContent,
    logger,
    events,
    limits: new AccountRateLimits(db, { post: config.RATE_LIMIT_POSTS, comment: config.RATE_LIMIT_COMMENTS, like: config.RATE_LIMIT_LIKES }, metrics),
  };
  return {
    registerRoutes: RegisterRoutes,
    openapi: await loadOpenApi('posts'),
    revocations: events.revocations,
    deps,
    // The outbox's delivery needs not hold up the first request (ServiceEvents.startWorker).
    afterReady: () => events.startWorker(),
    onClose: () => events.stop(),
  };
}
