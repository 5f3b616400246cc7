import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseConfigSchema, loadConfig, type BaseConfig } from '../../mesh/src/config.js';

/**
 * The configuration of a service app under test that reaches no database and no key set (both
 * addresses point at a closed port): for tests that drive mesh's app factory in-process with stand-ins.
 * `extra` adds or overrides variables, e.g. the mesh identity.
 */
export function offlineConfig(extra: Record<string, string> = {}): BaseConfig {
  return loadConfig(baseConfigSchema, {
    DATABASE_URL: 'postgres://unused@127.0.0.1:9/unused',
    PORT: '0',
    JWT_ISSUER: 'http://issuer.test',
    JWKS_URL: 'http://127.0.0.1:9/jwks.json',
    LOG_LEVEL: 'silent',
    ...extra,
  });
}

/** Serves a request handler (a Koa app's callback) on a free loopback port. */
export async function serveOnLoopback(handler: http.RequestListener): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
