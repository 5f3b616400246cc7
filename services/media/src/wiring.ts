import { AccountRateLimits, ServiceEvents, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { MediaConfig } from './config.js';
import { mediaHandlers } from './domain/event-consumer.js';
import { MediaEvents } from './domain/media-events.js';
import { MediaService } from './domain/media-service.js';
import { LocalObjectStore } from './domain/local-store.js';
import { MediaSizeBackfill } from './domain/size-backfill.js';
import type { ObjectStore } from './domain/object-store.js';
import { RegisterRoutes } from './generated/routes.js';
import { loadOpenApi } from '@agora/mesh';

/** What the controllers get (see ioc.ts). */
export interface MediaDeps {
  config: MediaConfig;
  media: MediaService;
  store: ObjectStore;
  events: ServiceEvents;
  limits: AccountRateLimits<'upload'>;
  /** Fills width and height of media uploaded before they were recorded (a pass at every start). */
  sizeBackfill: MediaSizeBackfill;
}

/**
 * The object store MEDIA_STORE selects (config.ts guarantees its settings are present). The S3 store
 * is loaded only when selected: the AWS SDK is the largest part of media's bundle, and a local-store
 * process must not evaluate it at start.
 */
export async function createObjectStore(config: MediaConfig): Promise<ObjectStore> {
  if (config.MEDIA_STORE === 'local') {
    return new LocalObjectStore({
      publicUrl: config.LOCAL_STORE_URL!,
      internalUrl: config.LOCAL_STORE_INTERNAL_URL,
      signingKey: config.LOCAL_STORE_SIGNING_KEY!,
      ttlSeconds: config.MEDIA_URL_TTL_SECONDS,
    });
  }
  const { S3ObjectStore } = await import('./domain/s3-store.js');
  return new S3ObjectStore({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION!,
    bucket: config.S3_BUCKET!,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ttlSeconds: config.MEDIA_URL_TTL_SECONDS,
  });
}

/** Builds the media service's object graph on its database and hands mesh its routes. */
export async function wireMedia({ config, logger, db, metrics }: ServiceContext<MediaConfig>): Promise<ServiceWiring> {
  const store = await createObjectStore(config);
  // media consumes account.deleted and publishes media.updated / media.deleted (docs/events.md).
  const events = new ServiceEvents({ service: 'media', config, db, logger, registry: metrics.registry, handlers: () => mediaHandlers(store) });
  const mediaEvents = new MediaEvents(events.publisher);
  const media = new MediaService(db, store, mediaEvents, logger, {
    contentUrlTtlSeconds: config.MEDIA_CONTENT_URL_TTL_SECONDS,
  });
  await events.start(); // the revocation set: authentication needs it from the first request
  const sizeBackfill = new MediaSizeBackfill(db, store, mediaEvents, logger);
  sizeBackfill.start();
  const limits = new AccountRateLimits(db, { upload: config.RATE_LIMIT_UPLOADS }, metrics);
  const deps: MediaDeps = { config, store, media, events, limits, sizeBackfill };
  const onClose = async () => {
    await sizeBackfill.stop();
    await events.stop();
  };
  return {
    registerRoutes: RegisterRoutes,
    openapi: await loadOpenApi('media'),
    revocations: events.revocations,
    deps,
    afterReady: () => events.startWorker(),
    onClose,
  };
}
