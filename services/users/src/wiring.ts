import { AccountRateLimits, ServiceClient, ServiceEvents, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { UsersConfig } from './config.js';
import { accountHandlers } from './domain/account-consumer.js';
import { Follows } from './domain/follows.js';
import { FollowEvents } from './domain/follow-events.js';
import { ProfileEvents } from './domain/profile-events.js';
import { Profiles } from './domain/profiles.js';
import { PublicUsers } from './domain/public-users.js';
import { UserSearch } from './domain/user-search.js';
import { AuthAccountRevoker, AuthSuspension, MediaAvatarCheck, PostsContent } from './domain/remote.js';
import { ContentEvents } from './domain/content-events.js';
import { Moderation } from './domain/moderation.js';
import { Reports } from './domain/reports.js';
import { Relationships } from './domain/relationships.js';
import { RelationshipEvents } from './domain/relationship-events.js';
import { RegisterRoutes } from './generated/routes.js';
import { loadOpenApi } from '@agora/mesh';

/** What the controllers get (see ioc.ts). */
export interface UsersDeps {
  config: UsersConfig;
  profiles: Profiles;
  follows: Follows;
  relationships: Relationships;
  publicUsers: PublicUsers;
  userSearch: UserSearch;
  moderation: Moderation;
  reports: Reports;
  events: ServiceEvents;
  limits: AccountRateLimits<'follow'>;
}

/** Builds the users service's object graph on its database and hands mesh its routes. */
export async function wireUsers({ config, db, logger, metrics }: ServiceContext<UsersConfig>): Promise<ServiceWiring> {
  const client = (callee: string, baseUrl: string) =>
    new ServiceClient({
      caller: 'users',
      callee,
      baseUrl,
      meshIdentity: config.MESH_IDENTITY,
      meshLocalKey: config.MESH_LOCAL_KEY,
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
    });
  // users consumes auth's account events and publishes profile.updated, user.followed, relationship.updated
  // and content.removed (docs/events.md).
  const events = new ServiceEvents({
    service: 'users',
    config,
    db,
    logger,
    registry: metrics.registry,
    handlers: (publisher) => accountHandlers(new ProfileEvents(publisher)),
  });
  const profileEvents = new ProfileEvents(events.publisher);
  const profiles = new Profiles(
    db,
    new MediaAvatarCheck(client('media', config.SERVICE_URL_MEDIA)),
    new AuthAccountRevoker(client('auth', config.SERVICE_URL_AUTH)),
    profileEvents,
  );
  const moderation = new Moderation(db, new AuthSuspension(client('auth', config.SERVICE_URL_AUTH)), logger);
  await events.start(); // the revocation set: authentication needs it from the first request
  const deps: UsersDeps = {
    config,
    profiles,
    follows: new Follows(db, new FollowEvents(events.publisher)),
    relationships: new Relationships(db, new RelationshipEvents(events.publisher)),
    publicUsers: new PublicUsers(db),
    userSearch: new UserSearch(db),
    moderation,
    reports: new Reports(db, moderation, new PostsContent(client('posts', config.SERVICE_URL_POSTS)), new ContentEvents(events.publisher), logger),
    events,
    limits: new AccountRateLimits(db, { follow: config.RATE_LIMIT_FOLLOWS }, metrics),
  };
  return {
    registerRoutes: RegisterRoutes,
    openapi: await loadOpenApi('users'),
    revocations: events.revocations,
    deps,
    // The outbox's delivery needs not hold up the first request (ServiceEvents.startWorker).
    afterReady: () => events.startWorker(),
    onClose: () => events.stop(),
  };
}
