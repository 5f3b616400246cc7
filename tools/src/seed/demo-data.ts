/**
 * The local run's demo data, shared by the services' seed scripts (services/<name>/src/seed.ts),
 * which run in topology order after every service is ready: auth creates the accounts, users the
 * profiles and follows, posts the posts, likes and comments — each through the public API of the
 * ingress, like a real client, and each idempotent (a second start finds the data and adds nothing).
 */
export const DEMO_PASSWORD = 'agora-demo-password';

export interface DemoUser {
  username: string;
  displayName: string;
  bio: string;
  /** Usernames this user follows. */
  follows: string[];
  posts: string[];
  admin?: boolean;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: 'ada',
    displayName: 'Ada Lovelace',
    bio: 'Writing notes on the Analytical Engine.',
    follows: ['grace', 'alan'],
    posts: ['The engine weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves.', 'Note G is finally done.'],
  },
  {
    username: 'grace',
    displayName: 'Grace Hopper',
    bio: 'It is easier to ask forgiveness than it is to get permission.',
    follows: ['ada', 'margaret'],
    posts: ['Found an actual bug in relay 70 today.', 'A ship in port is safe, but that is not what ships are built for.'],
  },
  {
    username: 'alan',
    displayName: 'Alan Turing',
    bio: 'Can machines think?',
    follows: ['ada', 'grace'],
    posts: ['We can only see a short distance ahead, but we can see plenty there that needs to be done.'],
  },
  {
    username: 'margaret',
    displayName: 'Margaret Hamilton',
    bio: 'Software engineering, before it had a name.',
    follows: ['grace', 'ada', 'alan'],
    posts: ['The 1202 alarm was the software doing exactly what it was designed to do.'],
  },
  {
    username: 'admin',
    displayName: 'Agora Admin',
    bio: 'Demo administrator (role admin).',
    follows: [],
    posts: [],
    admin: true,
  },
];

export const demoEmail = (username: string) => `${username}@demo.agora.local`;

/** Signs a demo user in through the ingress and returns request helpers with their token. */
export async function signInDemo(ingressUrl: string, username: string) {
  const res = await fetch(`${ingressUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: username, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`demo sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return apiAs(ingressUrl, accessToken);
}

export function apiAs(ingressUrl: string, token?: string) {
  return async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${ingressUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/** Throws with the answer when a seed call got an unexpected status. */
export function expectStatus(what: string, got: { status: number; body: unknown }, ...ok: number[]): void {
  if (!ok.includes(got.status)) throw new Error(`${what}: HTTP ${got.status} ${JSON.stringify(got.body)}`);
}
