import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, signLocalAssertion } from '@agora/mesh';
import { startStack, type Stack } from '../helpers/stack.js';
import {
  account,
  bodySchema,
  diff,
  expectProblem,
  fixtures,
  json,
  makeAdmin,
  operations,
  sample,
  send,
  Snapshotter,
  type Account,
  type Answer,
  type Fixtures,
  type Operation,
} from './lib.js';

/**
 * Authorization matrix generated from the OpenAPI documents: every public-API operation of every
 * service × {anonymous, other user, owner, admin}. The expected outcome comes from the contract's
 * `security` (public / authenticated / admin) plus the small table of owner-only operations below,
 * which only the service can enforce. The test fails on any unexpected allow, checks the refusal is
 * a 401/403 problem+json, and that a refused mutation changed nothing (every table of every
 * service's database, by row count and content checksum, and the resource re-read by its owner).
 *
 * Internal operations (`/internal/...`) are tested apart: 404 through the ingress, 401 directly
 * without a workload identity, 403 for a workload the contract does not name.
 */

type Who = 'anonymous' | 'other' | 'owner' | 'admin';
const WHO: Who[] = ['anonymous', 'other', 'owner', 'admin'];

/**
 * Operations only the resource's owner may perform (the contract cannot say "owner"). `admin` is
 * what an admin gets on these owner routes. Admins delete any post or comment through posts' own
 * admin operations (`DELETE /api/v1/posts/moderation/{id}` and `.../moderation/{id}/comments/{commentId}`,
 * `[{"jwt":["admin"]}]` in the contract, so they are in the matrix as admin rows); on the owner
 * routes an admin is refused like any other non-owner. Media has no admin override.
 */
const OWNER_ONLY: Record<string, { admin: 'allowed' | 'refused' }> = {
  'PATCH /api/v1/posts/{id}': { admin: 'refused' },
  'DELETE /api/v1/posts/{id}': { admin: 'refused' },
  'DELETE /api/v1/posts/{id}/comments/{commentId}': { admin: 'refused' },
  'PATCH /api/v1/posts/{id}/comments/{commentId}': { admin: 'refused' },
  'POST /api/v1/media/{id}/complete': { admin: 'refused' },
  'PATCH /api/v1/media/{id}': { admin: 'refused' },
  'DELETE /api/v1/media/{id}': { admin: 'refused' },
};

/** Bodies the minimal generated example would not make meaningful (`caller`: who sends it, if anyone). */
const BODY: Record<string, (caller?: Account) => unknown> = {
  // Enrolling and removing a second factor need the caller's password again.
  'POST /api/v1/auth/2fa/setup': (caller) => ({ password: caller?.password ?? 'anonymous-has-none' }),
  'POST /api/v1/auth/2fa/disable': (caller) => ({ code: '000000', password: caller?.password ?? 'anonymous-has-none' }),
  // Re-authentication and the account's own settings: the caller's own password proves it (a
  // "change" to the same password keeps every identity usable for the rows after it).
  'POST /api/v1/auth/reauthenticate': (caller) => ({ password: caller?.password ?? 'anonymous-has-none' }),
  'POST /api/v1/auth/password': (caller) => ({
    currentPassword: caller?.password ?? 'anonymous-has-none',
    newPassword: caller?.password ?? 'anonymous-has-none',
  }),
  'POST /api/v1/auth/email': (caller) => ({ email: `matrix-${randomUUID()}@example.com`, password: caller?.password ?? 'anonymous-has-none' }),
  // Renaming to the caller's own name: allowed, and the later rows still find the owner by name.
  'PUT /api/v1/auth/username': (caller) => ({ username: caller?.username ?? 'anonymous_has_none' }),
  'PATCH /api/v1/posts/{id}': () => ({ text: 'edited by the matrix' }),
  'PATCH /api/v1/posts/{id}/comments/{commentId}': () => ({ text: 'comment edited by the matrix' }),
  'PATCH /api/v1/media/{id}': () => ({ alt: 'described by the matrix' }),
  'PUT /api/v1/users/{id}/suspension': () => ({ suspended: true }),
  // Dismissing works on any open report (suspend only on a user report, remove_content only on content).
  'POST /api/v1/admin/reports/{id}/resolve': () => ({ action: 'dismiss' }),
  'PATCH /api/v1/users/me': () => ({ bio: 'changed by the matrix' }),
  // A report must name something that exists and is not the caller: the owner reports the other, everyone else the owner.
  'POST /api/v1/reports': (caller) => ({ targetKind: 'user', targetId: caller?.id === ids.owner.id ? ids.other.id : ids.owner.id, reason: 'spam' }),
};

