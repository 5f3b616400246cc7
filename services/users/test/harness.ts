import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { migrateService, startService, type StartedService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { loadUsersConfig, type UsersConfig } from '../src/config.js';
import { migrations } from '../src/migrations/index.js';
import { wireUsers } from '../src/wiring.js';

/** The issuer the auth test harness uses too (services/auth/test/harness.ts), so tokens fit both. */
export const ISSUER = 'http://agora.test';
/** The local mesh key startUsers uses unless told otherwise (MESH_IDENTITY=local). */
export const TEST_MESH_KEY = 'users-test-mesh-key-0123456789-abcdefghij';
/** A port nothing listens on: calls to a service the test did not start fail fast (503). */
const NOWHERE = 'http://127.0.0.1:9';

export interface RunningUsers {
  base: string;
  service: StartedService;
  config: UsersConfig;
  databaseUrl: string;
  /** Present when startUsers was not given a JWKS_URL: mints tokens users accepts. */
  issuer?: TestIssuer;
  /** How many rows `from` (SQL after FROM, e.g. `profiles WHERE id = $1`) holds: assertions on what is stored. */
  count(from: string, params?: unknown[]): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real users service on a fresh, migrated database, listening on a free loopback port.
 *
 * Defaults: MESH_IDENTITY=local with TEST_MESH_KEY; JWT_ISSUER=ISSUER; SERVICE_URL_AUTH/MEDIA point
 * at a closed port. Without `JWKS_URL` in `env`, a TestIssuer (ES256 keys + a JWKS endpoint on
 * loopback) is started and returned as `issuer`; with a real auth, pass
 * `JWKS_URL: `${auth.base}/.well-known/jwks.json`` (and the same MESH_LOCAL_KEY as auth).
 */
export async function startUsers(env: Record<string, string> = {}): Promise<RunningUsers> {
  const issuer = env.JWKS_URL ? undefined : await startTestIssuer(env.JWT_ISSUER ?? ISSUER);
  const databaseUrl = await freshDatabase('users');
  await migrateService('users', databaseUrl, migrations);
  const config = loadUsersConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: ISSUER,
    JWKS_URL: issuer?.jwksUrl ?? NOWHERE,
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: TEST_MESH_KEY,
    SERVICE_URL_AUTH: NOWHERE,
    SERVICE_URL_MEDIA: NOWHERE,
    // The profile.updated this service publishes stay in its outbox: these tests look at users alone.
    WORKER_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const service = await startService('users', config, wireUsers);
  return {
    base: `http://127.0.0.1:${service.port}`,
    service,
    config,
    databaseUrl,
    issuer,
    count: async (from, params = []) => Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`, params))[0]!.n),
    stop: async () => {
      await service.shutdown('test done');
      await issuer?.stop();
    },
  };
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
  /** `{ authorization: 'Bearer …' }` */
  auth: Record<string, string>;
}

/** Signs access tokens exactly as auth does (ES256, kid, typ at+jwt, the claims of conventions.md). */
export interface TestIssuer {
  jwksUrl: string;
  token(claims: { sub: string; preferred_username?: string; roles?: string[] } & Record<string, unknown>): Promise<string>;
  /** A new user identity (random id, unique username) with a token. */
  user(prefix?: string): Promise<TestUser>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestIssuer(issuer = ISSUER): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `test-${randomUUID().slice(0, 8)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const sign = (key: CryptoKey, claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ roles: ['user'], sid: randomUUID(), jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience('agora-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 900)
      .sign(key);
  };
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    token: (claims) => sign(privateKey, claims),
    async user(prefix = 'user') {
      counter += 1;
      const id = randomUUID();
      const username = `${prefix}_${counter}_${id.slice(0, 6)}`;
      const token = await sign(privateKey, { sub: id, preferred_username: username });
      return { id, username, token, auth: { authorization: `Bearer ${token}` } };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** fetch + JSON: `body` is the parsed answer (or undefined for an empty one). */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
