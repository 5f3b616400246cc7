import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** The issuer every service harness configures (auth's too), so one token fits every service under test. */
export const TEST_ISSUER = 'http://agora.test';

export interface TestUser {
  id: string;
  username: string;
  token: string;
  /** `{ authorization: 'Bearer …' }` */
  auth: Record<string, string>;
}

/** Signs access tokens exactly as auth does (ES256, kid, typ at+jwt, the claims of conventions.md) and serves their JWKS. */
export interface TestIssuer {
  jwksUrl: string;
  /** `expiresIn` (default 900 s, auth's) may be negative: a token that expired that long ago. */
  token(
    claims: { sub: string; preferred_username?: string; roles?: string[] } & Record<string, unknown>,
    opts?: { expiresIn?: number },
  ): Promise<string>;
  /** A new user identity (random id, unique username) with a token. */
  user(prefix?: string, roles?: string[]): Promise<TestUser>;
  stop(): Promise<void>;
}

let users = 0;

export async function startTestIssuer(issuer = TEST_ISSUER): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `test-${randomUUID().slice(0, 8)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const sign = (key: CryptoKey, claims: Record<string, unknown>, expiresIn = 900) => {
    const now = Math.floor(Date.now() / 1000);
    // auth_time: a fresh sign-in, as auth's token right after login (override it to test an old one).
    return new SignJWT({ roles: ['user'], sid: randomUUID(), jti: randomUUID(), auth_time: now, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience('agora-api')
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(key);
  };
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    token: (claims, opts = {}) => sign(privateKey, claims, opts.expiresIn),
    async user(prefix = 'user', roles = ['user']) {
      users += 1;
      const id = randomUUID();
      const username = `${prefix}_${users}_${id.slice(0, 6)}`;
      const token = await sign(privateKey, { sub: id, preferred_username: username, roles });
      return { id, username, token, auth: { authorization: `Bearer ${token}` } };
    },
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
