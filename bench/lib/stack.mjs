// The platform on loopback for the bench, as test/helpers/stack.ts starts it for the tests (that
// helper is TypeScript run by vitest, so the bench has this small plain-JS twin built on the same
// compiled tools modules): fresh databases on one PostgreSQL, every service as its own process
// started by tools/src/local/services.ts startService, the local object store and the local ingress.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAgoraClient } from '@agora/client';
import { ROOT, cpuSecondsOf, freePort, logFileFor, onCleanup, runNode, spawnNode, waitFor200 } from './procs.mjs';
import { topology } from '../../scripts/lib/topology.mjs';

const tools = (p) => import(pathToFileURL(path.join(ROOT, 'tools', 'dist', p)).href);

const { SERVICES } = await topology();
export const SERVICE_NAMES = SERVICES.map((s) => s.name);

/** Embedded PostgreSQL (or TEST_DATABASE_URL), stopped at cleanup. */
export async function startPostgres() {
  const { startTestPostgres } = await tools('testing/postgres.js');
  const pg = await startTestPostgres({ log: (line) => console.log(line) });
  onCleanup(() => pg.stop());
  return pg;
}

export async function freshDatabase(adminUrl, name) {
  const { createDatabase, databaseUrl } = await tools('local/databases.js');
  const db = `bench_${name}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await createDatabase(adminUrl, db);
  return databaseUrl(adminUrl, db);
}

/**
 * A sink for OTLP/HTTP trace exports: answers 200 to every POST after reading the body, so the
 * services run their tracing exactly as in production (spans created, batched, serialised, sent).
 */
export async function startOtlpSink() {
  let exports = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (d) => (bytes += d.length));
    req.on('end', () => {
      exports += 1;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
      res.end();
    });
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const sink = {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ exports, bytes }),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  onCleanup(sink.close);
  return sink;
}

/**
 * The `node` arguments a service runs with, as deployed: tools/src/local/services.ts
 * SERVICE_NODE_ARGS (the images' V8 flags), which the local run and the
 * tests use too.
 */
const { SERVICE_NODE_ARGS: DEPLOYED_NODE_ARGS, serviceScript: toolsServiceScript, startService } = await tools('local/services.js');
const { newPlatformSecrets, serviceEnv } = await tools('local/service-env.js');
export const SERVICE_NODE_ARGS = [
  ...DEPLOYED_NODE_ARGS,
  // For experiments only, after the deployed flags so that they win (e.g.
  // BENCH_SERVICE_NODE_ARGS=--max-semi-space-size=16 for V8's default young generation); the
  // table's figures are taken without it, as the services are deployed.
  ...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
];

/** The bundled entry point, as the images and the local run start it (scripts/bundle.mjs). */
export function serviceScript(name) {
  return toolsServiceScript(name, 'main');
}

/**
 * Starts a service the one way every runner does (tools/src/local/services.ts startService), its
 * output to a log file (procs.mjs logFileFor), stopped at cleanup. `readyMs`: from just before the
 * spawn to the first 200 of /healthz/ready (asked every 5 ms); `startCpuMs`: the CPU the start took.
 */
export async function startServiceProcess(name, env, { script = serviceScript(name), label = name, nodeArgs = SERVICE_NODE_ARGS } = {}) {
  const port = Number(env.PORT);
  const logFile = logFileFor(label);
  const t0 = performance.now();
  const running = await startService(
    SERVICES.find((s) => s.name === name),
    { HOST: '127.0.0.1', ...env },
    { script, nodeArgs, output: { file: logFile }, readyPollMs: 5, readyTimeoutMs: 30_000 },
  );
  const readyMs = performance.now() - t0;
  let gone = false;
  running.exited.then(() => (gone = true));
  onCleanup(() => running.stop());
  // CPU the start took (all threads): unlike the wall time, not stretched by other work on the machine.
  const startCpuMs = (await cpuSecondsOf(running.pid).catch(() => NaN)) * 1000;
  return {
    label,
    name,
    pid: running.pid,
    exited: running.exited,
    output: running.output,
    logFile,
    alive: () => !gone,
    stop: async (graceMs = 10_000) => {
      await running.stop(graceMs);
      return running.exited;
    },
    base: running.url,
    port,
    readyMs,
    startCpuMs,
  };
}

/**
 * Starts the stack. `otlpEndpoint`: where the services export traces (tracing on), or undefined
 * (tracing off). Sampling as in the prod overlay (services/k8s/overlays/prod: parentbased_traceidratio
 * 0.05; the bench's requests carry no upstream decision, so the ratio applies); `sampleRatio: '1.0'`
 * is the dev overlay's every-request tracing.
 */
export async function startStack({ adminUrl, otlpEndpoint, sampleRatio = '0.05', log = () => {} }) {
  const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (s) => [s, await freePort()])));
  const ingressPort = await freePort();
  const storePort = await freePort();
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'agora-bench-objects-'));
  const mailDir = await mkdtemp(path.join(os.tmpdir(), 'agora-bench-mail-'));
  onCleanup(() => rm(storeDir, { recursive: true, force: true }));
  onCleanup(() => rm(mailDir, { recursive: true, force: true }));
  const secrets = newPlatformSecrets();
  const ingressUrl = `http://127.0.0.1:${ingressPort}`;

  const databases = {};
  await Promise.all(
    SERVICE_NAMES.map(async (s) => {
      databases[s] = await freshDatabase(adminUrl, s);
      await runNode(`${s}:migrate`, path.join(ROOT, 'services', s, 'dist', 'migrate.js'), {
        env: { DATABASE_URL: databases[s], LOG_LEVEL: 'silent' },
        cwd: path.join(ROOT, 'services', s),
      });
    }),
  );
  log(`databases created and migrated: ${SERVICE_NAMES.join(', ')}`);

  const addresses = {
    ports,
    ingressUrl,
    objectStore: { publicUrl: `${ingressUrl}/objects`, internalUrl: `http://127.0.0.1:${storePort}/objects` },
  };
  const tracing = otlpEndpoint
    ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: sampleRatio }
    : { OTEL_SDK_DISABLED: 'true' };
  // The bench signs many users in from 127.0.0.1.
  const raisedLimits = {
    RATE_LIMIT_SIGNUP_PER_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000',
    RATE_LIMIT_CODE_PER_IP: '1000000',
    RATE_LIMIT_CODE_PER_EMAIL: '1000000',
  };
  // The bench posts, likes and follows far faster than any one person may (mesh/src/limits).
  const raisedAccountLimits = {
    RATE_LIMIT_POSTS: '1000000/1h',
    RATE_LIMIT_COMMENTS: '1000000/1h',
    RATE_LIMIT_LIKES: '1000000/1h',
    RATE_LIMIT_FOLLOWS: '1000000/1h',
    RATE_LIMIT_UPLOADS: '1000000/1h',
  };
  const env = Object.fromEntries(
    SERVICE_NAMES.map((s) => [
      s,
      serviceEnv(s, {
        addresses,
        secrets,
        databaseUrl: databases[s],
        mailboxDir: mailDir,
        logLevel: process.env.BENCH_LOG_LEVEL ?? 'info', // production level: access logs are part of the cost
        passThrough: process.env,
        overrides: { ...tracing, ...(s === 'auth' ? raisedLimits : raisedAccountLimits) },
      }),
    ]),
  );

  const services = {};
  // auth first: the others fetch its JWKS.
  services.auth = await startServiceProcess('auth', env.auth);
  for (const s of SERVICE_NAMES.slice(1)) services[s] = await startServiceProcess(s, env[s]);
  log(`services ready: ${SERVICE_NAMES.map((s) => `${s} ${services[s].readyMs.toFixed(0)} ms`).join(', ')}`);

  const { startObjectStore } = await tools('local/object-store.js');
  const store = await startObjectStore({ dir: storeDir, signingKey: secrets.LOCAL_STORE_SIGNING_KEY, port: storePort });
  onCleanup(() => store.close(1000));
  // The ingress in its own process (as the local runner's), not in the bench process that runs autocannon.
  const ingress = spawnNode('ingress', path.join(ROOT, 'bench', 'ingress-server.mjs'), {
    env: {
      PORT: String(ingressPort),
      UPSTREAMS: JSON.stringify(Object.fromEntries(SERVICE_NAMES.map((s) => [s, `http://127.0.0.1:${ports[s]}`]))),
      OBJECT_STORE: `http://127.0.0.1:${storePort}`,
      // The web app, when built (npm run bench builds it): the first-paint row opens it in Chromium.
      ...(existsSync(path.join(ROOT, 'web', 'dist', 'index.html')) ? { WEB_ROOT: path.join(ROOT, 'web', 'dist') } : {}),
    },
  });
  onCleanup(() => ingress.stop());
  await waitFor200(ingress, `${ingressUrl}/.well-known/jwks.json`);
  return { url: ingressUrl, ingress, services, databases, env, ports, meshKey: secrets.MESH_LOCAL_KEY };
}

