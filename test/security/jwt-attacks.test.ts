import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { generate } from 'otplib';
import { startStack, type Stack } from '../helpers/stack.js';
import { account, authSigningKey, b64url, expectProblem, forge, json, makeAdmin, send, uploadedMedia, type Account, type Answer } from './lib.js';

/**
 * JWT attack suite, end to end: every forged, foreign, expired, mistyped or misplaced token is sent
 * through the ingress to a protected operation of EVERY service and must be refused with a
 * problem+json 401 whose `detail` is the same for every case of that service (nothing tells the
 * attacker which check failed). Claim-level cases are signed with auth's REAL signing key (read from
 * its database and unsealed as auth does), so exactly one check fails at a time; a positive control
 * proves a correctly forged token is accepted, which makes every refusal meaningful.
 */

let stack: Stack;
let victim: Account;
let admin: Account;
let mediaId: string;
let postId: string;
let real: { kid: string; privateKey: CryptoKey };
let foreign: { privateKey: CryptoKey; publicJwk: JWK };
let jwks: { keys: JWK[] };

interface Target {
  service: string;
  method: string;
  path: () => string;
  body?: unknown;
}
const targets: Target[] = [
  { service: 'auth', method: 'GET', path: () => '/api/v1/auth/verify' },
  { service: 'users', method: 'GET', path: () => '/api/v1/users/me' },
  { service: 'users (admin op)', method: 'GET', path: () => '/api/v1/admin/users?limit=1' },
  // Not GET /api/v1/posts or /posts/{id}: those are token optional (public reading), so a request
  // without a token is answered; a post's likers need a token.
  { service: 'posts', method: 'GET', path: () => `/api/v1/posts/${postId}/likes?limit=1` },
  { service: 'posts (feed)', method: 'GET', path: () => '/api/v1/feed?limit=1' },
  { service: 'media', method: 'GET', path: () => `/api/v1/media/${mediaId}` },
  { service: 'media (upload)', method: 'POST', path: () => '/api/v1/media/uploads', body: { contentType: 'image/png', sizeBytes: 10 } },
];
const serviceOf = (t: Target) => t.service.split(' ')[0]!;

const call = (t: Target, headers: Record<string, string>, suffix = '') => json(stack.url, t.method, `${t.path()}${suffix}`, t.body, headers);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  stack = await startStack();
  victim = await account(stack.url, 'victim');
  admin = await makeAdmin(stack, await account(stack.url, 'admin'));
  mediaId = await uploadedMedia(stack.url, victim);
  postId = (await json(stack.url, 'POST', '/api/v1/posts', { text: 'a post to read the likers of' }, victim.headers)).body.id;
  real = await authSigningKey(stack);
  const pair = await generateKeyPair('ES256', { extractable: true });
  foreign = { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
  jwks = (await json(stack.url, 'GET', '/.well-known/jwks.json')).body;
});
afterAll(async () => {
  await stack?.stop();
});

/** Signs header.payload with HMAC-SHA256 (the algorithm-confusion attack) without any library checks. */
function hs256(header: object, payload: object, secret: string | Buffer): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
}

async function mfaTokenOf(): Promise<string> {
  const u = await account(stack.url, 'mfa');
  const setup = await json(stack.url, 'POST', '/api/v1/auth/2fa/setup', { password: u.password }, u.headers);
  expect(setup.status).toBe(200);
  const ok = await json(stack.url, 'POST', '/api/v1/auth/2fa/verify-setup', { code: await generate({ secret: setup.body.secret }) }, u.headers);
  expect(ok.status).toBe(200);
  const first = await json(stack.url, 'POST', '/api/v1/auth/login', { login: u.username, password: u.password });
  expect(first.body).toMatchObject({ mfaRequired: true });
  return first.body.mfaToken as string;
}

