/**
 * Grafana provisioning and dashboards: valid JSON, unique ids, datasource uids that the provisioning
 * defines, the variables and trace links SREs rely on, and no drift from the dashboard generator.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { OBS_DIR, allPanels, dashboardFiles, run, type Dashboard } from './promql.js';

const GRAFANA = join(OBS_DIR, 'grafana');

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  jsonData?: { exemplarTraceIdDestinations?: Array<{ name: string; datasourceUid: string }> };
}

const datasources = (parseYaml(readFileSync(join(GRAFANA, 'provisioning/datasources/datasources.yml'), 'utf8')) as { datasources: Datasource[] })
  .datasources;
const providers = (
  parseYaml(readFileSync(join(GRAFANA, 'provisioning/dashboards/dashboards.yml'), 'utf8')) as {
    providers: Array<{ type: string; options: { path: string } }>;
  }
).providers;
const load = (name: string) => JSON.parse(readFileSync(join(GRAFANA, 'dashboards', name), 'utf8')) as Dashboard;

/** Every datasource uid a dashboard refers to (panels, targets, variables). */
function datasourceUids(d: Dashboard): string[] {
  const uids: string[] = [];
  const add = (ds: unknown) => {
    if (ds && typeof ds === 'object' && 'uid' in ds) uids.push(String((ds as { uid: unknown }).uid));
    else if (typeof ds === 'string') uids.push(ds);
  };
  for (const p of allPanels(d)) {
    add(p.datasource);
    for (const t of p.targets ?? []) add(t.datasource);
  }
  for (const v of d.templating?.list ?? []) add(v.datasource);
  return uids;
}

describe('datasource provisioning', () => {
  it('defines Prometheus (uid prometheus) and Jaeger (uid jaeger) with fixed uids', () => {
    const byUid = new Map(datasources.map((d) => [d.uid, d]));
    expect(byUid.get('prometheus')?.type).toBe('prometheus');
    expect(byUid.get('jaeger')?.type).toBe('jaeger');
    expect(byUid.get('prometheus')?.url).toBe('http://prometheus:9090');
    expect(byUid.get('jaeger')?.url).toBe('http://jaeger:16686');
    expect(byUid.get('prometheus')?.jsonData?.exemplarTraceIdDestinations).toEqual([{ name: 'trace_id', datasourceUid: 'jaeger' }]);
    expect(new Set(datasources.map((d) => d.uid)).size).toBe(datasources.length);
  });

  it('loads dashboards from the directory the Grafana Deployment mounts', () => {
    expect(providers).toHaveLength(1);
    expect(providers[0]?.type).toBe('file');
    const deployment = readFileSync(join(OBS_DIR, 'k8s/grafana.yaml'), 'utf8');
    expect(deployment).toContain(`mountPath: ${providers[0]?.options.path}`);
  });
});