/**
 * Operations aimed at another user that would change how the fixed identities relate (a block ends
 * follows and refuses new ones): they act on a fresh account, as suspension does.
 */
const ON_VICTIM = new Set([
  'PUT /api/v1/users/{id}/suspension',
  'PUT /api/v1/users/{id}/block',
  'DELETE /api/v1/users/{id}/block',
  'PUT /api/v1/users/{id}/mute',
  'DELETE /api/v1/users/{id}/mute',
]);

/** Operations that consume the caller's own identity: every identity is fresh for them. */
const SELF_DESTRUCTIVE = new Set(['DELETE /api/v1/users/me']);

let stack: Stack;
let ids: Record<Exclude<Who, 'anonymous'>, Account>;
let snap: Snapshotter;

async function identities(): Promise<Record<Exclude<Who, 'anonymous'>, Account>> {
  const [owner, other, adm] = await Promise.all([account(stack.url, 'owner'), account(stack.url, 'other'), account(stack.url, 'admin')]);
  return { owner, other, admin: await makeAdmin(stack, adm) };
}

beforeAll(async () => {
  stack = await startStack();
  ids = await identities();
  snap = new Snapshotter(stack);
  await snap.open();
});
afterAll(async () => {
  await snap?.close();
  await stack?.stop();
});

/** The operation that resolves a report: each cell gets a fresh open report (an admin's 2xx needs one). */
const RESOLVE_REPORT = 'POST /api/v1/admin/reports/{id}/resolve';

async function openReport(owner: Account, postId: string): Promise<string> {
  // A report must name a post that exists: the cell's fresh fixture post.
  const a = await json(stack.url, 'POST', '/api/v1/reports', { targetKind: 'post', targetId: postId, reason: 'spam' }, owner.headers);
  expect(a.status, a.text).toBe(201);
  return String(a.body.id);
}

function fill(o: Operation, owner: Account, fx: Fixtures, victimId: string): string {
  return o.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'username') return owner.username;
    if (o.id === RESOLVE_REPORT) return victimId;
    if (name === 'commentId') return fx.commentId;
    if (o.service === 'users') return ON_VICTIM.has(o.id) ? victimId : owner.id;
    if (o.service === 'posts') return fx.postId;
    if (o.service === 'media') return fx.mediaId;
    return randomUUID();
  });
}

function querySuffix(o: Operation, owner: Account): string {
  const q = (o.op.parameters ?? []).filter((p) => p.in === 'query');
  // Required query parameters get a meaningful value, so an allowed call is a 200, not a 400.
  const parts = [
    ...(q.some((p) => p.name === 'limit') ? ['limit=2'] : []),
    ...(q.some((p) => p.name === 'q') ? ['q=owner'] : []),
    ...(q.some((p) => p.name === 'ids') ? [`ids=${owner.id}`] : []),
    ...(q.some((p) => p.name === 'authorId') ? [`authorId=${owner.id}`] : []),
  ];
  return parts.length ? `?${parts.join('&')}` : '';
}

function expected(o: Operation, who: Who): 'allowed' | 401 | 403 {
  if (o.security === 'public' || o.security === 'optional') return 'allowed';
  if (who === 'anonymous') return 401;
  if (o.security === 'admin') return who === 'admin' ? 'allowed' : 403;
  const owned = OWNER_ONLY[o.id];
  if (!owned) return 'allowed';
  if (who === 'owner') return 'allowed';
  if (who === 'admin') return owned.admin === 'allowed' ? 'allowed' : 403;
  return 403;
}

async function reread(owner: Account, fx: Fixtures): Promise<string> {
  const parts = await Promise.all([
    json(stack.url, 'GET', `/api/v1/posts/${fx.postId}`, undefined, owner.headers),
    json(stack.url, 'GET', `/api/v1/posts/${fx.postId}/comments`, undefined, owner.headers),
    json(stack.url, 'GET', `/api/v1/media/${fx.mediaId}`, undefined, owner.headers),
    json(stack.url, 'GET', '/api/v1/users/me', undefined, owner.headers),
  ]);
  // Signed URLs and their expiry are minted per read; everything else must be identical.
  return JSON.stringify(parts.map((p) => [p.status, { ...p.body, downloadUrl: undefined, expiresAt: undefined }]));
}

