/**
 * Every PromQL expression of the project (rules, dashboard panels, dashboard variables) references
 * only metrics of the registry (observability/metrics.json) or recording rules, with labels and
 * fixed label values the registry knows, and is valid PromQL for promtool.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { AUTH_REJECT_REASONS } from '../../mesh/src/observability/metrics.js';
import { LIMITED_ACTION_NAMES } from '../../mesh/src/limits/actions.js';
import {
  allExpressions,
  checkContext,
  checkExpression,
  dashboardFiles,
  ensurePromtool,
  INSTALL_TIMEOUT_MS,
  loadRegistry,
  metricNames,
  recordingRuleNames,
  ruleFiles,
  loadRuleGroups,
  run,
  substituteGrafanaVariables,
  type Expression,
} from './promql.js';

let promtool = '';
beforeAll(() => {
  promtool = ensurePromtool();
}, INSTALL_TIMEOUT_MS);

/** Runs `promtool check rules` on the expressions, each as a recording rule (Grafana variables substituted). */
function promtoolCheck(exprs: Expression[]): { code: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'agora-promql-'));
  const file = join(dir, 'exprs.yml');
  const rules = exprs
    .filter((e) => e.kind !== 'variable')
    .map((e, i) => ({ record: `check:expr_${i}`, expr: substituteGrafanaVariables(e.expr, {}) }));
  writeFileSync(file, stringifyYaml({ groups: [{ name: 'check', rules }] }));
  return run(promtool, ['check', 'rules', file]);
}

describe('registry', () => {
  const registry = loadRegistry();
  it('gives every metric a known type, source, help and labels; names are unique', () => {
    const names = registry.metrics.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of registry.metrics) {
      expect(['counter', 'gauge', 'histogram', 'summary'], m.name).toContain(m.type);
      expect(['agora', 'agora-planned', 'prom-client-default', 'istio', 'kube-state-metrics', 'prometheus'], m.name).toContain(m.source);
      if (m.source === 'agora-planned') expect(m.help, m.name).toMatch(/^PLANNED, not exported yet \(\w+ must add it\)/);
      expect(m.help, m.name).toBeTruthy();
      expect(Array.isArray(m.labels), m.name).toBe(true);
      expect(m.name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      if (m.type === 'counter') expect(m.name, 'counters end in _total').toMatch(/_total$/);
      if (m.type === 'histogram' && m.source === 'agora') expect(m.buckets?.length, m.name).toBeGreaterThan(0);
      if (m.source === 'agora' || m.source === 'prom-client-default') expect(m.labels.map((l) => l.name)).toContain('service');
    }
  });

  it('holds the fixed metric names of docs/conventions.md with their labels', () => {
    const byName = new Map(registry.metrics.map((m) => [m.name, m]));
    const fixed: Record<string, [string, string[]]> = {
      http_server_request_duration_seconds: ['histogram', ['service', 'route', 'method', 'status_class']],
      http_server_requests_in_flight: ['gauge', ['service']],
      db_pool_connections: ['gauge', ['service', 'state']],
      db_query_duration_seconds: ['histogram', ['service', 'operation']],
      auth_token_verifications_total: ['counter', ['service', 'outcome', 'reason']],
      mesh_client_request_duration_seconds: ['histogram', ['service', 'callee', 'outcome']],
      mesh_client_failures_total: ['counter', ['service', 'callee', 'reason']],
      agora_registrations_total: ['counter', ['service']],
      agora_logins_total: ['counter', ['service', 'result']],
      agora_refresh_reuse_detected_total: ['counter', ['service']],
      agora_posts_created_total: ['counter', ['service']],
      agora_likes_total: ['counter', ['service']],
      agora_comments_total: ['counter', ['service']],
      agora_rate_limited_total: ['counter', ['service', 'action']],
    };
    for (const [name, [type, labels]] of Object.entries(fixed)) {
      const m = byName.get(name);
      expect(m, name).toBeDefined();
      expect(m?.type, name).toBe(type);
      expect(m?.source, name).toBe('agora');
      expect(
        m?.labels.map((l) => l.name),
        name,
      ).toEqual(labels);
    }
    const values = (metric: string, label: string) => byName.get(metric)?.labels.find((l) => l.name === label)?.values;
    expect(values('http_server_request_duration_seconds', 'status_class')).toEqual(['1xx', '2xx', '3xx', '4xx', '5xx']);
    expect(byName.get('http_server_request_duration_seconds')?.buckets).toContain(0.5);
    expect(values('db_pool_connections', 'state')).toEqual(['used', 'idle', 'waiting']);
    expect(values('auth_token_verifications_total', 'outcome')).toEqual(['ok', 'rejected']);
    // Every reason the service code can report (mesh's list) is in the registry.
    expect(values('auth_token_verifications_total', 'reason')).toEqual(expect.arrayContaining([...AUTH_REJECT_REASONS]));
    expect(values('agora_logins_total', 'result')).toEqual(['success', 'bad_credentials', 'mfa_required', 'suspended', 'rate_limited']);
    expect(values('agora_rate_limited_total', 'action')).toEqual([...LIMITED_ACTION_NAMES]);
  });

  it('lists no metric that nothing uses (the registry is what dashboards and rules rely on)', () => {
    const used = new Set(allExpressions().flatMap((e) => metricNames(e.expr)));
    const unused = loadRegistry()
      .metrics.filter((m) => m.source !== 'agora') // agora's own metrics are all listed: conventions.md fixes them
      .filter((m) => ![m.name, `${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`].some((n) => used.has(n)))
      .map((m) => m.name);
    expect(unused).toEqual([]);
  });
});

