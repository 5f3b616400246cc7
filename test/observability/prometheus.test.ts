/**
 * Prometheus configuration and rules, checked with the real promtool (Debian's, from
 * scripts/install-tools.sh): `check config`, `check rules`, `test rules`, plus the project's own
 * rules about rules (annotations, runbooks, a unit test for every alert).
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { SERVICES } from '@agora/mesh';
import { OBS_DIR, REPO_ROOT, RULE_TESTS_DIR, INSTALL_TIMEOUT_MS, dashboardFiles, ensurePromtool, loadRuleGroups, ruleFiles, run } from './promql.js';

const PROM_DIR = join(OBS_DIR, 'prometheus');
let promtool = '';

beforeAll(() => {
  promtool = ensurePromtool();
}, INSTALL_TIMEOUT_MS);

interface RuleTestFile {
  rule_files: string[];
  tests: Array<{
    alert_rule_test?: Array<{ alertname: string; eval_time: string; exp_alerts?: unknown[] }>;
    promql_expr_test?: Array<{ expr: string }>;
  }>;
}

const testFiles = () => ruleFiles(RULE_TESTS_DIR).filter((f) => f.endsWith('.test.yml'));

const loadTestFile = (f: string) => parseYaml(readFileSync(f, 'utf8')) as RuleTestFile;

/** The pod-role meta labels of Prometheus' Kubernetes service discovery (prefix __meta_kubernetes_). */
const POD_META = [
  /^namespace$/,
  /^pod_name$/,
  /^pod_ip$/,
  /^pod_label_\w+$/,
  /^pod_labelpresent_\w+$/,
  /^pod_annotation_\w+$/,
  /^pod_annotationpresent_\w+$/,
  /^pod_container_\w+$/,
  /^pod_ready$/,
  /^pod_phase$/,
  /^pod_node_name$/,
  /^pod_host_ip$/,
  /^pod_uid$/,
  /^pod_controller_kind$/,
  /^pod_controller_name$/,
];

describe('promtool check config', () => {
  it('accepts the local-run configuration (and the rule files it loads)', () => {
    const r = run(promtool, ['check', 'config', join(PROM_DIR, 'prometheus.local.yml')]);
    expect(r.output).toContain('SUCCESS');
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS: \d+ rule files found/);
  });

  it('local run scrapes 127.0.0.1:4001..4004 at /metrics, one job per service with a service label', () => {
    const cfg = parseYaml(readFileSync(join(PROM_DIR, 'prometheus.local.yml'), 'utf8')) as {
      scrape_configs: Array<{
        job_name: string;
        metrics_path?: string;
        static_configs: Array<{ targets: string[]; labels: Record<string, string> }>;
      }>;
    };
    const jobs = Object.fromEntries(cfg.scrape_configs.map((j) => [j.job_name, j]));
    const ports: Record<string, number> = { auth: 4001, users: 4002, posts: 4003, media: 4004 };
    for (const [service, port] of Object.entries(ports)) {
      const job = jobs[service];
      expect(job, service).toBeDefined();
      expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
      expect(job?.static_configs[0]?.targets).toEqual([`127.0.0.1:${port}`]);
      expect(job?.static_configs[0]?.labels.service).toBe(service);
    }
  });

  it('accepts the cluster configuration', () => {
    const file = join(PROM_DIR, 'prometheus.yml');
    const direct = run(promtool, ['check', 'config', file]);
    if (direct.code === 0) return;
    // Debian builds Prometheus without Kubernetes service discovery, so its promtool rejects the
    // kubernetes_sd_configs key that the official image (which the cluster runs) supports. Then:
    // check that block against the documented schema here, and everything else (globals, relabel
    // regexes and actions, rule_files) with promtool on a copy using file_sd_configs instead.
    expect(direct.output).toContain('field kubernetes_sd_configs not found');
    const cfg = parseYaml(readFileSync(file, 'utf8')) as {
      scrape_configs: Array<Record<string, unknown> & { relabel_configs?: Array<{ source_labels?: string[] }> }>;
    };
    const dir = mkdtempSync(join(tmpdir(), 'agora-prom-'));
    writeFileSync(join(dir, 'targets.json'), '[]');
    let k8sJobs = 0;
    for (const job of cfg.scrape_configs) {
      const sd = job.kubernetes_sd_configs as Array<Record<string, unknown>> | undefined;
      if (!sd) continue;
      k8sJobs++;
      for (const block of sd) {
        for (const key of Object.keys(block)) {
          expect(['role', 'namespaces', 'selectors', 'api_server', 'kubeconfig_file', 'attach_metadata']).toContain(key);
        }
        expect(['pod', 'node', 'service', 'endpoints', 'endpointslice', 'ingress']).toContain(block.role);
        if (block.role === 'pod') {
          for (const rc of job.relabel_configs ?? []) {
            for (const l of rc.source_labels ?? []) {
              if (!l.startsWith('__meta_kubernetes_')) continue;
              const rest = l.slice('__meta_kubernetes_'.length);
              expect(
                POD_META.some((re) => re.test(rest)),
                `${l} is not a pod-role meta label`,
              ).toBe(true);
            }
          }
        }
      }
      delete job.kubernetes_sd_configs;
      job.file_sd_configs = [{ files: [join(dir, 'targets.json')] }];
    }
    expect(k8sJobs).toBeGreaterThan(0);
    const copy = join(dir, 'prometheus.yml');
    writeFileSync(copy, stringifyYaml(cfg));
    const r = run(promtool, ['check', 'config', copy]);
    expect(r.code, r.output).toBe(0);
  });

  it('cluster configuration discovers annotated pods (Istio merged metrics) and loads the mounted rules', () => {
    const text = readFileSync(join(PROM_DIR, 'prometheus.yml'), 'utf8');
    expect(text).toContain('__meta_kubernetes_pod_annotation_prometheus_io_scrape');
    expect(text).toContain('__meta_kubernetes_pod_annotation_prometheus_io_path');
    expect(text).toContain('__meta_kubernetes_pod_annotation_prometheus_io_port');
    const cfg = parseYaml(text) as { rule_files: string[] };
    expect(cfg.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
  });
});