describe('authorization matrix (from openapi/*.json)', () => {
  const ops = operations().filter((o) => o.security !== 'internal');

  it('every public-API operation × {anonymous, other, owner, admin} gets the expected outcome; refusals change nothing', async () => {
    const table: string[] = [];
    const failures: string[] = [];
    let cells = 0;
    let refusedMutations = 0;
    for (const o of ops) {
      const row: string[] = [];
      for (const who of WHO) {
        const people = SELF_DESTRUCTIVE.has(o.id) ? await identities() : ids;
        const owner = people.owner;
        const fx = await fixtures(stack.url, owner);
        const victimId = ON_VICTIM.has(o.id)
          ? (await account(stack.url, 'victim')).id
          : o.id === RESOLVE_REPORT
            ? await openReport(owner, fx.postId)
            : '';
        const p = `${fill(o, owner, fx, victimId)}${querySuffix(o, owner)}`;
        const schema = bodySchema(o);
        const body = BODY[o.id]?.(who === 'anonymous' ? undefined : people[who]) ?? (schema ? sample(o.doc, schema) : undefined);
        const headers = who === 'anonymous' ? {} : people[who].headers;
        const want = expected(o, who);
        const mutation = o.method !== 'GET';
        const before = want !== 'allowed' && mutation ? { db: await snap.take(), res: await reread(owner, fx) } : undefined;

        const a: Answer = await json(stack.url, o.method, p, body, headers);
        cells += 1;
        row.push(`${who}:${a.status}`);
        const label = `${o.id} as ${who} → ${a.status} ${a.text.slice(0, 200)}`;
        if (a.status >= 500) failures.push(`5xx: ${label}`);
        else if (want === 'allowed') {
          if (a.status === 403 || (a.status === 401 && !(o.security === 'public' && '401' in o.op.responses)))
            failures.push(`unexpected refusal: ${label}`);
          if (OWNER_ONLY[o.id] && who === 'owner' && (a.status < 200 || a.status >= 300)) failures.push(`owner not allowed: ${label}`);
          if (o.security === 'admin' && (a.status < 200 || a.status >= 300)) failures.push(`admin op failed for admin: ${label}`);
          // Public reading: anonymous and signed-in callers both get the resource.
          if (o.security === 'optional' && (a.status < 200 || a.status >= 300)) failures.push(`token-optional op not answered: ${label}`);
        } else {
          if (a.status >= 200 && a.status < 400) failures.push(`UNEXPECTED ALLOW (expected ${want}): ${label}`);
          else if (a.status !== want) failures.push(`expected ${want}: ${label}`);
          else expectProblem(a, want, label);
          if (before) {
            refusedMutations += 1;
            const changed = diff(before.db, await snap.take());
            if (changed.length) failures.push(`refused ${label} changed tables: ${changed.join(', ')}`);
            if ((await reread(owner, fx)) !== before.res) failures.push(`refused ${label} changed the resource`);
          }
        }
      }
      table.push(`${o.security.padEnd(13)} ${o.id.padEnd(50)} ${row.join('  ')}`);
    }
    console.log(
      `[authz-matrix] ${ops.length} operations × ${WHO.length} identities = ${cells} cells (${refusedMutations} refused mutations re-checked)\n${table.join('\n')}`,
    );
    expect(failures).toEqual([]);
    expect(cells).toBe(ops.length * 4);
    // The moderation operations exist and are admin-only in the contract.
    expect(ops.filter((o) => o.security === 'admin' && o.service === 'posts' && o.method === 'DELETE').length).toBe(2);
    // Four fresh fixtures and, for refused mutations, two whole-database snapshots per cell: longer
    // than the default minute on a busy machine.
  }, 300_000);
});

