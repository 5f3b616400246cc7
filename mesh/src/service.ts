import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { BaseConfig } from './config.js';
import { createApp, type AppOptions } from './app.js';
import { createDatabase, type Database } from './db/database.js';
import type { Migration } from './db/migrator.js';
import { Readiness } from './http/health.js';
import { createLogger } from './logger.js';
import { releaseMemoryWhenIdle } from './memory/release-when-idle.js';
import { createServiceMetrics, type ServiceMetrics } from './observability/metrics.js';
import { serverSpanMiddleware } from './observability/server-span.js';
import { serviceNameFor, shutdownTracing, startTracing, tracingActive, tracingConfigured } from './observability/tracing.js';
import { serve, type RunningServer } from './server.js';

/**
 * The life of a service process, the same for every service: logger → database → the service's own
 * wiring → Koa app → HTTP server with graceful shutdown. A service supplies only `setup`.
 */
export interface ServiceContext<C extends BaseConfig> {
  name: string;
  config: C;
  logger: Logger;
  /** The service's database (db/database.ts): its pg pool, timed by the metrics. */
  db: Database;
  /** The service's Prometheus metrics; it declares its own counters with `metrics.counter({ … })`. */
  metrics: ServiceMetrics;
}

export interface ServiceWiring {
  registerRoutes: (router: Router) => void;
  openapi?: object;
  verifier?: AppOptions['verifier'];
  /** The service's revocation set (`events.revocations`): every service hands it over, so a revoked token is refused everywhere. */
  revocations?: AppOptions['revocations'];
  extraRoutes?: Array<(router: Router) => void>;
  /** Handed to every controller's constructor. */
  deps?: unknown;
  /** Released after in-flight requests finish, before the pool closes (timers, workers). */
  onClose?: () => Promise<void>;
  /**
   * Called when the drain starts, before the server stops accepting: long-lived responses (a
   * notification stream) end here, or the drain would wait for them until its timeout.
   */
  onDrain?: () => void;
  /**
   * Work the first request does not need (the event worker): started once the service has answered
   * ready, so it never holds up that answer — or AFTER_READY_FALLBACK_MS after listening if no
   * readiness probe came first; never once shutdown has begun. It must not throw: nothing awaits it.
   */
  afterReady?: () => void;
}

/**
 * How long after listening `afterReady` runs when no readiness probe has answered ready yet (a
 * process started by hand, or a cluster whose first probe came before the port was open).
 */
export const AFTER_READY_FALLBACK_MS = 1_000;

export interface StartedService extends RunningServer {
  db: Database;
  logger: Logger;
  metrics: ServiceMetrics;
  /** The service's dependency graph, for its own tests and tools. */
  deps: unknown;
}

export async function startService<C extends BaseConfig>(
  name: string,
  config: C,
  setup: (ctx: ServiceContext<C>) => Promise<ServiceWiring> | ServiceWiring,
): Promise<StartedService> {
  // Tracing first, so the tracer provider is registered before anything asks for a tracer. Nothing
  // has to load before the service's modules (no instrumentation patches a module), so the SDK is
  // part of the service's own bundle and its code cache rather than a preloaded second bundle.
  if (tracingConfigured()) await startTracing({ serviceName: serviceNameFor() ?? name });
  const logger = createLogger(name, config.LOG_LEVEL);
  const metrics = createServiceMetrics(name);
  const db = createDatabase({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, logger, onQuery: metrics.onQuery });
  metrics.trackPool(db);
  const wiring = await setup({ name, config, logger, db, metrics });
  const readiness = new Readiness({ database: () => db.isReachable() });
  const app = createApp({
    service: name,
    config,
    logger,
    readiness,
    registerRoutes: wiring.registerRoutes,
    openapi: wiring.openapi,
    verifier: wiring.verifier,
    revocations: wiring.revocations,
    // The server span first, so that the metrics' exemplars and the logs see its trace id.
    instrumentation: [...(tracingActive() ? [serverSpanMiddleware()] : []), metrics.httpMiddleware()],
    extraRoutes: [(router) => metrics.routes(router), ...(wiring.extraRoutes ?? [])],
    onAuthOutcome: metrics.onAuthOutcome,
    deps: wiring.deps,
  });
  const running = await serve({
    app,
    port: config.PORT,
    host: config.HOST,
    logger,
    readiness,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    delayMs: config.SHUTDOWN_DELAY_MS,
    onDrain: wiring.onDrain,
    onClose: async () => {
      await wiring.onClose?.();
      await db.close();
      await shutdownTracing(); // flush the last spans (no-op when tracing is off)
    },
  });
  if (wiring.afterReady) runAfterReady(wiring.afterReady, readiness, logger);
  const stopReleasingMemory = releaseMemoryWhenIdle(running.server, config.MEMORY_RELEASE_IDLE_MS, logger);
  running.server.once('close', stopReleasingMemory);
  return { ...running, db, logger, metrics, deps: wiring.deps };
}

function runAfterReady(afterReady: () => void, readiness: Readiness, logger: Logger): void {
  let fallback: NodeJS.Timeout | undefined;
  const listenedLongEnough = new Promise<void>((resolve) => {
    fallback = setTimeout(resolve, AFTER_READY_FALLBACK_MS);
    fallback.unref();
  });
  const run = () => {
    if (readiness.isDraining) return;
    try {
      afterReady();
    } catch (err) {
      logger.error({ err: { message: err instanceof Error ? err.message : 'unknown error' } }, 'after-ready work failed to start');
    }
  };
  // setImmediate: the ready answer is still being written when firstReady settles; run after it.
  void Promise.race([readiness.firstReady, listenedLongEnough]).then(() => {
    clearTimeout(fallback);
    setImmediate(run);
  });
}

/** The `migrate` entry point of every service: apply pending migrations and close. */
export async function migrateService(name: string, databaseUrl: string, migrations: Migration[]): Promise<string[]> {
  const logger = createLogger(`${name}-migrate`);
  // Two connections: one holds the runners' advisory lock, the other runs the migrations.
  const db = createDatabase({ url: databaseUrl, poolMax: 2 });
  try {
    // Loaded here, not at the top: umzug (and the CLI library it brings) is ~20 % of a serving
    // process's start-up and only the migrate entry point needs it.
    const { runMigrations } = await import('./db/migrator.js');
    return await runMigrations(db, migrations, logger);
  } finally {
    await db.close();
  }
}
