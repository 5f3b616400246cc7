/**
 * Alertmanager's configuration (observability/alertmanager/), checked with the real amtool
 * (Debian's, from scripts/install-tools.sh): `amtool check-config` on the file the cluster mounts
 * and on a copy whose template glob points at the repository's templates (so they are parsed too),
 * and `amtool config routes test` for each kind of alert: who is paged, who gets a ticket.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { INSTALL_TIMEOUT_MS, OBS_DIR, ensureTool, loadRuleGroups, ruleFiles, run } from './promql.js';

const AM_DIR = join(OBS_DIR, 'alertmanager');
const CONFIG = join(AM_DIR, 'alertmanager.yml');
let amtool = '';

beforeAll(() => {
  amtool = ensureTool('amtool');
}, INSTALL_TIMEOUT_MS);

interface Route {
  receiver?: string;
  matchers?: string[];
  group_by?: string[];
  routes?: Route[];
}
interface Config {
  templates: string[];
  route: Route;
  receivers: Array<Record<string, unknown> & { name: string }>;
  inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
}
const config = () => parseYaml(readFileSync(CONFIG, 'utf8')) as Config;

/** A copy of alertmanager.yml whose templates are the repository's (the cluster mounts them at /etc/alertmanager/templates). */
function withRepoTemplates(templatesDir = join(AM_DIR, 'templates')): string {
  const cfg = config();
  expect(cfg.templates).toEqual(['/etc/alertmanager/templates/*.tmpl']);
  cfg.templates = [join(templatesDir, '*.tmpl')];
  const file = join(mkdtempSync(join(tmpdir(), 'agora-am-')), 'alertmanager.yml');
  writeFileSync(file, stringifyYaml(cfg));
  return file;
}

describe('amtool check-config', () => {
  it('accepts the cluster configuration', () => {
    const r = run(amtool, ['check-config', CONFIG]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });

  it('accepts it with the repository templates parsed, and rejects a broken template', () => {
    const good = run(amtool, ['check-config', withRepoTemplates()]);
    expect(good.code, good.output).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'agora-am-tmpl-'));
    writeFileSync(
      join(dir, 'broken.tmpl'),
      readFileSync(join(AM_DIR, 'templates/agora.tmpl'), 'utf8') + '{{ define "x" }}{{ .Foo | nosuchfunc }}{{ end }}',
    );
    const bad = run(amtool, ['check-config', withRepoTemplates(dir)]);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain('nosuchfunc');
  });

  it('reads every receiver credential from a mounted file, none inline', () => {
    const text = readFileSync(CONFIG, 'utf8');
    for (const key of ['routing_key:', 'service_key:', 'api_url:', 'credentials:', 'auth_password:']) expect(text).not.toContain(key);
    for (const receiver of config().receivers) {
      const files = JSON.stringify(receiver).match(/"(routing_key_file|api_url_file|credentials_file)":"([^"]+)"/g) ?? [];
      expect(files.length, `${receiver.name} has no credential file`).toBeGreaterThan(0);
      for (const f of files) expect(f).toContain('/etc/alertmanager/secrets/');
    }
  });
});

describe('amtool config routes test', () => {
  // labels of an alert → the receivers it reaches
  const cases: Array<[string, string[], string]> = [
    ["the Watchdog reaches the dead man's switch only", ['alertname=Watchdog', 'severity=none', 'category=meta'], 'deadmans-switch'],
    [
      'a critical SLO burn pages',
      ['alertname=AgoraAvailabilityBurnRateFast', 'severity=critical', 'slo=availability', 'service=auth', 'sli=edge'],
      'pager',
    ],
    [
      'the ticket tier of an SLO makes a ticket',
      ['alertname=AgoraAvailabilityBudgetBurn', 'severity=warning', 'slo=availability', 'service=auth', 'sli=app'],
      'tickets',
    ],
    ['a database outage pages', ['alertname=AgoraDatabaseDown', 'severity=critical', 'category=database'], 'pager'],
    ['all pods gone pages', ['alertname=AgoraServiceUnavailable', 'severity=critical', 'category=availability', 'service=posts'], 'pager'],
    [
      'a security warning goes to the security receiver only',
      ['alertname=AgoraSecondFactorBruteForce', 'severity=warning', 'category=security', 'service=auth'],
      'security',
    ],
    [
      'a critical security alert goes to the security receiver that also pages',
      ['alertname=X', 'severity=critical', 'category=security'],
      'security-page',
    ],
    ['a capacity warning makes a ticket', ['alertname=AgoraDbPoolWaiting', 'severity=warning', 'category=database', 'service=posts'], 'tickets'],
    ['an alert without a severity falls back to tickets', ['alertname=Unknown'], 'tickets'],
  ];
  for (const [what, labels, receiver] of cases) {
    it(what, () => {
      const r = run(amtool, ['config', 'routes', 'test', `--config.file=${CONFIG}`, `--verify.receivers=${receiver}`, ...labels]);
      expect(r.code, r.output).toBe(0);
      expect(r.output.trim().split('\n').pop()).toBe(receiver);
    });
  }

  it('fails when the expected receiver is wrong (the check can fail)', () => {
    const r = run(amtool, ['config', 'routes', 'test', `--config.file=${CONFIG}`, '--verify.receivers=tickets', 'alertname=X', 'severity=critical']);
    expect(r.code).not.toBe(0);
  });

  it('reaches every receiver from some case, and routes every severity the rules use', () => {
    expect(new Set(cases.map((c) => c[2]))).toEqual(new Set(config().receivers.map((r) => r.name)));
    const severities = new Set(
      ruleFiles().flatMap((f) => loadRuleGroups(f).flatMap((g) => g.rules.filter((r) => r.alert).map((r) => r.labels?.severity))),
    );
    expect([...severities].sort()).toEqual(['critical', 'none', 'warning']);
  });

  it('groups by alert, cluster and service, and inhibits what a database outage causes', () => {
    const cfg = config();
    expect(cfg.route.group_by).toEqual(['alertname', 'cluster', 'service']);
    const db = cfg.inhibit_rules.filter((r) => r.source_matchers.includes('alertname="AgoraDatabaseDown"'));
    expect(db.map((r) => r.target_matchers).flat()).toContain('slo=~"availability|latency"');
    // every alert named in an inhibit rule exists
    const alerts = new Set(ruleFiles().flatMap((f) => loadRuleGroups(f).flatMap((g) => g.rules.map((r) => r.alert).filter(Boolean))));
    for (const rule of cfg.inhibit_rules) {
      for (const m of [...rule.source_matchers, ...rule.target_matchers]) {
        const names = /^alertname=~?"(.+)"$/.exec(m)?.[1];
        for (const name of names?.split('|') ?? []) expect(alerts, m).toContain(name);
      }
    }
  });
});