describe('expressions', () => {
  const exprs = allExpressions();
  const ctx = checkContext();

  it('come from every rules file and every dashboard', () => {
    const files = new Set(exprs.map((e) => e.file));
    for (const f of [...ruleFiles(), ...dashboardFiles()]) expect([...files].some((x) => f.endsWith(x))).toBe(true);
    expect(exprs.filter((e) => e.kind === 'panel').length).toBeGreaterThan(40);
    expect(exprs.filter((e) => e.kind === 'variable').length).toBeGreaterThanOrEqual(5);
  });

  it('reference only registry metrics and recording rules, with known labels and values', () => {
    const problems = exprs.flatMap((e) => checkExpression(e.expr, ctx).map((p) => `${e.source}: ${p}\n    ${e.expr}`));
    expect(problems).toEqual([]);
  });

  it('every recording rule is defined once (per value of its static labels, e.g. the SLO rules per sli)', () => {
    const records = ruleFiles().flatMap((f) =>
      loadRuleGroups(f).flatMap((g) => g.rules.filter((r) => r.record).map((r) => `${r.record}${JSON.stringify(r.labels ?? {})}`)),
    );
    expect(records.length).toBe(exprs.filter((e) => e.kind === 'recording-rule').length);
    expect(new Set(records).size).toBe(records.length);
    // the SLO rules exist once per SLI: the services' own histogram and the gateway's view
    for (const name of ['service:slo_availability_error_ratio:rate5m', 'service:slo_latency_slow_ratio:rate3d', 'service:slo_requests:increase1h']) {
      expect(records.filter((r) => r.startsWith(`${name}{`)).sort()).toEqual([`${name}{"sli":"app"}`, `${name}{"sli":"edge"}`]);
    }
    expect(recordingRuleNames().size).toBeGreaterThan(0);
  });

  it('dashboard expressions are valid PromQL (promtool, Grafana variables substituted)', () => {
    const r = promtoolCheck(exprs.filter((e) => e.kind === 'panel'));
    expect(r.code, r.output).toBe(0);
  });
});

describe('the checkers catch mistakes', () => {
  it('promtool rejects a rule file with a broken expression', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agora-bad-'));
    const file = join(dir, 'bad.yml');
    writeFileSync(
      file,
      stringifyYaml({
        groups: [
          {
            name: 'bad',
            rules: [{ record: 'service:broken:rate5m', expr: 'sum by (service (rate(http_server_request_duration_seconds_count[5m])' }],
          },
        ],
      }),
    );
    const r = run(promtool, ['check', 'rules', file]);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/parse error|unclosed|unexpected/i);
    expect(promtoolCheck([{ source: 'x', expr: 'rate(x[5m]', kind: 'panel', file: 'x' }]).code).not.toBe(0);
  });

  it('the registry check rejects a rule file that uses an unknown metric or label', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agora-unknown-'));
    const file = join(dir, 'unknown.yml');
    writeFileSync(
      file,
      stringifyYaml({
        groups: [
          {
            name: 'unknown',
            rules: [
              { record: 'service:http_requests:rate5m', expr: 'sum by (service) (rate(http_requests_total[5m]))' },
              { alert: 'X', expr: 'service:http_requests:rate5m > 1 and on (service) db_pool_connections{state="busy"} > 0' },
              { alert: 'Y', expr: 'sum(rate(http_server_request_duration_seconds_count{status="500"}[5m])) > 0' },
            ],
          },
        ],
      }),
    );
    // promtool alone is happy: it does not know which metrics exist
    expect(run(promtool, ['check', 'rules', file]).code).toBe(0);
    const ctx = checkContext({ rules: [...ruleFiles(), file] });
    const problems = allExpressions({ rules: [file], dashboards: [] }).flatMap((e) => checkExpression(e.expr, ctx));
    expect(problems).toEqual([
      'unknown metric http_requests_total',
      'db_pool_connections{state="busy"}: value not in used|idle|waiting',
      'http_server_request_duration_seconds_count has no label status',
    ]);
  });
});