describe('promtool check rules', () => {
  for (const file of ruleFiles()) {
    it(`accepts ${basename(file)}`, () => {
      const r = run(promtool, ['check', 'rules', file]);
      expect(r.code, r.output).toBe(0);
    });
  }
});

describe('promtool test rules', () => {
  for (const file of testFiles()) {
    it(`passes ${basename(file)}`, () => {
      const r = run(promtool, ['test', 'rules', file], RULE_TESTS_DIR);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain('SUCCESS');
    });
  }

  it('every rules file has a unit-test file, and tests cover each alert firing and not firing', () => {
    const covered = new Set<string>();
    const firing = new Set<string>();
    const silent = new Set<string>();
    const exprTested = new Set<string>();
    for (const f of testFiles()) {
      const t = loadTestFile(f);
      for (const rf of t.rule_files) covered.add(relative(REPO_ROOT, join(RULE_TESTS_DIR, rf)));
      for (const tc of t.tests) {
        for (const a of tc.alert_rule_test ?? []) ((a.exp_alerts ?? []).length > 0 ? firing : silent).add(a.alertname);
        if ((tc.promql_expr_test ?? []).length > 0) for (const rf of t.rule_files) exprTested.add(relative(REPO_ROOT, join(RULE_TESTS_DIR, rf)));
      }
    }
    for (const file of ruleFiles()) {
      const rel = relative(REPO_ROOT, file);
      expect(covered, `${rel} has no unit test`).toContain(rel);
      const rules = loadRuleGroups(file).flatMap((g) => g.rules);
      if (rules.some((r) => r.record)) expect(exprTested, `${rel}: no recording rule is tested`).toContain(rel);
      for (const rule of rules) {
        if (!rule.alert) continue;
        expect(firing, `${rule.alert} never fires in a test`).toContain(rule.alert);
        // The Watchdog fires by definition (vector(1)): it has no not-firing case.
        if (rule.alert !== 'Watchdog') expect(silent, `${rule.alert} has no not-firing test`).toContain(rule.alert);
      }
    }
  });
});

describe('alert rules', () => {
  const alerts = ruleFiles().flatMap((f) =>
    loadRuleGroups(f).flatMap((g) => g.rules.filter((r) => r.alert).map((r) => ({ file: basename(f), rule: r }))),
  );

  const dashboardUids = dashboardFiles().map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { uid: string }).uid);

  it('exist for every required signal', () => {
    const names = alerts.map((a) => a.rule.alert);
    for (const required of [
      'AgoraAvailabilityBurnRateFast',
      'AgoraAvailabilityBurnRateSlow',
      'AgoraLatencyBurnRateFast',
      'AgoraLatencyBurnRateSlow',
      'AgoraRefreshTokenReuseDetected',
      'AgoraAuthRejectionSpike',
      'AgoraServiceCallFailures',
      'AgoraPodRestarting',
      'AgoraDbPoolWaiting',
      'AgoraDbPoolSaturated',
      'Watchdog',
      'AgoraTargetDown',
      'AgoraServiceAbsent',
      'AgoraServiceUnavailable',
      'AgoraDeploymentReplicasUnavailable',
      'AgoraPodsNotReady',
      'AgoraDatabaseDown',
      'AgoraAvailabilityBudgetBurn',
      'AgoraLatencyBudgetBurn',
      'AgoraSecondFactorBruteForce',
      'AgoraEdgeAuthRefusalSpike',
      'AgoraMeshAuthRefusals',
    ])
      expect(names).toContain(required);
    expect(new Set(names).size).toBe(names.length);
  });

  for (const { file, rule } of alerts) {
    it(`${rule.alert} (${file}) has summary, description, absolute runbook and dashboard links and a severity; its runbook exists`, () => {
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
      // Absolute links from one configured base each (Prometheus' external labels), so a page or a
      // chat message links somewhere that opens.
      expect(rule.annotations?.runbook_url).toBe(`{{ $externalLabels.runbook_base }}/${rule.alert}.md`);
      const dashboard = /^\{\{ \$externalLabels\.dashboard_base \}\}\/d\/([\w-]+)/.exec(rule.annotations?.dashboard_url ?? '');
      expect(dashboard, `${rule.alert}: dashboard_url`).not.toBeNull();
      expect(dashboardUids).toContain(dashboard![1]);
      expect(rule.alert === 'Watchdog' ? ['none'] : ['critical', 'warning']).toContain(rule.labels?.severity);
      const runbook = join(REPO_ROOT, 'observability/runbooks', `${rule.alert}.md`);
      expect(existsSync(runbook), `${runbook} is missing`).toBe(true);
      const text = readFileSync(runbook, 'utf8');
      expect(text).toContain(`# ${rule.alert}`);
      for (const section of ['## What it means', '## First checks', '## Dashboards', '## Mitigation']) expect(text).toContain(section);
    });
  }
});

describe('presence rules', () => {
  it('AgoraServiceAbsent has one absent() per service of the topology, and nothing else', () => {
    const rule = loadRuleGroups(join(PROM_DIR, 'rules/presence.yml'))
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'AgoraServiceAbsent')!;
    const services = [...String(rule.expr).matchAll(/absent\(process_cpu_seconds_total\{service="(\w+)"\}\)/g)].map((m) => m[1]);
    expect(services.sort()).toEqual(SERVICES.map((s) => s.name).sort());
  });
});
