/**
 * The live verification: the real Prometheus server (.tools/bin/prometheus, from
 * scripts/install-tools.sh) scrapes the real services, started the way the local run starts them
 * (mesh/src/local: migrations, `node <V8 flags> services/<name>/dist/main.bundle.mjs`,
 * the local ingress), with a config derived from observability/prometheus/prometheus.local.yml
 * (1 s scrapes and rule evaluation, the same rule files). Traffic goes through the ingress,
 * including a short database outage of auth (genuine 5xx). Then every PromQL expression of
 * the rules and dashboards (allExpressions(), Grafana variables substituted) is evaluated through
 * Prometheus' HTTP API:
 *  - every expression must be accepted by Prometheus;
 *  - an expression whose metrics come from services that ran must return data (alerts: each metric
 *    or recorded series they compare must return data, the comparison itself may be empty);
 *  - Istio and kube-state-metrics series cannot exist without a cluster: those expressions are
 *    checked against observability/metrics.json instead.
 * The test prints which services were live and how each expression was checked.
 * Needs the root vitest config (its global PostgreSQL); skipped without it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../../tools/src/local/ports.js';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { SERVICES, type ServiceName, type ServiceTopology } from '@agora/mesh';
import { discoverServices, runScript, startService, type RunningService } from '@agora/tools/local/services';
import { newPlatformSecrets, serviceEnv } from '@agora/tools/local/service-env';
import { startIngress, type Ingress } from '@agora/tools/local/ingress';
import { startPrometheus, type RunningPrometheus } from '@agora/tools/local/prometheus';
import { freshDatabase, testAdminUrlIfAny } from '../helpers/db.js';
import {
  OBS_DIR,
  allExpressions,
  checkContext,
  checkExpression,
  ensureTool,
  exposedSeriesNames,
  loadRegistry,
  loadRuleGroups,
  metricNames,
  ruleFiles,
  selectors,
  substituteGrafanaVariables,
  type Expression,
} from './promql.js';

const adminUrl = testAdminUrlIfAny();

const registry = loadRegistry();
const exposed = exposedSeriesNames(registry);
const recordedExpr = new Map<string, string>();
for (const file of ruleFiles())
  for (const g of loadRuleGroups(file)) for (const r of g.rules) if (r.record) recordedExpr.set(r.record, String(r.expr));

/** Registry metrics an expression depends on, following recording rules to their sources. */
function sourceMetrics(expr: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  for (const name of metricNames(expr)) {
    if (seen.has(name)) continue;
    seen.add(name);
    const e = exposed.get(name);
    if (e) out.add(e.metric.name);
    const rec = recordedExpr.get(name);
    if (rec) for (const m of sourceMetrics(rec, seen)) out.add(m);
  }
  return out;
}

interface Live {
  service: ServiceTopology;
  running: RunningService;
  url: string;
  database: string;
}

const live: Live[] = [];
const notLive: string[] = [];
let ingress: Ingress | undefined;
let prometheus: RunningPrometheus | undefined;
let workDir = '';

async function query(q: string): Promise<{ status: string; error?: string; data?: { resultType: string; result: unknown[] } }> {
  const res = await fetch(`${prometheus!.url}/api/v1/query?query=${encodeURIComponent(q)}`);
  return (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown[] } };
}
async function hasData(q: string): Promise<boolean> {
  const r = await query(q);
  return r.status === 'success' && (r.data?.result.length ?? 0) > 0;
}
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function json(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let doc: Record<string, unknown> | undefined;
  try {
    doc = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    doc = undefined;
  }
  return { status: res.status, body: doc };
}