describe('dashboards', () => {
  const files = dashboardFiles().map((f) => basename(f));

  it('are the four SRE dashboards, with unique uids', () => {
    expect(files).toEqual(['auth-security.json', 'database.json', 'mesh-traffic.json', 'service-red.json']);
    const uids = files.map((f) => load(f).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('match their generator (observability/grafana/generate-dashboards.mjs --check)', () => {
    const r = run(process.execPath, [join(GRAFANA, 'generate-dashboards.mjs'), '--check']);
    expect(r.code, r.output).toBe(0);
  });

  for (const file of dashboardFiles().map((f) => basename(f))) {
    describe(file, () => {
      const d = load(file);
      it('is valid JSON with a uid, a title and unique panel ids', () => {
        expect(d.uid).toMatch(/^[a-z0-9-]{1,40}$/);
        expect(d.title).toBeTruthy();
        const ids = allPanels(d).map((p) => p.id);
        expect(ids.every((id) => Number.isInteger(id))).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
      });
      it('uses only datasource uids that the provisioning defines', () => {
        const known = new Set(datasources.map((x) => x.uid));
        const used = datasourceUids(d);
        expect(used.length).toBeGreaterThan(0);
        for (const uid of used) expect(known, `${file} uses datasource ${uid}`).toContain(uid);
      });
      it('gives every non-row panel at least one query with a refId', () => {
        for (const p of allPanels(d).filter((x) => x.type !== 'row')) {
          expect(p.targets?.length, `${file} panel ${p.title}`).toBeGreaterThan(0);
          for (const t of p.targets ?? []) expect(t.refId).toBeTruthy();
        }
      });
    });
  }

  it('service-red has service and route variables from label_values and links latency panels to Jaeger', () => {
    const d = load('service-red.json');
    const vars = new Map((d.templating?.list ?? []).map((v) => [v.name, v]));
    for (const name of ['service', 'route']) {
      const v = vars.get(name);
      expect(v?.type).toBe('query');
      expect(JSON.stringify(v?.query)).toMatch(/label_values\(/);
    }
    const latency = allPanels(d).filter((p) => /latency|p99/i.test(p.title ?? '') && p.type !== 'row');
    expect(latency.length).toBeGreaterThan(0);
    for (const p of latency) {
      const links = ((p.fieldConfig as { defaults?: { links?: Array<{ url: string }> } })?.defaults?.links ?? []).map((l) => l.url);
      expect(
        links.some((u) => u.startsWith('${jaeger_url}/search?service=${service}')),
        p.title,
      ).toBe(true);
      expect(
        links.some((u) => u.startsWith('/explore?') && u.includes(encodeURIComponent('"uid":"jaeger"'))),
        p.title,
      ).toBe(true);
    }
    // exemplars on the latency time series: the trace_id exemplar opens the trace in Jaeger
    expect(allPanels(d).some((p) => (p.targets ?? []).some((t) => (t as { exemplar?: boolean }).exemplar))).toBe(true);
  });

  it('mesh-traffic uses Istio standard metrics by source and destination workload', () => {
    const text = JSON.stringify(load('mesh-traffic.json'));
    expect(text).toContain('istio_requests_total');
    expect(text).toContain('istio_request_duration_milliseconds_bucket');
    expect(text).toContain('sum by (source_workload, destination_workload)');
    expect(text).toContain('response_code');
  });

  it('auth-security shows rejections by reason, logins by result, refresh reuse and 401/403 rates', () => {
    const text = JSON.stringify(load('auth-security.json'));
    for (const s of ['sum by (reason)', 'sum by (result)', 'agora_refresh_reuse_detected_total', 'forbidden_role']) expect(text).toContain(s);
  });

  it('database shows pool used/idle/waiting and query duration by operation', () => {
    const text = JSON.stringify(load('database.json'));
    for (const s of ['db_pool_connections', 'state=\\"waiting\\"', 'db_query_duration_seconds_bucket', 'operation']) expect(text).toContain(s);
  });

  it("gives every stat panel its own thresholds (Grafana's default turns red at 80)", () => {
    for (const file of dashboardFiles()) {
      for (const p of allPanels(JSON.parse(readFileSync(file, 'utf8')) as Dashboard).filter((x) => x.type === 'stat')) {
        const steps = (p.fieldConfig as { defaults?: { thresholds?: { steps?: Array<{ color: string; value: number | null }> } } })?.defaults
          ?.thresholds?.steps;
        expect(steps, `${basename(file)} "${p.title}"`).toBeDefined();
        expect(steps![0]!.value, `${basename(file)} "${p.title}"`).toBeNull();
        // a neutral stat is not coloured; a coloured one must say where bad starts
        const colorMode = (p as { options?: { colorMode?: string } }).options?.colorMode;
        expect(steps!.length > 1 || colorMode === 'none', `${basename(file)} "${p.title}"`).toBe(true);
      }
    }
  });

  it('takes the Jaeger UI address from a variable and builds trace links that work for any selection', () => {
    for (const file of dashboardFiles()) {
      const d = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
      const text = JSON.stringify(d);
      expect(text, basename(file)).not.toContain('localhost:16686/search');
      const jaeger = (d.templating?.list ?? []).find((v) => v.name === 'jaeger_url');
      expect(jaeger?.type).toBe('textbox');
      const multi = new Set((d.templating?.list ?? []).filter((v) => (v as { multi?: boolean }).multi).map((v) => v.name));
      for (const p of allPanels(d)) {
        for (const link of (p.fieldConfig as { defaults?: { links?: Array<{ url: string }> } })?.defaults?.links ?? []) {
          // a multi-value variable in a URL becomes {a,b} or .*: links use the series' own label instead
          for (const name of multi) expect(link.url, `${basename(file)} "${p.title}"`).not.toMatch(new RegExp(`\\$\\{${name}\\b|\\$${name}\\b`));
        }
      }
    }
  });

  it('annotates rollouts and restarts on every dashboard', () => {
    for (const file of dashboardFiles()) {
      const d = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
      const exprs = (d.annotations?.list ?? []).map((a) => a.expr ?? '');
      expect(
        exprs.some((e) => e.includes('kube_deployment_metadata_generation')),
        basename(file),
      ).toBe(true);
      expect(
        exprs.some((e) => e.includes('process_start_time_seconds')),
        basename(file),
      ).toBe(true);
    }
  });

  it("service-red shows the 30-day error budget per SLI; mesh-traffic has the source view with Envoy's own flags", () => {
    const red = JSON.stringify(load('service-red.json'));
    expect(red).toContain('service:slo_availability_error_budget_remaining:ratio30d');
    expect(red).toContain('service:slo_latency_error_budget_remaining:ratio30d');
    const mesh = JSON.stringify(load('mesh-traffic.json'));
    expect(mesh).toContain('reporter=\\"source\\"');
    expect(mesh).toContain('response_flags');
    const auth = JSON.stringify(load('auth-security.json'));
    expect(auth).toContain('source_workload=\\"istio-ingressgateway\\"');
  });
});
