import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '@agora/client/schema';

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

/** The public API's typed client (the types of @agora/client, openapi/agora.json), with a token or none. */
export type DemoApi = Client<paths>;

export function apiAs(ingressUrl: string, token?: string): DemoApi {
  return createClient<paths>({ baseUrl: ingressUrl, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Signs a demo user in through the ingress and returns the typed client with their token. */
export async function signInDemo(ingressUrl: string, username: string): Promise<DemoApi> {
  const { data, error, response } = await apiAs(ingressUrl).POST('/api/v1/auth/login', { body: { login: username, password: DEMO_PASSWORD } });
  if (!data || !('accessToken' in data)) throw new Error(`demo sign-in of ${username} failed: ${response.status} ${JSON.stringify(error ?? data)}`);
  return apiAs(ingressUrl, data.accessToken);
}

/** Throws with the problem when a seed call got an unexpected status. */
export function expectStatus(what: string, got: { response: Response; error?: unknown }, ...ok: number[]): void {
  if (!ok.includes(got.response.status)) throw new Error(`${what}: HTTP ${got.response.status} ${JSON.stringify(got.error)}`);
}
