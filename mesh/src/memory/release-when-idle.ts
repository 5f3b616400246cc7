import type http from 'node:http';
import type { Logger } from 'pino';
import { loadTrimNativeHeap } from './native-heap.js';

/**
 * Gives the memory a burst of requests freed back to the kernel once the service has been idle: no
 * request arrived during the last `idleMs`, and at least one since the last release. Under steady
 * load it never runs (there is nothing to gain between requests, and the next one would fault the
 * pages back in); after a burst it runs once, so a quiet replica holds what it uses rather than what
 * its busiest minute needed. What it buys: docs/benchmarks.md, row 5 ("Round 9").
 *
 * Returns a function that stops it. `loadTrim` is for tests.
 */
export function releaseMemoryWhenIdle(server: http.Server, idleMs: number, logger: Logger, loadTrim = loadTrimNativeHeap): () => void {
  if (idleMs <= 0) return () => {};
  let requestInInterval = false;
  let servedSinceRelease = false;
  let trim: (() => boolean) | undefined;
  const noteRequest = () => {
    requestInInterval = true;
  };
  const timer = setInterval(() => {
    const busy = requestInInterval;
    requestInInterval = false;
    if (busy) servedSinceRelease = true;
    if (busy || !servedSinceRelease) return;
    servedSinceRelease = false;
    if (!trim) {
      const loaded = loadTrim();
      if ('unavailable' in loaded) {
        logger.warn({ reason: loaded.unavailable }, 'idle memory release unavailable: memory freed after a burst stays with the process');
        stop();
        return;
      }
      trim = loaded.trim;
      logger.info({ idleMs }, 'idle memory release on: memory freed after a burst goes back to the kernel');
    }
    trim();
  }, idleMs);
  timer.unref();
  server.on('request', noteRequest);
  const stop = () => {
    clearInterval(timer);
    server.off('request', noteRequest);
  };
  return stop;
}