describe('token-optional operations (public reading)', () => {
  const optional = operations().filter((o) => o.security === 'optional');

  it('refuse a present but bad token with 401 problem+json, as operations that need one do', async () => {
    expect(optional.map((o) => o.id).sort()).toEqual([
      'GET /api/v1/posts',
      'GET /api/v1/posts/{id}',
      'GET /api/v1/users',
      'GET /api/v1/users/by-username/{username}',
      'GET /api/v1/users/{id}',
    ]);
    const owner = ids.owner;
    const fx = await fixtures(stack.url, owner);
    const real = owner.token;
    const tampered = `${real.slice(0, -4)}${real.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const failures: string[] = [];
    for (const o of optional) {
      const p = `${fill(o, owner, fx, '')}${querySuffix(o, owner)}`;
      for (const authorization of [`Bearer ${tampered}`, 'Bearer not-a-token', 'Basic b3duZXI6cGFzc3dvcmQ=', '']) {
        const a = await json(stack.url, 'GET', p, undefined, { authorization });
        if (a.status !== 401) failures.push(`${o.id} with ${JSON.stringify(authorization.slice(0, 12))} → ${a.status}`);
        else expectProblem(a, 401, o.id);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('internal operations (/internal/...)', () => {
  const internal = operations().filter((o) => o.security === 'internal');

  it('are 404 through the ingress, 401 directly without a workload, 403 for the wrong workload, and pass for a named caller', async () => {
    expect(internal.length).toBeGreaterThanOrEqual(4);
    const owner = ids.owner;
    const fx = await fixtures(stack.url, owner);
    const lines: string[] = [];
    for (const o of internal) {
      // Real ids where a read makes sense; random ones for the destructive auth operations (→ 404).
      // posts' content lookup: a real post.
      const p = o.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
        name === 'kind'
          ? 'post'
          : o.service === 'posts'
            ? fx.postId
            : o.service === 'users'
              ? owner.id
              : o.service === 'media'
                ? fx.mediaId
                : randomUUID(),
      );
      const schema = bodySchema(o);
      // An events operation takes only catalogue events (a sampled envelope is a 400 after the
      // identity check): its named caller sends one, an erasure of an account nobody has.
      const body = o.path.endsWith('/events')
        ? {
            id: randomUUID(),
            type: 'account.deleted',
            producer: 'auth',
            aggregateId: randomUUID(),
            sequence: 1,
            occurredAt: new Date().toISOString(),
            payload: { status: 'deleted' },
          }
        : schema
          ? sample(o.doc, schema)
          : undefined;
      const direct = stack.services[o.service]!.base;
      const wrong = [...SERVICE_NAMES, 'intruder'].find((s) => !o.callers.includes(s))!;
      const before = await snap.take();

      for (const variant of [
        p,
        p.replace('/internal/', '/api/v1/../../internal/'),
        p.replace('/internal/', '/%2e%2e/internal/'),
        `/api/v1/${o.service}/..%2f..%2f..${p}`,
      ]) {
        const viaIngress = await send(stack.url, {
          method: o.method,
          path: variant,
          headers: { 'x-agora-workload': signLocalAssertion(o.callers[0]!, stack.meshKey) },
        });
        expectProblem(viaIngress, 404, `${o.id} through the ingress as ${variant}`);
      }
      const none = await json(direct, o.method, p, body);
      expectProblem(none, 401, `${o.id} directly, no workload`);
      const forgedKey = await json(direct, o.method, p, body, { 'x-agora-workload': signLocalAssertion(o.callers[0]!, 'not-the-mesh-key') });
      expectProblem(forgedKey, 401, `${o.id} with an assertion under another key`);
      const stale = await json(direct, o.method, p, body, {
        'x-agora-workload': signLocalAssertion(o.callers[0]!, stack.meshKey, Date.now() - 10 * 60_000),
      });
      expectProblem(stale, 401, `${o.id} with a 10-minute-old assertion`);
      const userToken = await json(direct, o.method, p, body, ids.admin.headers);
      expectProblem(userToken, 401, `${o.id} with an admin's user token instead of a workload`);
      const wrongWorkload = await json(direct, o.method, p, body, { 'x-agora-workload': signLocalAssertion(wrong, stack.meshKey) });
      expectProblem(wrongWorkload, 403, `${o.id} as workload ${wrong}`);
      expect(diff(before, await snap.take()), `refused ${o.id} changed nothing`).toEqual([]);

      const right = await json(direct, o.method, p, body, { 'x-agora-workload': signLocalAssertion(o.callers[0]!, stack.meshKey) });
      expect([200, 204, 404], `${o.id} as ${o.callers[0]} → ${right.status} ${right.text}`).toContain(right.status);
      lines.push(
        `${o.id} [callers ${o.callers.join(',')}]: ingress 404, none 401, other key 401, stale 401, user token 401, ${wrong} 403, ${o.callers[0]} ${right.status}`,
      );
    }
    console.log(`[authz-matrix] internal operations:\n${lines.join('\n')}`);
  });
});