describe('JWT attacks through the ingress, against every service', () => {
  it("positive controls: the real token and a token forged with auth's real key are accepted everywhere", async () => {
    const forged = await forge(stack, victim.id, { key: real.privateKey, kid: real.kid, claims: { preferred_username: victim.username } });
    const withinSkew = await forge(stack, victim.id, {
      key: real.privateKey,
      kid: real.kid,
      claims: { iat: Math.floor(Date.now() / 1000) - 960, exp: Math.floor(Date.now() / 1000) - 30 },
    });
    for (const t of targets) {
      if (t.service.includes('admin')) continue;
      for (const [name, token] of [
        ['real', victim.token],
        ['forged with the real key', forged],
        ['expired 30 s ago (inside the 60 s tolerance)', withinSkew],
      ] as const) {
        const a = await call(t, bearer(token));
        expect(a.status, `${t.service} ${name}: ${a.text}`).toBeLessThan(300);
      }
    }
    const adminOk = await call(targets[2]!, admin.headers);
    expect(adminOk.status).toBe(200);
  });

  it('refuses every attack with a 401 problem+json whose detail does not say which check failed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const realKey = { key: real.privateKey, kid: real.kid };
    const base = claimsOf(victim.token);
    const [h, , s] = victim.token.split('.');
    const publicJwk = jwks.keys.find((k) => k.kid === real.kid)!;
    expect(publicJwk, 'the JWKS publishes the signing key').toBeDefined();
    const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const pad = 'A'.repeat(4200);

    const attacks: [string, string | Record<string, string>][] = [
      ['alg none (empty signature)', `${b64url({ alg: 'none', typ: 'at+jwt', kid: real.kid })}.${b64url(base)}.`],
      ['alg none (no kid)', `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url({ ...base, roles: ['user', 'admin'] })}.`],
      ['HS256 signed with the public JWK (JSON) as secret', hs256({ alg: 'HS256', typ: 'at+jwt', kid: real.kid }, base, JSON.stringify(publicJwk))],
      ['HS256 signed with the public key PEM as secret', hs256({ alg: 'HS256', typ: 'at+jwt', kid: real.kid }, base, pem)],
      ['HS256 signed with the PEM, no kid', hs256({ alg: 'HS256', typ: 'at+jwt' }, base, pem)],
      ['valid ES256 signature from a foreign key, real kid', await forge(stack, victim.id, { key: foreign.privateKey, kid: real.kid })],
      ['foreign key, unknown kid', await forge(stack, victim.id, { key: foreign.privateKey, kid: randomUUID() })],
      [
        'foreign key with its own jwk embedded in the header',
        await forge(stack, victim.id, { key: foreign.privateKey, header: { jwk: foreign.publicJwk } }),
      ],
      [
        'foreign key, jku pointing elsewhere',
        await forge(stack, victim.id, { key: foreign.privateKey, kid: 'x', header: { jku: 'http://127.0.0.1:1/jwks.json' } }),
      ],
      ['tampered payload (roles → admin), original signature', `${h}.${b64url({ ...base, roles: ['user', 'admin'] })}.${s}`],
      ['tampered payload (sub → admin), original signature', `${h}.${b64url({ ...base, sub: admin.id })}.${s}`],
      ['expired 120 s ago (beyond the 60 s tolerance)', await forge(stack, victim.id, { ...realKey, claims: { iat: now - 1100, exp: now - 120 } })],
      ['nbf 5 minutes in the future', await forge(stack, victim.id, { ...realKey, claims: { nbf: now + 300 } })],
      ['wrong iss', await forge(stack, victim.id, { ...realKey, claims: { iss: 'https://evil.example' } })],
      ['wrong aud', await forge(stack, victim.id, { ...realKey, claims: { aud: 'another-api' } })],
      ['missing sub', await forge(stack, victim.id, { ...realKey, claims: { sub: undefined } })],
      ['non-UUID sub', await forge(stack, victim.id, { ...realKey, claims: { sub: '../../admin' } })],
      ['missing sid', await forge(stack, victim.id, { ...realKey, claims: { sid: undefined } })],
      ['missing exp', await forge(stack, victim.id, { ...realKey, claims: { exp: undefined } })],
      ['typ JWT', await forge(stack, victim.id, { ...realKey, header: { typ: 'JWT' } })],
      ['no typ (an ID-token-like JWT)', await forge(stack, victim.id, { ...realKey, header: { typ: undefined } })],
      ['typ refresh+jwt', await forge(stack, victim.id, { ...realKey, header: { typ: 'refresh+jwt' } })],
      ['the refresh token as bearer', victim.refreshToken],
      ['an MFA token as bearer', await mfaTokenOf()],
      ['oversized token (> 4 KiB, real key, padded claim)', await forge(stack, victim.id, { ...realKey, claims: { pad } })],
      ['oversized JOSE header (> 4 KiB, real key)', await forge(stack, victim.id, { ...realKey, header: { pad } })],
      ['12 KiB Authorization header', `${'a'.repeat(6000)}.${'b'.repeat(6000)}.${'c'.repeat(300)}`],
      ['garbage', 'not-a-jwt'],
      ['two segments', `${h}.${b64url(base)}`],
      ['token only in the query string', {}],
      ['token in the query string and a bad one in the header', bearer('x.y.z')],
      ['Basic scheme with the real token', { authorization: `Basic ${victim.token}` }],
      ['no Authorization header', {}],
    ];
    expect(attacks.length).toBeGreaterThanOrEqual(30);

    const details = new Map<string, Map<string, string>>(); // service → detail → first case
    let refused = 0;
    for (const t of targets) {
      for (const [name, token] of attacks) {
        const headers = typeof token === 'string' ? bearer(token) : token;
        const suffix = name.includes('query string') ? `${t.path().includes('?') ? '&' : '?'}access_token=${encodeURIComponent(victim.token)}` : '';
        const a: Answer = await call(t, headers, suffix);
        expectProblem(a, 401, `${t.service}: ${name}`);
        expect(a.headers['www-authenticate'] ?? '', `${t.service}: ${name}`).not.toMatch(/expired|signature|issuer|audience|kid|alg/i);
        expect(a.text, `${t.service}: ${name} reveals the reason`).not.toMatch(
          /signature|issuer|audience|\bkid\b|algorithm|\btyp\b|nbf|not yet|too (long|large)|suspend|deleted/i,
        );
        // "No token at all" is not an attack signal; every case that presents a token shares one detail.
        if (name !== 'no Authorization header' && name !== 'token only in the query string' && !name.startsWith('Basic')) {
          const svc = serviceOf(t);
          if (!details.has(svc)) details.set(svc, new Map());
          if (!details.get(svc)!.has(a.body.detail)) details.get(svc)!.set(a.body.detail, name);
        }
        refused += 1;
      }
    }
    for (const [svc, d] of details) expect([...d.entries()], `${svc}: one detail for every invalid token`).toHaveLength(1);
    console.log(
      `[jwt-attacks] ${attacks.length} attacks × ${targets.length} operations = ${refused} refusals, all 401 problem+json with one detail per service`,
    );
  });
});

