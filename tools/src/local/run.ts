/**
 * `npm start`: the whole platform on one machine, no cluster and no Docker.
 *
 * PostgreSQL (embedded, data in .data/postgres, or AGORA_POSTGRES_URL) → one database per service →
 * each built service's migrations → the services, each awaited until ready → the ingress on one
 * port (plus the local object store that stands in for S3) → the optional seed scripts → a summary. Ctrl-C / SIGTERM stops everything in the reverse
 * order and exits 0; a second Ctrl-C forces. A service that dies stops everything with exit 1.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, INGRESS_LOCAL_PORT, LOCAL_OBJECT_STORE, type ServiceName, type ServiceTopology } from '@agora/mesh/topology';
import { ensureDatabases, redactUrl, databaseUrl } from './databases.js';
import { startIngress, type Ingress } from './ingress.js';
import { startObjectStore, type ObjectStore } from './object-store.js';
import { say, warn } from './output.js';
import { DATA_DIR, MAILBOX_DIR, POSTGRES_DATA_DIR, SECRETS_FILE, REPO_ROOT } from './paths.js';
import { assertPortsFree, PortBusyError, type PortNeed } from './ports.js';
import { startLocalPostgres, type LocalPostgres } from './postgres.js';
import { runningPostmaster } from './embedded-server.js';
import { loadLocalSecrets } from './secrets.js';
import { runSeeds, seedingEnabled } from './seed.js';
import { discoverServices, killChildren, runScript, startService, type RunningService } from './services.js';
import { serviceEnv } from './service-env.js';
import {
  PROMETHEUS_BIN,
  PROMETHEUS_LOCAL_CONFIG,
  prometheusInstalled,
  startPrometheus,
  writeLocalPrometheusConfig,
  type RunningPrometheus,
} from './prometheus.js';
import {
  ALERTMANAGER_BIN,
  ALERTMANAGER_CONFIG,
  alertmanagerInstalled,
  localAlertmanagerConfig,
  startAlertmanager,
  type RunningAlertmanager,
} from './alertmanager.js';
import { probePort } from './ports.js';

const HELP = `Usage: npm start [-- --no-seed]

Starts PostgreSQL, every built service and the ingress (see docs/local-run.md).

Environment:
  AGORA_INGRESS_PORT   ingress port (default ${INGRESS_LOCAL_PORT})
  AGORA_PG_PORT        embedded PostgreSQL port (default 5433)
  AGORA_POSTGRES_URL   admin URL of your own PostgreSQL; no embedded server is started
  AGORA_SEED=false     same as --no-seed
  AGORA_PROMETHEUS_PORT  Prometheus port when .tools/bin/prometheus is installed (default 9090; 0 = don't start it)
  AGORA_ALERTMANAGER_PORT  Alertmanager port when .tools/bin/alertmanager is installed (default 9093; 0 = don't start it)
  LOG_LEVEL, CORS_ORIGINS, OTEL_*   passed to the services
`;

function intEnv(name: string, fallback: number, allowZero = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (allowZero && n === 0) return 0;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  }
  return n;
}

let shuttingDown = false;
let forced = false;
let ingress: Ingress | undefined;
let objectStore: ObjectStore | undefined;
const OBJECTS_DIR = path.join(DATA_DIR, 'objects');
const running: RunningService[] = [];
let postgres: LocalPostgres | undefined;
let prometheus: RunningPrometheus | undefined;
let prometheusNote = '';
let alertmanager: RunningAlertmanager | undefined;
let alertmanagerNote = '';

async function shutdown(code: number, reason: string): Promise<never> {
  if (shuttingDown) return new Promise<never>(() => undefined);
  shuttingDown = true;
  say('runner', `stopping (${reason})…`);
  try {
    if (prometheus) await prometheus.stop(5_000);
    if (alertmanager) await alertmanager.stop(5_000);
    if (ingress) await ingress.close(3_000);
    // Services drain in parallel (each gets SIGTERM, SIGKILL after 10 s), newest first is not
    // needed: they do not depend on each other for shutting down.
    await Promise.all(running.map((s) => s.stop(10_000)));
    if (objectStore) await objectStore.close(3_000);
    await killChildren('SIGTERM', 5_000); // a migration or seed still running
    if (postgres) await postgres.stop();
    say('runner', 'stopped; nothing left running');
  } catch (err) {
    warn('runner', `error while stopping: ${(err as Error).message}`);
    code = code || 1;
  }
  process.exit(code);
}

function force(): void {
  if (forced) return;
  forced = true;
  warn('runner', 'second signal: forcing everything down');
  void killChildren('SIGKILL', 0);
  postgres?.kill();
  process.exit(130);
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) force();
  else void shutdown(0, signal);
}

/** Throws when a shutdown began while we were starting something; the caller stops. */
function checkpoint(): void {
  if (shuttingDown) throw new StartInterrupted();
}
class StartInterrupted extends Error {}

