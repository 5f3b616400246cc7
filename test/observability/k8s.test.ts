/**
 * The observability Kubernetes manifests: rendered with kubectl 1.20's built-in kustomize (v2.0.3,
 * from scripts/install-tools.sh), validated against the Kubernetes schemas (kubernetes-models), and
 * wired as the rest of the project expects (namespace, Service names and ports, ConfigMaps generated
 * from the very files the other tests check, no secret values).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { Namespace, ServiceAccount, ConfigMap, Service, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { INSTALL_TIMEOUT_MS, OBS_DIR, dashboardFiles, ensureKubectl, ensurePromtool, ruleFiles, run } from './promql.js';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const VALIDATORS: Record<string, (o: any) => { validate(): void }> = {
  'v1/Namespace': (o) => new Namespace(o),
  'v1/ServiceAccount': (o) => new ServiceAccount(o),
  'v1/ConfigMap': (o) => new ConfigMap(o),
  'v1/Service': (o) => new Service(o),
  'v1/PersistentVolumeClaim': (o) => new PersistentVolumeClaim(o),
  'apps/v1/Deployment': (o) => new Deployment(o),
  'rbac.authorization.k8s.io/v1/ClusterRole': (o) => new ClusterRole(o),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': (o) => new ClusterRoleBinding(o),
};

let objects: K8sObject[] = [];
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const configMap = (prefix: string) => {
  const cms = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.replace(/-[a-z0-9]{10}$/, '') === prefix);
  expect(cms, `ConfigMap ${prefix}`).toHaveLength(1);
  return cms[0] as K8sObject;
};

beforeAll(() => {
  const kubectl = ensureKubectl();
  const r = run(kubectl, ['kustomize', join(OBS_DIR, 'k8s')]);
  expect(r.code, r.output).toBe(0);
  objects = parseAllDocuments(r.output)
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);
}, INSTALL_TIMEOUT_MS);

describe('kustomization', () => {
  const ALLOWED = new Set(['resources', 'bases', 'configMapGenerator', 'patchesStrategicMerge', 'namespace', 'commonLabels']);
  for (const dir of ['k8s', 'prometheus', 'grafana', 'alertmanager', 'otel-collector']) {
    it(`${dir}/kustomization.yaml uses only kustomize v2.0.3 fields`, () => {
      const k = parseYaml(readFileSync(join(OBS_DIR, dir, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
      for (const key of Object.keys(k)) expect(ALLOWED, `${dir}: ${key}`).toContain(key);
      for (const g of (k.configMapGenerator as Array<Record<string, unknown>> | undefined) ?? []) {
        for (const key of Object.keys(g)) expect(['name', 'files', 'literals', 'behavior']).toContain(key);
      }
    });
  }

  it('renders only kinds that validate against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) {
      const make = VALIDATORS[`${o.apiVersion}/${o.kind}`];
      expect(make, `no validator for ${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => make?.(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });

  it('puts everything namespaced in namespace observability', () => {
    expect(find('Namespace', 'observability')).toBeDefined();
    for (const o of objects) {
      if (['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) continue;
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('observability');
    }
    for (const b of objects.filter((o) => o.kind === 'ClusterRoleBinding')) {
      for (const s of (b as any).subjects) expect(find('ServiceAccount', s.name) && s.namespace).toBe('observability'); // eslint-disable-line @typescript-eslint/no-explicit-any
    }
  });
});

describe('services', () => {
  const ports = (name: string) =>
    (find('Service', name)?.spec.ports as Array<{ port: number; name: string }>).map((p) => p.port).sort((a, b) => a - b);

  it('exposes prometheus:9090, alertmanager:9093, grafana:3000, otel-collector:4317/4318 and jaeger:16686/4317/4318 under those Service names', () => {
    expect(ports('prometheus')).toEqual([9090]);
    expect(ports('alertmanager')).toEqual([9093]);
    expect(ports('grafana')).toEqual([3000]);
    expect(ports('otel-collector')).toEqual([4317, 4318]);
    expect(ports('jaeger')).toEqual([4317, 4318, 16686]);
  });

  it("sends Prometheus' alerts to the alertmanager Service, and the collector's traces to Jaeger", () => {
    const prom = parseYaml(readFileSync(join(OBS_DIR, 'prometheus/prometheus.yml'), 'utf8')) as {
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    };
    expect(prom.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets))).toEqual(['alertmanager.observability.svc:9093']);
    const collector = parseYaml(readFileSync(join(OBS_DIR, 'otel-collector/collector.yaml'), 'utf8')) as {
      exporters: Record<string, { endpoint: string }>;
    };
    expect(Object.values(collector.exporters).map((e) => e.endpoint)).toEqual(['jaeger.observability.svc.cluster.local:4317']);
  });

  it('keeps 35 days of samples on a persistent volume (30-day error budgets), with no unauthenticated lifecycle API', () => {
    const spec = find('Deployment', 'prometheus')?.spec.template.spec;
    const args = spec.containers[0].args as string[];
    expect(args).toContain('--storage.tsdb.retention.time=35d');
    expect(args).not.toContain('--web.enable-lifecycle');
    const data = (spec.volumes as Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>).find((v) => v.name === 'data');
    expect(find('PersistentVolumeClaim', data?.persistentVolumeClaim?.claimName ?? '')).toBeDefined();
  });

  it('hardens every workload like the services: own ServiceAccount, non-root, seccomp, read-only root, no capabilities, probes', () => {
    for (const dep of objects.filter((o) => o.kind === 'Deployment')) {
      const name = dep.metadata.name;
      const spec = dep.spec.template.spec;
      expect(spec.serviceAccountName, name).toBe(name);
      expect(find('ServiceAccount', name), name).toBeDefined();
      // only Prometheus and kube-state-metrics talk to the Kubernetes API
      if (!['prometheus', 'kube-state-metrics'].includes(name)) expect(spec.automountServiceAccountToken, name).toBe(false);
      expect(spec.securityContext.runAsNonRoot, name).toBe(true);
      expect(spec.securityContext.seccompProfile, name).toEqual({ type: 'RuntimeDefault' });
      for (const c of spec.containers) {
        expect(c.securityContext, `${name}/${c.name}`).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.readinessProbe, `${name}/${c.name} readiness`).toBeDefined();
        expect(c.livenessProbe, `${name}/${c.name} liveness`).toBeDefined();
        expect(c.resources?.limits?.memory, `${name}/${c.name}`).toBeDefined();
      }
    }
  });

  it("takes the receivers' credentials from the Secret alertmanager-receivers, mounted where alertmanager.yml reads them", () => {
    const spec = find('Deployment', 'alertmanager')?.spec.template.spec;
    const secretVolume = (spec.volumes as Array<{ name: string; secret?: { secretName: string } }>).find((v) => v.secret);
    expect(secretVolume?.secret?.secretName).toBe('alertmanager-receivers');
    const mount = (spec.containers[0].volumeMounts as Array<{ name: string; mountPath: string }>).find((m) => m.name === secretVolume?.name);
    expect(mount?.mountPath).toBe('/etc/alertmanager/secrets');
    const text = readFileSync(join(OBS_DIR, 'alertmanager/alertmanager.yml'), 'utf8');
    const files = [...text.matchAll(/_file: (\/etc\/alertmanager\/secrets\/[\w-]+)/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    expect(spec.containers[0].args).toContain('--config.file=/etc/alertmanager/config/alertmanager.yml');
  });

  it('selects pods of a Deployment for every Service', () => {
    for (const svc of objects.filter((o) => o.kind === 'Service')) {
      const dep = find('Deployment', svc.metadata.name);
      expect(dep, svc.metadata.name).toBeDefined();
      for (const [k, v] of Object.entries(svc.spec.selector as Record<string, string>)) expect(dep?.spec.template.metadata.labels[k]).toBe(v);
    }
  });

  it('runs Jaeger all-in-one with OTLP enabled', () => {
    const c = find('Deployment', 'jaeger')?.spec.template.spec.containers[0];
    expect(c.image).toMatch(/^jaegertracing\/all-in-one:/);
    expect(c.env).toContainEqual({ name: 'COLLECTOR_OTLP_ENABLED', value: 'true' });
  });

  it('runs the Prometheus version whose promtool checks the config and rules', () => {
    const version = /version (\d+\.\d+)/.exec(run(ensurePromtool(), ['--version']).output)?.[1];
    const c = find('Deployment', 'prometheus')?.spec.template.spec.containers[0];
    expect(c.image).toMatch(new RegExp(`^prom/prometheus:v${version?.replace('.', '\\.')}\\.`));
    expect(c.args).toContain('--config.file=/etc/prometheus/config/prometheus.yml');
  });

  it('takes the Grafana admin credentials from a Secret reference, with no secret in the repository', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const env = find('Deployment', 'grafana')?.spec.template.spec.containers[0].env as Array<{
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef?: { name: string; key: string } };
    }>;
    const password = env.find((e) => e.name === 'GF_SECURITY_ADMIN_PASSWORD');
    expect(password?.value).toBeUndefined();
    expect(password?.valueFrom?.secretKeyRef?.name).toBe('grafana-admin');
    expect(env.find((e) => e.name === 'GF_SECURITY_ADMIN_USER')?.valueFrom?.secretKeyRef?.name).toBe('grafana-admin');
  });
});

describe('generated ConfigMaps', () => {
  const same = (cm: K8sObject, files: string[]) => {
    expect(Object.keys(cm.data ?? {}).sort()).toEqual(files.map((f) => basename(f)).sort());
    for (const f of files) expect(cm.data?.[basename(f)], f).toBe(readFileSync(f, 'utf8'));
  };

  it('hold exactly the repository files: Prometheus config and every rules file', () => {
    same(configMap('prometheus-config'), [join(OBS_DIR, 'prometheus/prometheus.yml')]);
    same(configMap('prometheus-rules'), ruleFiles());
  });

  it('hold exactly the repository files: Alertmanager config and templates, the collector config', () => {
    same(configMap('alertmanager-config'), [join(OBS_DIR, 'alertmanager/alertmanager.yml')]);
    same(
      configMap('alertmanager-templates'),
      readdirSync(join(OBS_DIR, 'alertmanager/templates')).map((f) => join(OBS_DIR, 'alertmanager/templates', f)),
    );
    same(configMap('otel-collector-config'), [join(OBS_DIR, 'otel-collector/collector.yaml')]);
  });

  it('hold exactly the repository files: Grafana provisioning and every dashboard', () => {
    same(configMap('grafana-datasources'), [join(OBS_DIR, 'grafana/provisioning/datasources/datasources.yml')]);
    same(configMap('grafana-dashboard-providers'), [join(OBS_DIR, 'grafana/provisioning/dashboards/dashboards.yml')]);
    same(configMap('grafana-dashboards'), dashboardFiles());
  });

  it('are mounted where Prometheus and Grafana read them', () => {
    const mounts = (dep: string) => {
      const spec = find('Deployment', dep)?.spec.template.spec;
      const vols = new Map((spec.volumes as Array<{ name: string; configMap?: { name: string } }>).map((v) => [v.name, v.configMap?.name]));
      return Object.fromEntries(
        (spec.containers[0].volumeMounts as Array<{ name: string; mountPath: string }>).map((m) => [
          m.mountPath,
          vols.get(m.name)?.replace(/-[a-z0-9]{10}$/, ''),
        ]),
      );
    };
    expect(mounts('prometheus')).toMatchObject({ '/etc/prometheus/config': 'prometheus-config', '/etc/prometheus/rules': 'prometheus-rules' });
    expect(mounts('alertmanager')).toMatchObject({
      '/etc/alertmanager/config': 'alertmanager-config',
      '/etc/alertmanager/templates': 'alertmanager-templates',
    });
    expect(mounts('otel-collector')).toMatchObject({ '/etc/otelcol': 'otel-collector-config' });
    expect(mounts('grafana')).toMatchObject({
      '/etc/grafana/provisioning/datasources': 'grafana-datasources',
      '/etc/grafana/provisioning/dashboards': 'grafana-dashboard-providers',
      '/etc/grafana/dashboards/agora': 'grafana-dashboards',
    });
    // every referenced ConfigMap is rendered (kustomize rewrote the names with the content hash)
    for (const dep of objects.filter((o) => o.kind === 'Deployment')) {
      for (const v of dep.spec.template.spec.volumes ?? [])
        if (v.configMap) expect(find('ConfigMap', v.configMap.name), v.configMap.name).toBeDefined();
    }
  });
});