/** Real traffic through the ingress: auth's flows, each other live service's public routes, and a database outage of auth. */
async function driveTraffic(base: string): Promise<void> {
  const api = `${base}/api/v1`;
  const token = randomBytes(3).toString('hex');
  const users = [0, 1, 2].map((i) => ({
    username: `live_${token}_${i}`,
    email: `live_${token}_${i}@example.com`,
    password: `Str0ng-pass-${token}-${i}`,
  }));
  for (const u of users) expect((await json('POST', `${api}/auth/register`, u)).status).toBe(201);
  const login = await json('POST', `${api}/auth/login`, { login: users[0]!.email, password: users[0]!.password });
  expect(login.status).toBe(200);
  const access = String(login.body!.accessToken);
  await json('POST', `${api}/auth/login`, { login: users[1]!.email, password: 'Wrong-password-1' });
  const refreshed = await json('POST', `${api}/auth/refresh`, { refreshToken: login.body!.refreshToken });
  expect(refreshed.status).toBe(200);
  expect((await json('POST', `${api}/auth/refresh`, { refreshToken: login.body!.refreshToken })).status).toBe(401); // reuse
  await json('GET', `${api}/auth/verify`, undefined, { authorization: `Bearer ${access}` });
  await json('GET', `${api}/auth/verify`);
  await json('GET', `${api}/auth/verify`, undefined, { authorization: 'Bearer not.a.jwt' });
  await json('GET', `${base}/.well-known/jwks.json`);
  await json('GET', `${api}/auth/no-such-route`);
  for (const l of live) {
    if (l.service.name === 'auth') continue;
    const prefix = l.service.publicPrefixes[0]!;
    const bearer = { authorization: `Bearer ${String(refreshed.body!.accessToken)}` };
    await json('GET', `${base}${prefix}/me`, undefined, bearer);
    await json('GET', `${base}${prefix}/${randomBytes(4).toString('hex')}`, undefined, bearer);
    await json('GET', `${base}${prefix}/me`);
  }
  // posts' feed asks users for the ids a user follows (a service-to-service call through ServiceClient)
  if (live.some((l) => l.service.name === 'posts')) {
    await json('GET', `${api}/feed`, undefined, { authorization: `Bearer ${String(refreshed.body!.accessToken)}` });
  }
  // A short outage of auth's database: requests fail fast with 5xx, and the pool recovers.
  const authLive = live.find((l) => l.service.name === 'auth')!;
  const dbName = new URL(authLive.database).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
    let fivexx = 0;
    for (let i = 0; i < 3; i++) {
      const r = await json('POST', `${api}/auth/login`, { login: users[2]!.email, password: users[2]!.password });
      if (r.status >= 500) fivexx++;
    }
    expect(fivexx, 'auth answers 5xx while its database is unreachable').toBeGreaterThan(0);
  } finally {
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    await admin.end();
  }
  await waitFor(
    'auth to recover',
    async () => (await json('POST', `${api}/auth/login`, { login: users[2]!.email, password: users[2]!.password })).status === 200,
  );
}