function summary(opts: { ingressUrl: string; seeds: string }): void {
  const lines: string[] = [];
  const col = (label: string, value: string) => lines.push(`  ${label.padEnd(12)} ${value}`);
  lines.push('', 'Agora is running locally', '');
  col('web app', `${opts.ingressUrl}/   (open it in a browser; sign in as ada / agora-demo-password)`);
  col('ingress', `${opts.ingressUrl}   (public API: ${opts.ingressUrl}/api/v1/...)`);
  col('API docs', `${opts.ingressUrl}/docs   (Swagger UI of the whole public API, openapi/agora.json)`);
  for (const s of SERVICES) {
    const r = running.find((x) => x.service.name === s.name);
    if (r) col(s.name, `${r.url}   Swagger UI ${r.url}/docs   routes ${s.publicPrefixes.join(', ')}`);
    else col(s.name, `not built (services/${s.name}/dist/main.js is missing) — its routes answer 503`);
  }
  if (postgres) {
    col('postgres', `${redactUrl(postgres.adminUrl)} (${postgres.kind} PostgreSQL ${postgres.version})`);
    col('databases', SERVICES.map((s) => redactUrl(databaseUrl(postgres!.adminUrl, s.database)).replace(/^.*\//, '')).join(', '));
  }
  if (objectStore) col('objects', `${opts.ingressUrl}${LOCAL_OBJECT_STORE.publicPrefix}/ (local object store for media, ${objectStore.url})`);
  col(
    'data dir',
    `${path.relative(process.cwd(), DATA_DIR) || DATA_DIR}/ (${postgres?.kind === 'embedded' ? 'postgres/, ' : ''}${objectStore ? 'objects/, ' : ''}local-secrets.json)`,
  );
  col(
    'mailbox',
    `${path.relative(process.cwd(), MAILBOX_DIR) || MAILBOX_DIR}/ (mail auth sends, e.g. passwordless sign-in codes, one .eml file each)`,
  );
  col('seed', opts.seeds);
  col('prometheus', prometheusNote);
  col('alertmanager', alertmanagerNote);
  lines.push('', '  Ctrl-C stops everything (twice forces).', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const unknown = args.filter((a) => a !== '--no-seed');
  if (unknown.length) throw new Error(`unknown argument(s): ${unknown.join(' ')}\n\n${HELP}`);

  const ingressPort = intEnv('AGORA_INGRESS_PORT', INGRESS_LOCAL_PORT);
  const pgPort = intEnv('AGORA_PG_PORT', 5433);
  const externalUrl = process.env.AGORA_POSTGRES_URL || undefined;
  const seed = seedingEnabled(args);

  const { built, missing } = await discoverServices();
  if (missing.length) {
    warn('runner', `not built, not started: ${missing.map((s) => s.name).join(', ')} (no services/<name>/dist/main.js; run npm run build)`);
  }
  if (!built.length) warn('runner', 'no service is built: starting PostgreSQL and the ingress only');

  if (!externalUrl) {
    // A runner that was killed (kill -9, closed terminal) leaves its PostgreSQL behind; say so
    // rather than only "port busy".
    const leftover = await runningPostmaster(POSTGRES_DATA_DIR);
    if (leftover !== undefined) {
      throw new PortBusyError([
        {
          port: pgPort,
          purpose: 'the embedded PostgreSQL',
          reason: `held by a PostgreSQL left over from an earlier run on ${path.relative(REPO_ROOT, POSTGRES_DATA_DIR)}${leftover > 0 ? ` (stop it: kill -INT ${leftover})` : ''}`,
        },
      ]);
    }
  }

  // Every port before anything starts: a busy port is one clear error and nothing is left running.
  const needs: PortNeed[] = [{ port: ingressPort, purpose: 'the local ingress (AGORA_INGRESS_PORT)' }];
  if (!externalUrl) needs.push({ port: pgPort, purpose: 'the embedded PostgreSQL (AGORA_PG_PORT)', host: '127.0.0.1' });
  for (const s of built) needs.push({ port: s.localPort, purpose: `the ${s.name} service` });
  const withObjectStore = built.some((s) => s.name === 'media');
  if (withObjectStore) needs.push({ port: LOCAL_OBJECT_STORE.localPort, purpose: 'the local object store (media uploads)' });
  await assertPortsFree(needs);

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const secrets = await loadLocalSecrets(SECRETS_FILE);

  say(
    'postgres',
    externalUrl ? 'using AGORA_POSTGRES_URL' : `starting embedded PostgreSQL on 127.0.0.1:${pgPort} (${path.relative(REPO_ROOT, POSTGRES_DATA_DIR)})`,
  );
  postgres = await startLocalPostgres({
    externalUrl,
    dataDir: POSTGRES_DATA_DIR,
    port: pgPort,
    password: secrets.POSTGRES_PASSWORD,
    onLog: (line) => {
      // PostgreSQL's own log: only what is worth a look.
      if (/\b(ERROR|FATAL|PANIC|WARNING)\b/.test(line)) say('postgres', line);
    },
  });
  if (shuttingDown) {
    await postgres.stop();
    return;
  }
  say('postgres', `${postgres.kind} PostgreSQL ${postgres.version} ready${postgres.initialised ? ' (new data directory)' : ''}`);
  void postgres.exited.then(() => {
    if (!shuttingDown) void shutdown(1, 'PostgreSQL stopped unexpectedly');
  });
  checkpoint();

  const created = await ensureDatabases(
    postgres.adminUrl,
    SERVICES.map((s) => s.database),
  );
  say('postgres', created.length ? `created databases: ${created.join(', ')}` : 'databases present');
  checkpoint();

  if (withObjectStore) {
    objectStore = await startObjectStore({
      dir: OBJECTS_DIR,
      signingKey: secrets.LOCAL_STORE_SIGNING_KEY,
      port: LOCAL_OBJECT_STORE.localPort,
      host: '127.0.0.1',
      corsOrigins: (process.env.CORS_ORIGINS ?? 'http://localhost:5173,http://localhost:3000')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      onError: (line) => warn('objects', line),
    });
    say('objects', `local object store on ${objectStore.url} (${path.relative(REPO_ROOT, OBJECTS_DIR)})`);
    checkpoint();
  }

  const addresses = {
    ports: Object.fromEntries(SERVICES.map((s) => [s.name, s.localPort])) as Record<ServiceName, number>,
    ingressUrl: `http://localhost:${ingressPort}`,
    objectStore: {
      publicUrl: `http://localhost:${ingressPort}${LOCAL_OBJECT_STORE.publicPrefix}`,
      internalUrl: `http://127.0.0.1:${LOCAL_OBJECT_STORE.localPort}${LOCAL_OBJECT_STORE.publicPrefix}`,
    },
  };
  const envFor = (s: ServiceTopology) =>
    serviceEnv(s.name, {
      addresses,
      secrets,
      databaseUrl: databaseUrl(postgres!.adminUrl, s.database),
      mailboxDir: MAILBOX_DIR,
      logLevel: process.env.LOG_LEVEL ?? 'info',
      passThrough: process.env,
      // Everything on a laptop comes from 127.0.0.1: the product's 3 sign-ups per hour per address
      // would stop a developer trying things. The other limits stay as in production.
      overrides: s.name === 'auth' ? { RATE_LIMIT_SIGNUP_PER_IP: process.env.RATE_LIMIT_SIGNUP_PER_IP ?? '100' } : {},
    });
  for (const s of built) {
    const migrate = path.join(REPO_ROOT, 'services', s.name, 'dist', 'migrate.js');
    if (
      await access(migrate).then(
        () => true,
        () => false,
      )
    ) {
      say('runner', `${s.name}: migrating ${s.database}`);
      await runScript(s, 'migrate', envFor(s));
    } else warn('runner', `${s.name}: no dist/migrate.js, migrations skipped`);
    checkpoint();
  }

  for (const s of built) {
    say('runner', `${s.name}: starting on ${s.localPort}`);
    const r = await startService(s, envFor(s));
    running.push(r);
    checkpoint();
    say('runner', `${s.name}: ready`);
    void r.exited.then(({ code, signal }) => {
      if (!shuttingDown) void shutdown(1, `${s.name} exited unexpectedly (${code ?? signal})`);
    });
  }

  ingress = await startIngress({
    port: ingressPort,
    host: '127.0.0.1',
    upstreams: Object.fromEntries(running.map((r) => [r.service.name, r.url])),
    objectStore: objectStore?.url,
    edgeKey: secrets.MESH_LOCAL_KEY,
    onError: (line) => warn('ingress', line),
    onAccess: process.env.AGORA_INGRESS_LOG ? (line) => say('ingress', line) : undefined,
    // Media URLs name localhost; listed so the app's images also show when opened as 127.0.0.1.
    web: { root: path.join(REPO_ROOT, 'web', 'dist'), imageOrigins: [`http://localhost:${ingressPort}`] },
    apiDocs: { spec: path.join(REPO_ROOT, 'openapi', 'agora.json') },
  });
  checkpoint();

  await maybeStartAlertmanager();
  checkpoint();
  await maybeStartPrometheus();
  checkpoint();

  const auth = built.find((s) => s.name === 'auth');
  const seeded = auth ? await runSeeds({ enabled: seed, auth, authEnv: envFor(auth), ingressUrl: ingress.url }) : 'skipped';
  checkpoint();
  summary({
    ingressUrl: ingress.url,
    seeds: { skipped: 'skipped (--no-seed / AGORA_SEED=false, or auth is not built)', done: 'demo data in place', failed: 'FAILED (see above)' }[
      seeded
    ],
  });
}

/** Why an optional tool is not started, or undefined when it can start on `port`. */
async function notStartable(tool: string, portVar: string, port: number, installed: boolean, bin: string): Promise<string | undefined> {
  if (port === 0) return `not started (${portVar}=0)`;
  if (!installed) return `not installed (bash scripts/install-tools.sh puts it in ${path.relative(REPO_ROOT, bin)})`;
  const busy = await probePort(port);
  if (busy) {
    const note = `not started: port ${port} is ${busy} (set ${portVar})`;
    warn(tool, note);
    return note;
  }
  return undefined;
}

/**
 * Alertmanager beside Prometheus (observability/alertmanager/alertmanager.yml: the cluster's routes,
 * grouping and inhibition; receivers without integrations, so alerts are listed, not sent).
 * Optional: a problem is a warning.
 */
async function maybeStartAlertmanager(): Promise<void> {
  const port = intEnv('AGORA_ALERTMANAGER_PORT', 9093, true);
  const why = await notStartable('alertmanager', 'AGORA_ALERTMANAGER_PORT', port, await alertmanagerInstalled(), ALERTMANAGER_BIN);
  if (why) {
    alertmanagerNote = why;
    return;
  }
  const dataDir = path.join(DATA_DIR, 'alertmanager');
  say(
    'alertmanager',
    `starting on 127.0.0.1:${port} (${path.relative(REPO_ROOT, ALERTMANAGER_CONFIG)}, local receivers; data in ${path.relative(REPO_ROOT, dataDir)})`,
  );
  try {
    alertmanager = await startAlertmanager({
      config: await localAlertmanagerConfig(),
      dataDir,
      port,
      onLog: (line) => {
        if (/level=(error|warn)/.test(line)) say('alertmanager', line);
      },
    });
    const amtool = path.relative(process.cwd(), path.join(REPO_ROOT, '.tools', 'bin', 'amtool'));
    alertmanagerNote = `${alertmanager.url}   (alerts as JSON ${alertmanager.url}/api/v2/alerts, or ${amtool} --alertmanager.url=${alertmanager.url} alert; Debian's build has no web UI)`;
    void alertmanager.exited.then(({ code, signal }) => {
      if (!shuttingDown) warn('alertmanager', `exited (${code ?? signal}); the services keep running`);
    });
  } catch (err) {
    alertmanagerNote = `failed to start: ${(err as Error).message}`;
    warn('alertmanager', alertmanagerNote);
  }
}

/**
 * Prometheus on the local run's services (a copy of observability/prometheus/prometheus.local.yml:
 * the same rules as the cluster, alerts to the Alertmanager started above, runbook links into this
 * checkout) when `scripts/install-tools.sh` installed it. Optional: a problem is a warning.
 */
async function maybeStartPrometheus(): Promise<void> {
  const port = intEnv('AGORA_PROMETHEUS_PORT', 9090, true);
  const why = await notStartable('prometheus', 'AGORA_PROMETHEUS_PORT', port, await prometheusInstalled(), PROMETHEUS_BIN);
  if (why) {
    prometheusNote = why;
    return;
  }
  const dataDir = path.join(DATA_DIR, 'prometheus');
  const configFile = path.join(DATA_DIR, 'prometheus.yml'); // beside, not inside, the TSDB directory
  say(
    'prometheus',
    `starting on 127.0.0.1:${port} (${path.relative(REPO_ROOT, PROMETHEUS_LOCAL_CONFIG)}, data in ${path.relative(REPO_ROOT, dataDir)})`,
  );
  try {
    await writeLocalPrometheusConfig(configFile, { alertmanager: alertmanager ? new URL(alertmanager.url).host : undefined });
    prometheus = await startPrometheus({
      configFile,
      dataDir,
      port,
      onLog: (line) => {
        if (/level=(error|warn)/.test(line)) say('prometheus', line);
      },
    });
    // Debian's 2.42 serves the classic UI only: /graph and /alerts are 404 there.
    prometheusNote = `${prometheus.url}   (graph ${prometheus.url}/classic/graph, alerts ${prometheus.url}/classic/alerts; scrapes the services every 5 s)`;
    void prometheus.exited.then(({ code, signal }) => {
      if (!shuttingDown) warn('prometheus', `exited (${code ?? signal}); the services keep running`);
    });
  } catch (err) {
    prometheusNote = `failed to start: ${(err as Error).message}`;
    warn('prometheus', prometheusNote);
  }
}

main().catch((err: unknown) => {
  if (err instanceof StartInterrupted) return; // shutdown() is already under way
  if (err instanceof PortBusyError) {
    warn('runner', err.message);
    process.exit(1);
  }
  warn('runner', `cannot start: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1, 'start-up failed');
});
