// The load generator: drives Agora's public journey through an ingress at a chosen rate, with the
// bench's load code (bench/lib/load.mjs, autocannon). Like Online Boutique's loadgenerator it runs as
// a Deployment in the cluster (bench/loadgen/k8s) and from a shell:
//   AGORA_BASE_URL=http://127.0.0.1:8080 node bench/loadgen/loadgen.mjs
// Settings (environment):
//   AGORA_BASE_URL        the ingress (required)
//   LOADGEN_USERS         accounts used, each posting and following the next (default 4)
//   LOADGEN_PASSWORD      when set, the accounts are <LOADGEN_USER_PREFIX>_<n> (default prefix loadgen)
//                         with this password, signed into and registered only if missing, so a
//                         restarted pod reuses them (auth allows 3 sign-ups per IP and hour);
//                         without it, new throwaway accounts each start
//   LOADGEN_CONNECTIONS   concurrent connections (default 4)
//   LOADGEN_RATE          requests per second over all connections, 0 = as fast as answered (default 20)
//   LOADGEN_DURATION_S    length of one round in seconds (default 60)
//   LOADGEN_ROUNDS        rounds, 0 = until stopped (default 0; the Deployment runs forever)
//   LOADGEN_SMOKE=1       one short round (LOADGEN_DURATION_S, default 10 here) and exit 1 on any 5xx
//                         or connection error, 0 otherwise: a deploy check.
// One line of JSON per round on stdout: requests, statuses, errors, latency percentiles.
import { randomBytes } from 'node:crypto';
import { load } from '../lib/load.mjs';

const env = process.env;
const base = env.AGORA_BASE_URL?.replace(/\/$/, '');
if (!base) {
  console.error('loadgen: AGORA_BASE_URL is required, e.g. http://istio-ingressgateway.istio-system.svc.cluster.local');
  process.exit(64);
}
const smoke = env.LOADGEN_SMOKE === '1';
const int = (name, dflt) => {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`loadgen: ${name} must be a whole number ≥ 0, got "${raw}"`);
    process.exit(64);
  }
  return n;
};
const users = Math.max(1, int('LOADGEN_USERS', 4));
const connections = Math.max(1, int('LOADGEN_CONNECTIONS', 4));
const rate = int('LOADGEN_RATE', 20);
const duration = Math.max(1, int('LOADGEN_DURATION_S', smoke ? 10 : 60));
const rounds = smoke ? 1 : int('LOADGEN_ROUNDS', 0);

async function call(method, path, body, token) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/** The journey's first steps for each account: register, sign in, a post, a follow. */
async function signIn(username, password) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: username, password }),
    signal: AbortSignal.timeout(15_000),
  });
  if (res.status === 401) return undefined;
  const body = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/v1/auth/login: ${res.status} ${body.slice(0, 200)}`);
  return JSON.parse(body).accessToken;
}

async function setUp() {
  const run = randomBytes(3).toString('hex');
  const fixed = env.LOADGEN_PASSWORD;
  const people = [];
  for (let i = 0; i < users; i++) {
    const username = fixed ? `${env.LOADGEN_USER_PREFIX || 'loadgen'}_${i}` : `load_${run}_${i}`;
    const password = fixed || `load-${randomBytes(12).toString('hex')}`;
    let accessToken = fixed ? await signIn(username, password) : undefined;
    if (!accessToken) {
      await call('POST', '/api/v1/auth/register', { username, email: `${username}@example.com`, password });
      accessToken = await signIn(username, password);
    }
    const me = await call('GET', '/api/v1/users/me', undefined, accessToken);
    const post = await call('POST', '/api/v1/posts', { text: `load ${run} ${i}` }, accessToken);
    people.push({ token: accessToken, id: me.id, postId: post.id });
  }
  for (let i = 0; i < people.length && people.length > 1; i++) {
    // Following twice is a no-op for the API, so a restart with the same accounts is fine.
    await call('POST', `/api/v1/users/${people[(i + 1) % people.length].id}/follow`, undefined, people[i].token);
  }
  return people;
}

/** What each connection repeats, as one of the accounts: the feed, a profile, a post, a write. */
function requests(people) {
  let next = 0;
  const who = () => people[next++ % people.length];
  return [
    {
      method: 'GET',
      path: '/api/v1/feed?limit=20',
      setupRequest: (r) => ({ ...r, headers: { ...r.headers, authorization: `Bearer ${who().token}` } }),
    },
    { method: 'GET', path: '/api/v1/users/me', setupRequest: (r) => ({ ...r, headers: { ...r.headers, authorization: `Bearer ${who().token}` } }) },
    {
      method: 'GET',
      setupRequest: (r) => {
        const p = who();
        return { ...r, path: `/api/v1/posts/${p.postId}`, headers: { ...r.headers, authorization: `Bearer ${p.token}` } };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/posts',
      setupRequest: (r) => ({
        ...r,
        headers: { ...r.headers, 'content-type': 'application/json', authorization: `Bearer ${who().token}` },
        body: JSON.stringify({ text: `load ${randomBytes(4).toString('hex')}` }),
      }),
    },
  ];
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => (stopping = true));

const people = await setUp();
let failed = false;
for (let round = 1; (rounds === 0 || round <= rounds) && !stopping; round++) {
  const r = await load({
    url: base,
    connections,
    duration,
    ...(rate > 0 ? { overallRate: rate } : {}),
    requests: requests(people),
  });
  const fiveXx = Object.entries(r.statuses)
    .filter(([s]) => Number(s) >= 500)
    .reduce((n, [, c]) => n + c, 0);
  console.log(
    JSON.stringify({ round, requests: r.requests, ok: r.ok, statuses: r.statuses, errors: r.errors, fiveXx, rps: r.rps, p50: r.p50, p99: r.p99 }),
  );
  if (fiveXx > 0 || r.errors > 0 || r.ok === 0) failed = true;
}
if (smoke && failed) {
  console.error('loadgen: smoke failed (a 5xx, a connection error or no successful request)');
  process.exit(1);
}
