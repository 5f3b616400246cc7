import { randomBytes } from 'node:crypto';
import { migrateService, startService, type StartedService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { loadAuthConfig, type AuthConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireAuth } from '../src/wiring.js';

export const ISSUER = 'http://agora.test';

export interface RunningAuth {
  base: string;
  service: StartedService;
  config: AuthConfig;
  databaseUrl: string;
  /** How many rows `from` (SQL after FROM, e.g. `users WHERE id = $1`) holds: assertions on what is stored. */
  count(from: string, params?: unknown[]): Promise<number>;
  stop(): Promise<void>;
}

/** A real auth service on a fresh, migrated database, listening on a free loopback port. */
export async function startAuth(env: Record<string, string> = {}): Promise<RunningAuth> {
  const databaseUrl = await freshDatabase('auth');
  await migrateService('auth', databaseUrl, migrations);
  const config = loadAuthConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: ISSUER,
    JWKS_URL: 'http://127.0.0.1:9/unused', // auth verifies from its own key store
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    // Most tests register and fail logins freely from 127.0.0.1; the rate-limit tests set the real limits.
    RATE_LIMIT_SIGNUP_PER_IP: '100000',
    RATE_LIMIT_LOGIN_PER_IP: '100000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
    RATE_LIMIT_CODE_PER_IP: '100000',
    RATE_LIMIT_CODE_PER_EMAIL: '100000',
    WORKER_ENABLED: 'false',
    ...env,
  });
  const service = await startService('auth', config, wireAuth);
  return {
    base: `http://127.0.0.1:${service.port}`,
    service,
    config,
    databaseUrl,
    count: async (from, params = []) => Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`, params))[0]!.n),
    stop: () => service.shutdown('test done'),
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

let counter = 0;
/** A unique, valid registration body. */
export function newUser(prefix = 'user') {
  counter += 1;
  const username = `${prefix}_${counter}_${randomBytes(3).toString('hex')}`;
  return { username, email: `${username}@example.com`, password: `Str0ng-pass-${randomBytes(6).toString('hex')}` };
}