let sequence = 0;
/**
 * Registers and signs in a new user through the ingress (as test/helpers/stack.ts newSession), with
 * the typed client of the public API (@agora/client), so a changed contract fails here by name.
 */
export async function newSession(base, prefix = 'bench') {
  sequence += 1;
  const username = `${prefix}_${sequence}_${randomBytes(3).toString('hex')}`;
  const password = `Pass-${randomBytes(8).toString('hex')}`;
  const api = createAgoraClient(base);
  const reg = await api.POST('/api/v1/auth/register', { body: { username, email: `${username}@example.com`, password } });
  if (reg.response.status !== 201) throw new Error(`register failed: ${reg.response.status} ${JSON.stringify(reg.error)}`);
  const login = await api.POST('/api/v1/auth/login', { body: { login: username, password } });
  if (login.response.status !== 200) throw new Error(`login failed: ${login.response.status} ${JSON.stringify(login.error)}`);
  return { id: reg.data.id, username, password, token: login.data.accessToken, refreshToken: login.data.refreshToken };
}

/** A fresh access token (new jti) for a session, by rotating its refresh token (no password hashing). */
export async function refreshSession(base, session) {
  const r = await createAgoraClient(base).POST('/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
  if (r.response.status !== 200) throw new Error(`refresh failed: ${r.response.status} ${JSON.stringify(r.error)}`);
  session.refreshToken = r.data.refreshToken;
  session.token = r.data.accessToken;
  return r.data.accessToken;
}

export function postJson(url, body, headers = {}) {
  return fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function getJson(url, headers = {}) {
  return fetchJson(url, { headers });
}

/** `{ status, body }` with the body parsed as JSON when it is JSON, else the text as it came. */
async function fetchJson(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}