describe('tokens of suspended and deleted users (refused everywhere within 5 s: revocation)', () => {
  /** What auth, users, posts and media answer the user's unexpired access token once revocation took effect. */
  const operations = (media: string): Record<string, [string, string, unknown?]> => ({
    'auth GET /verify': ['GET', '/api/v1/auth/verify'],
    'users GET /users/me': ['GET', '/api/v1/users/me'],
    'posts GET /posts': ['GET', '/api/v1/posts'],
    'posts POST /posts': ['POST', '/api/v1/posts', { text: 'written after revocation' }],
    'media GET /media/{id}': ['GET', `/api/v1/media/${media}`],
    'media POST /media/uploads': ['POST', '/api/v1/media/uploads', { contentType: 'image/png', sizeBytes: 5 }],
  });
  /**
   * Polls every operation until all answer 401 with `reason` (at most 5 s), then returns what each
   * answered. (users refused a deleted account's token with a 401 of its own before revocation
   * existed; waiting for the revocation's reason shows the revocation reached users too.)
   */
  async function refusedEverywhere(u: Account, media: string, reason: string): Promise<Record<string, string>> {
    const started = Date.now();
    const answers: Record<string, string> = {};
    for (const [name, [method, path, body]] of Object.entries(operations(media))) {
      for (;;) {
        const a = await json(stack.url, method, path, body, u.headers);
        if (a.status === 401 && a.body.reason === reason) {
          expectProblem(a, 401, name);
          answers[name] = `${a.status} ${a.body.reason}`;
          break;
        }
        if (Date.now() - started > 5_000) throw new Error(`${name}: still ${a.status} 5 s after the change`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    console.log(`[jwt-attacks] a ${reason} user's unexpired access token, ${Date.now() - started} ms after the change:`, answers);
    return answers;
  }
  const everywhere = (reason: string) => Object.fromEntries(Object.keys(operations('')).map((k) => [k, `401 ${reason}`]));

  it('suspension: refresh and sign-in refused at once; the still-valid token refused by every service within 5 s', async () => {
    const u = await account(stack.url, 'suspended');
    const media = await uploadedMedia(stack.url, u);
    const s = await json(stack.url, 'PUT', `/api/v1/users/${u.id}/suspension`, { suspended: true }, admin.headers);
    expect(s.status, s.text).toBe(200);

    expectProblem(await json(stack.url, 'POST', '/api/v1/auth/refresh', { refreshToken: u.refreshToken }), 401, 'refresh of a suspended user');
    const login = await json(stack.url, 'POST', '/api/v1/auth/login', { login: u.username, password: u.password });
    expect(login.status, login.text).toBeGreaterThanOrEqual(400);
    expectProblem(login, [401, 403], 'login of a suspended user');

    expect(await refusedEverywhere(u, media, 'account_suspended')).toEqual(everywhere('account_suspended'));
  });

  it('deletion: refresh and sign-in refused at once; the still-valid token refused by every service within 5 s, no profile re-created', async () => {
    const u = await account(stack.url, 'deleted');
    const media = await uploadedMedia(stack.url, u);
    const d = await json(stack.url, 'DELETE', '/api/v1/users/me', undefined, u.headers);
    expect(d.status, d.text).toBe(204);

    expectProblem(await json(stack.url, 'POST', '/api/v1/auth/refresh', { refreshToken: u.refreshToken }), 401, 'refresh of a deleted user');
    expectProblem(await json(stack.url, 'POST', '/api/v1/auth/login', { login: u.username, password: u.password }), 401, 'login of a deleted user');
    expect(await refusedEverywhere(u, media, 'account_deleted')).toEqual(everywhere('account_deleted'));
    expectProblem(await json(stack.url, 'GET', `/api/v1/users/${u.id}`, undefined, admin.headers), 404, 'the deleted profile');
  });
});

describe("headers beyond what the HTTP server parses (> 16 KiB, Node's limit)", () => {
  // BUG (reported, fix in tools/src/local/ingress.ts and mesh/src/server.ts, see test/security/README.md):
  // Node's HTTP parser answers 431 with no body and no content type, before Koa or the ingress code
  // runs, so the "every 4xx is problem+json" promise does not hold for oversized headers.
  it('a 20 KiB Authorization header gets a 431 problem+json, at the ingress and at a service', async () => {
    const headers = { authorization: `Bearer ${'a'.repeat(20 * 1024)}` };
    const answers = await Promise.all(
      [stack.url, stack.services.users!.base].map((base) => send(base, { method: 'GET', path: '/api/v1/users/me', headers })),
    );
    answers.forEach((a, i) =>
      console.log(
        `[jwt-attacks] 20 KiB header at ${i ? 'users' : 'the ingress'} → ${a.status} content-type=${a.headers['content-type'] ?? '(none)'}`,
      ),
    );
    for (const a of answers) expectProblem(a, 431, '20 KiB header');
  });
});
