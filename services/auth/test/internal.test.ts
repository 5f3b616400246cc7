import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { consumersOf, signLocalAssertion } from '@agora/mesh';
import { newUser, postJson, startAuth, type RunningAuth } from './harness.js';

const MESH_KEY = 'local-mesh-key-for-tests-only-0123456789';
let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth({ MESH_IDENTITY: 'local', MESH_LOCAL_KEY: MESH_KEY });
});
afterAll(async () => auth?.stop());

const deleteAccount = (id: string, caller?: string) =>
  fetch(`${auth.base}/internal/v1/auth/accounts/${id}`, {
    method: 'DELETE',
    headers: caller ? { 'x-agora-workload': signLocalAssertion(caller, MESH_KEY) } : {},
  });

describe('internal account deletion (called by users)', () => {
  it('carries preferred_username in access tokens', async () => {
    const u = newUser();
    await postJson(`${auth.base}/api/v1/auth/register`, u);
    const login = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.email, password: u.password });
    expect(decodeJwt(login.body.accessToken).preferred_username).toBe(u.username);
  });

  it('only the users workload may call it; nothing changes on refusal', async () => {
    const u = newUser();
    const reg = await postJson(`${auth.base}/api/v1/auth/register`, u);
    expect((await deleteAccount(reg.body.id)).status).toBe(401);
    expect((await deleteAccount(reg.body.id, 'posts')).status).toBe(403);
    const stillThere = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: u.password });
    expect(stillThere.status).toBe(200);
  });

  it('deletes: sign-in and refresh stop working, the email is released, the username stays reserved until erased everywhere', async () => {
    const u = newUser();
    const reg = await postJson(`${auth.base}/api/v1/auth/register`, u);
    const session = await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: u.password });
    const res = await deleteAccount(reg.body.id, 'users');
    expect(res.status).toBe(204);
    expect((await deleteAccount(reg.body.id, 'users')).status).toBe(204); // idempotent
    expect((await postJson(`${auth.base}/api/v1/auth/login`, { login: u.username, password: u.password })).status).toBe(401);
    expect((await postJson(`${auth.base}/api/v1/auth/refresh`, { refreshToken: session.body.refreshToken })).status).toBe(401);
    expect((await postJson(`${auth.base}/api/v1/auth/register`, { ...newUser(), email: u.email })).status).toBe(201);
    expect((await postJson(`${auth.base}/api/v1/auth/register`, { ...newUser(), username: u.username })).status).toBe(409);
    // account.deleted waits in the outbox once per consumer (the worker is off here), each consumer
    // still owing its erasure: the name is released only when all of them confirm (test/events).
    const consumers = consumersOf('account.deleted').length;
    expect(consumers).toBeGreaterThan(0);
    expect(await auth.count('graphile_worker.jobs WHERE key LIKE $1', [`account.deleted:${reg.body.id}:%`])).toBe(consumers);
    expect(await auth.count('pending_erasures WHERE user_id = $1', [reg.body.id])).toBe(consumers);
    expect(await auth.count("audit_events WHERE action = 'account_deleted' AND target_id = $1", [reg.body.id])).toBe(2);
    expect(decodeJwt(session.body.accessToken).sub).toBe(reg.body.id);
  });

  it('answers 404 for an unknown id and the validation 400 (naming the id) for a malformed one', async () => {
    expect((await deleteAccount('00000000-0000-4000-8000-000000000000', 'users')).status).toBe(404);
    const malformed = await deleteAccount('not-a-uuid', 'users');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    expect(await malformed.json()).toMatchObject({
      type: 'https://agora.dev/problems/validation',
      errors: [{ field: 'id', message: expect.stringMatching(/^must be a UUID/) }],
    });
  });
});
