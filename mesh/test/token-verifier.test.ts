import { beforeAll, describe, expect, it } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { createTokenVerifier, TokenRejected, type TokenVerifier } from '../src/auth/token-verifier.js';

const ISSUER = 'http://issuer.test';
let key: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;
let verifier: TokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  verifier = createTokenVerifier({ issuer: ISSUER, audience: 'agora-api', jwks: createLocalJWKSet({ keys: [publicJwk] }), cacheSize: 0 });
});

interface Overrides {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  signWith?: CryptoKey;
  exp?: number;
  nbf?: number;
}

function token(o: Overrides = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    aud: 'agora-api',
    sub: randomUUID(),
    iat: now,
    jti: randomUUID(),
    exp: o.exp ?? now + 900,
    roles: ['user'],
    sid: randomUUID(),
    ...(o.nbf ? { nbf: o.nbf } : {}),
    ...o.claims,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt', ...o.header } as never).sign(o.signWith ?? key);
}

async function reason(t: string | Promise<string>): Promise<string> {
  try {
    await verifier.verify(await t);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(TokenRejected);
    return (err as TokenRejected).reason;
  }
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('service-side token check', () => {
  it('accepts a well-formed access token and returns its principal', async () => {
    const t = await token({ claims: { roles: ['user', 'admin'] } });
    const p = await verifier.verify(t);
    expect(p).toMatchObject({ kind: 'user', roles: ['user', 'admin'] });
  });

  it('carries auth_time into the principal when it is a number, and leaves it out otherwise', async () => {
    const at = Math.floor(Date.now() / 1000) - 42;
    expect((await verifier.verify(await token({ claims: { auth_time: at } }))).authTime).toBe(at);
    expect((await verifier.verify(await token())).authTime).toBeUndefined();
    expect((await verifier.verify(await token({ claims: { auth_time: String(at) } }))).authTime).toBeUndefined();
  });

  it("accepts a token expired less than 60 s ago (Envoy's skew) and refuses one expired longer", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await reason(token({ exp: now - 30 }))).toBe('accepted');
    expect(await reason(token({ exp: now - 120 }))).toBe('expired');
  });

  it('refuses nbf in the future beyond the tolerance', async () => {
    expect(await reason(token({ nbf: Math.floor(Date.now() / 1000) + 3600 }))).toBe('not_yet_valid');
  });

  it('refuses alg none', async () => {
    const t = await token();
    const [, payload] = t.split('.');
    expect(await reason(`${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${payload}.`)).toBe('bad_algorithm');
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const t = await token();
    const [, payload] = t.split('.');
    const header = b64({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' });
    const sig = createHmac('sha256', JSON.stringify(publicJwk)).update(`${header}.${payload}`).digest('base64url');
    expect(await reason(`${header}.${payload}.${sig}`)).toBe('bad_algorithm');
  });

  it('refuses a valid signature from a key that is not in the JWKS, and an unknown kid', async () => {
    expect(await reason(token({ signWith: otherKey }))).toBe('bad_signature');
    expect(await reason(token({ header: { kid: 'nope' } }))).toBe('unknown_kid');
  });

  it('refuses a tampered payload', async () => {
    const t = await token();
    const [h, , s] = t.split('.');
    expect(await reason(`${h}.${b64({ sub: randomUUID(), roles: ['admin'], iss: ISSUER, aud: 'agora-api' })}.${s}`)).toBe('bad_signature');
  });

  it.each([
    ['wrong issuer', { iss: 'http://evil.test' }, 'wrong_issuer'],
    ['wrong audience', { aud: 'other-api' }, 'wrong_audience'],
  ])('refuses a %s', async (_l, claims, expected) => {
    expect(await reason(token({ claims }))).toBe(expected);
  });

  it('refuses a token whose typ is not at+jwt (an ID token, a refresh JWT, or none)', async () => {
    expect(await reason(token({ header: { typ: 'JWT' } }))).toBe('wrong_type');
    expect(await reason(token({ header: { typ: 'refresh+jwt' } }))).toBe('wrong_type');
  });

  it('refuses a token without sub or sid, or with a non-UUID sub', async () => {
    const now = Math.floor(Date.now() / 1000);
    const noSub = await new SignJWT({ roles: ['user'], sid: 's' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience('agora-api')
      .setIssuedAt(now)
      .setJti('j')
      .setExpirationTime(now + 60)
      .sign(key);
    expect(await reason(noSub)).toBe('malformed');
    expect(await reason(token({ claims: { sid: undefined } }))).toBe('malformed');
    const badSub = await new SignJWT({ roles: [], sid: 's' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience('agora-api')
      .setSubject('../../etc')
      .setIssuedAt(now)
      .setJti('j')
      .setExpirationTime(now + 60)
      .sign(key);
    expect(await reason(badSub)).toBe('malformed');
  });

  it('refuses an oversized token before parsing it, and garbage', async () => {
    expect(await reason(`${'a'.repeat(5000)}.b.c`)).toBe('malformed');
    expect(await reason('not-a-jwt')).toBe('malformed');
    expect(await reason('')).toBe('missing');
  });

  it('a cached verification never outlives the token', async () => {
    const cached = createTokenVerifier({ issuer: ISSUER, audience: 'agora-api', jwks: createLocalJWKSet({ keys: [publicJwk] }) });
    const now = Math.floor(Date.now() / 1000);
    const t = await token({ exp: now + 1 });
    await cached.verify(t);
    await cached.verify(t); // served from the cache
    await new Promise((r) => setTimeout(r, 100));
    // Still within the 60 s tolerance: accepted; the cache honours exp + tolerance exactly like jose.
    await expect(cached.verify(t)).resolves.toMatchObject({ kind: 'user' });
    const old = await token({ exp: now - 61 });
    await expect(cached.verify(old)).rejects.toThrow(TokenRejected);
  });
});
