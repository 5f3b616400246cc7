import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { ISSUER } from './harness.js';

/**
 * A stand-in token issuer: a JWKS endpoint on loopback and access tokens shaped exactly as auth
 * signs them (conventions.md, "Tokens"), so media's tests do not depend on auth's.
 */
export interface TestIssuer {
  jwksUrl: string;
  token(sub?: string, opts?: { expiresIn?: number }): Promise<string>;
  stop(): Promise<void>;
}

export async function startIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'ES256', use: 'sig' };
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    token: (sub = randomUUID(), opts = {}) => sign(privateKey, sub, opts.expiresIn ?? 900),
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

function sign(key: CryptoKey, sub: string, expiresIn: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: ['user'], sid: randomUUID(), preferred_username: `u_${sub.slice(0, 8)}` })
    .setProtectedHeader({ alg: 'ES256', kid: 'test-1', typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience('agora-api')
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(key);
}
