import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { request, startMedia, type RunningMedia } from './harness.js';
import { startIssuer, type TestIssuer } from './tokens.js';

/** The per-account upload budget (mesh/src/limits) across two media replicas on one database. */
let replicas: RunningMedia[];
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startIssuer();
  const env = { JWKS_URL: issuer.jwksUrl, RATE_LIMIT_UPLOADS: '4/1h' };
  const first = await startMedia(env);
  replicas = [first, await startMedia(env, { databaseUrl: first.databaseUrl })];
});
afterAll(async () => {
  for (const r of replicas ?? []) await r.stop();
  await issuer?.stop();
});

async function user() {
  const id = randomUUID();
  return { id, auth: { authorization: `Bearer ${await issuer.token(id)}` } };
}
const tickets = async (ownerId: string) =>
  Number((await replicas[0]!.service.db.query<{ n: string }>('SELECT count(*) AS n FROM media WHERE owner_id = $1', [ownerId]))[0]!.n);

describe('upload budget shared by two replicas', () => {
  it('of 12 parallel upload tickets with a budget of 4, exactly 4 are stored; the rest are 429 with Retry-After', async () => {
    const alice = await user();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        request('POST', `${replicas[i % 2]!.base}/api/v1/media/uploads`, {
          body: { contentType: 'image/png', sizeBytes: 1024 },
          headers: alice.auth,
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(4);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(8);
    for (const a of refused) {
      expect(a.status).toBe(429);
      expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((a.body as { detail: string }).detail).toMatch(/limit of 4 uploads per hour; try again in \d+ s/);
    }
    expect(await tickets(alice.id)).toBe(4);
    const bob = await user();
    const other = await request('POST', `${replicas[1]!.base}/api/v1/media/uploads`, {
      body: { contentType: 'image/png', sizeBytes: 1024 },
      headers: bob.auth,
    });
    expect(other.status).toBe(201);
  });
});
