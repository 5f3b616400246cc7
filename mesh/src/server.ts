import http from 'node:http';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Readiness } from './http/health.js';
import { answerClientError } from './http/client-error.js';

/**
 * Starts the HTTP server and owns graceful shutdown. On SIGTERM/SIGINT: become not-ready (so the
 * load balancer stops sending), optionally keep serving for `delayMs` while endpoints are withdrawn,
 * stop accepting, let in-flight requests finish (bounded by `timeoutMs`), run `onClose` (pool,
 * tracer) and exit 0. A second signal exits at once.
 */
export interface ServeOptions {
  app: Koa;
  port: number;
  host: string;
  logger: Logger;
  readiness: Readiness;
  timeoutMs: number;
  delayMs: number;
  /** Called as the drain starts (long-lived responses end themselves). */
  onDrain?: () => void;
  onClose: () => Promise<void>;
}

export interface RunningServer {
  server: http.Server;
  port: number;
  shutdown: (reason: string) => Promise<void>;
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { logger } = options;
  const server = http.createServer(options.app.callback());
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000; // above typical LB/Envoy idle timeouts so they close first
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ port }, 'listening');

  let closing: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    closing ??= (async () => {
      logger.info({ reason }, 'shutting down: draining');
      options.readiness.startDraining();
      options.onDrain?.();
      if (options.delayMs > 0) await sleep(options.delayMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = sleep(options.timeoutMs).then(() => {
        logger.warn('drain timeout reached; closing remaining connections');
        server.closeAllConnections();
      });
      await Promise.race([closed, forced]);
      await options.onClose();
      logger.info('shutdown complete');
    })();
    return closing;
  };
  return { server, port, shutdown };
}

/** Wires SIGTERM/SIGINT to `shutdown` and exits when it is done. */
export function exitOnSignals(running: RunningServer, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    running
      .shutdown(signal)
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
