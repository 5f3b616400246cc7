import { DEMO_PASSWORD, DEMO_USERS, apiAs, demoEmail, expectStatus, signInDemo, type DemoApi } from './demo-data.js';

/**
 * The local run's demo data, made through the public API of the ingress like a real client would:
 * accounts, then profiles and follows, then posts, likes and comments. Idempotent: a second start
 * finds the data and adds nothing. The one step no client can take — giving the demo admin its
 * role — is the operator's command (`grantAdmin`, auth's grant-role script), as in production.
 */
export interface DemoSeedOptions {
  readonly ingressUrl: string;
  readonly grantAdmin: (username: string) => Promise<void>;
  /** Marks the demo accounts' addresses verified (auth's operator command `verify-email`). */
  readonly verifyEmails: (usernames: string[]) => Promise<void>;
  readonly log: (line: string) => void;
}

export async function seedDemoData({ ingressUrl, grantAdmin, verifyEmails, log }: DemoSeedOptions): Promise<void> {
  await seedAccounts(ingressUrl, log);
  await verifyEmails(DEMO_USERS.map((u) => u.username));
  for (const admin of DEMO_USERS.filter((u) => u.admin)) await grantAdmin(admin.username);
  const sessions: Sessions = new Map();
  for (const user of DEMO_USERS) sessions.set(user.username, await signInDemo(ingressUrl, user.username));
  const ids = await seedProfiles(sessions, log);
  await seedPosts(sessions, ids, log);
}

async function seedAccounts(ingressUrl: string, log: DemoSeedOptions['log']): Promise<void> {
  const api = apiAs(ingressUrl);
  let created = 0;
  for (const user of DEMO_USERS) {
    const res = await api.POST('/api/v1/auth/register', {
      body: { username: user.username, email: demoEmail(user.username), password: DEMO_PASSWORD },
    });
    expectStatus(`register ${user.username}`, res, 201, 409);
    if (res.response.status === 201) created += 1;
  }
  log(`${created} demo account(s) created, ${DEMO_USERS.length - created} already there; password "${DEMO_PASSWORD}"`);
}

type Sessions = Map<string, DemoApi>;

/** Display names, bios and the follow graph (PATCH and follow are idempotent). Returns username → id. */
async function seedProfiles(sessions: Sessions, log: DemoSeedOptions['log']): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const user of DEMO_USERS) {
    const me = await sessions.get(user.username)!.PATCH('/api/v1/users/me', { body: { displayName: user.displayName, bio: user.bio } });
    expectStatus(`profile of ${user.username}`, me, 200);
    ids.set(user.username, me.data!.id);
  }
  let follows = 0;
  for (const user of DEMO_USERS) {
    for (const target of user.follows) {
      const res = await sessions.get(user.username)!.POST('/api/v1/users/{id}/follow', { params: { path: { id: ids.get(target)! } } });
      expectStatus(`${user.username} follows ${target}`, res, 200, 201, 204);
      follows += 1;
    }
  }
  log(`${DEMO_USERS.length} profiles, ${follows} follows in place`);
  return ids;
}

/** Posts of users who have none yet, then likes and comments from their followers on those new posts. */
async function seedPosts(sessions: Sessions, ids: Map<string, string>, log: DemoSeedOptions['log']): Promise<void> {
  let created = 0;
  const newPosts = new Map<string, string[]>();
  for (const user of DEMO_USERS) {
    const api = sessions.get(user.username)!;
    const existing = await api.GET('/api/v1/posts', { params: { query: { limit: 1 } } });
    expectStatus(`posts of ${user.username}`, existing, 200);
    if (existing.data!.items.length > 0) continue;
    for (const text of user.posts) {
      const res = await api.POST('/api/v1/posts', { body: { text } });
      expectStatus(`post by ${user.username}`, res, 201);
      newPosts.set(user.username, [...(newPosts.get(user.username) ?? []), res.data!.id]);
      created += 1;
    }
  }
  let reactions = 0;
  for (const user of DEMO_USERS) {
    const api = sessions.get(user.username)!;
    for (const followee of user.follows) {
      for (const postId of newPosts.get(followee) ?? []) {
        const path = { id: postId };
        expectStatus('like', await api.POST('/api/v1/posts/{id}/like', { params: { path } }), 200);
        expectStatus('comment', await api.POST('/api/v1/posts/{id}/comments', { params: { path }, body: { text: `Nice one, ${followee}!` } }), 201);
        reactions += 1;
      }
    }
  }
  log(`${created} post(s) and ${reactions} like+comment pair(s) created${created === 0 ? ' (demo posts already there)' : ''}`);
}