describe.skipIf(!adminUrl)('live: Prometheus against the running services', () => {
  beforeAll(async () => {
    const promBin = ensureTool('prometheus');
    workDir = mkdtempSync(join(tmpdir(), 'agora-live-prom-'));
    const { built } = await discoverServices();
    const secrets = newPlatformSecrets();
    // Every service on its own free port; the topology's ports may be taken by a developer's npm start.
    const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s.name, await freePort()] as const))) as Record<
      ServiceName,
      number
    >;
    const ingressPort = await freePort();
    const ingressUrl = `http://127.0.0.1:${ingressPort}`;
    const addresses = { ports, ingressUrl, objectStore: { publicUrl: `${ingressUrl}/objects`, internalUrl: `${ingressUrl}/objects` } };
    for (const s of built) {
      const database = await freshDatabase(`live_${s.name}`);
      const env = serviceEnv(s.name, {
        addresses,
        secrets,
        databaseUrl: database,
        mailboxDir: workDir,
        logLevel: 'fatal',
        passThrough: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' },
        overrides: { RATE_LIMIT_SIGNUP_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' },
      });
      try {
        await runScript(s, 'migrate', env, [], 60_000);
        const running = await startService(s, env, { readyTimeoutMs: 30_000, output: 'capture' });
        live.push({ service: s, running, url: running.url, database });
      } catch (err) {
        notLive.push(`${s.name} (${(err as Error).message.split('\n')[0]})`);
      }
    }
    for (const s of SERVICES) if (!built.some((b) => b.name === s.name)) notLive.push(`${s.name} (not built)`);
    expect(
      live.map((l) => l.service.name),
      'auth must run',
    ).toContain('auth');
    // Every built service must come up; a service that fails to start here would fail in `npm start` too.
    expect(
      notLive.filter((n) => !n.endsWith('(not built)')),
      'built services that did not start',
    ).toEqual([]);

    ingress = await startIngress({ port: ingressPort, host: '127.0.0.1', upstreams: Object.fromEntries(live.map((l) => [l.service.name, l.url])) });

    // Prometheus config: prometheus.local.yml with 1 s scrapes/evaluation, absolute rule paths, real ports.
    const config = parseYaml(readFileSync(join(OBS_DIR, 'prometheus/prometheus.local.yml'), 'utf8')) as {
      global: Record<string, unknown>;
      rule_files: string[];
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    config.global.scrape_interval = '1s';
    config.global.scrape_timeout = '1s';
    config.global.evaluation_interval = '1s';
    // The rule files as they are, except a group's own interval (the 30-day budget group runs every
    // 5 minutes): here every group runs at the 1 s evaluation interval, so each is evaluated.
    config.rule_files = ruleFiles().map((file) => {
      const doc = parseYaml(readFileSync(file, 'utf8')) as { groups: Array<{ interval?: string }> };
      for (const g of doc.groups) delete g.interval;
      const copy = join(workDir, `rules-${basename(file)}`);
      writeFileSync(copy, stringifyYaml(doc));
      return copy;
    });
    config.scrape_configs = config.scrape_configs
      .filter((j) => live.some((l) => l.service.name === j.job_name))
      .map((j) => ({ ...j, static_configs: j.static_configs.map((sc) => ({ ...sc, targets: [`127.0.0.1:${ports[j.job_name as ServiceName]}`] })) }));
    const configFile = join(workDir, 'prometheus.yml');
    writeFileSync(configFile, stringifyYaml(config));
    prometheus = await startPrometheus({ bin: promBin, configFile, dataDir: join(workDir, 'data'), port: await freePort() });

    await driveTraffic(`http://127.0.0.1:${ingress.port}`);
    // Two scrapes after the traffic and the rules evaluated on them.
    await waitFor('every live target up', async () => {
      const r = await query('up == 1');
      return (r.data?.result.length ?? 0) === live.length;
    });
    await waitFor('5xx scraped', () => hasData('http_server_request_duration_seconds_count{service="auth",status_class="5xx"}'));
    await waitFor('recording rules', () => hasData('service:http_server_request_error_ratio:rate5m{service="auth"}'));
    await new Promise((r) => setTimeout(r, 2_500));
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop(5_000);
    await ingress?.close(1_000);
    await Promise.all(live.map((l) => l.running.stop(10_000)));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  it('scrapes every live service without errors, and evaluates every rule without errors', async () => {
    console.log(`[live] services live: ${live.map((l) => l.service.name).join(', ')}; not live: ${notLive.join(', ') || 'none'}`);
    const up = await query('up');
    expect(
      (up.data?.result as Array<{ metric: { job: string }; value: [number, string] }>).map((r) => `${r.metric.job}=${r.value[1]}`).sort(),
    ).toEqual(live.map((l) => `${l.service.name}=1`).sort());
    const rules = (await (await fetch(`${prometheus!.url}/api/v1/rules`)).json()) as {
      data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
    };
    const unhealthy = rules.data.groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok');
    expect(unhealthy.map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
  });

  it('evaluates every dashboard and rule expression: accepted by Prometheus, with data when its metrics come from live services', async () => {
    const liveNames = new Set<string>(live.map((l) => l.service.name));
    const callers = new Set<string>();
    for (const r of ((await query('count by (service) (mesh_client_failures_total)')).data?.result ?? []) as Array<{ metric: { service: string } }>) {
      callers.add(r.metric.service);
    }
    const ctx = checkContext();
    const failures: string[] = [];
    const tally = { withData: 0, alertOperandsWithData: 0, registryChecked: 0, skipped: 0 };
    const skipped: string[] = [];

    const evaluate = async (e: Expression, promql: string): Promise<{ ok: boolean; data: boolean; error?: string }> => {
      const r = await query(promql);
      if (r.status !== 'success') return { ok: false, data: false, error: r.error };
      return { ok: true, data: (r.data?.result.length ?? 0) > 0 };
    };

    for (const e of allExpressions()) {
      const metrics = [...sourceMetrics(e.expr)].map((n) => registry.metrics.find((m) => m.name === n)!);
      // Istio and kube-state-metrics need a cluster; planned metrics are not exported yet.
      const external = metrics.filter((m) => m.source === 'istio' || m.source === 'kube-state-metrics' || m.source === 'agora-planned');
      // label_values(selector, label) → the selector
      const variable = /^\s*label_values\s*\(([\s\S]*),\s*(\w+)\s*\)\s*$/.exec(e.expr);
      const base = variable ? variable[1]! : e.expr;
      const serviceChoices = /\$\{?service\b/.test(base) ? [...liveNames] : [''];
      const substituted = serviceChoices.map((service) => substituteGrafanaVariables(base, { service, route: '.*', workload: '.*' }));

      if (external.length) {
        // No cluster: the series cannot exist; the registry vouches for names, labels and values.
        const problems = checkExpression(e.expr, ctx);
        const parsed = await evaluate(e, substituted[0]!);
        if (!parsed.ok) failures.push(`${e.source}: rejected by Prometheus: ${parsed.error}`);
        if (problems.length) failures.push(`${e.source}: ${problems.join('; ')}`);
        tally.registryChecked++;
        continue;
      }
      // Metrics whose producers did not run: only parsing is checked.
      const owners = (m: (typeof metrics)[number]) => m.labels.find((l) => l.name === 'service')?.values ?? [];
      const notProduced = metrics.filter(
        (m) => !owners(m).some((o) => liveNames.has(o)) || (m.name.startsWith('mesh_client_') && callers.size === 0),
      );
      if (notProduced.length) {
        const parsed = await evaluate(e, substituted[0]!);
        if (!parsed.ok) failures.push(`${e.source}: rejected by Prometheus: ${parsed.error}`);
        skipped.push(`${e.source} (${notProduced.map((m) => m.name).join(', ')}: no live producer)`);
        tally.skipped++;
        continue;
      }
      // Alerts and annotations compare series against thresholds (empty when nothing happens).
      if (e.kind === 'alert-rule' || e.kind === 'annotation') {
        const parsed = await evaluate(e, substituted[0]!);
        if (!parsed.ok) {
          failures.push(`${e.source}: rejected by Prometheus: ${parsed.error}`);
          continue;
        }
        // Each compared series must have data.
        for (const sel of selectors(e.expr)) {
          const q = `${sel.name}{${sel.matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(',')}}`;
          if (!(await hasData(q))) failures.push(`${e.source}: ${q} returned no data`);
        }
        tally.alertOperandsWithData++;
        continue;
      }
      let ok = true;
      let data = false;
      for (const q of substituted) {
        const r = await evaluate(e, q);
        if (!r.ok) {
          ok = false;
          failures.push(`${e.source}: rejected by Prometheus: ${r.error}`);
          break;
        }
        data ||= r.data;
      }
      if (ok && !data) failures.push(`${e.source}: no data for service ∈ {${serviceChoices.join(', ')}}: ${substituted[0]}`);
      else if (ok) tally.withData++;
    }
    console.log(
      `[live] ${allExpressions().length} expressions: ${tally.withData} returned data, ${tally.alertOperandsWithData} alerts with data in every compared series, ` +
        `${tally.registryChecked} Istio/kube-state-metrics expressions checked against metrics.json (no cluster), ${tally.skipped} parse-checked only (producer not live)`,
    );
    for (const s of skipped) console.log(`[live]   parse-checked only: ${s}`);
    expect(failures).toEqual([]);
  });
});
