/**
 * The configs the local run derives (mesh/src/observability): Prometheus' copy of
 * prometheus.local.yml and Alertmanager's copy of alertmanager.yml, checked with the real promtool
 * and amtool, and compared with their sources so the local run evaluates and routes exactly as the
 * cluster does.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { localAlertmanagerConfig } from '@agora/tools/local/alertmanager';
import { writeLocalPrometheusConfig } from '@agora/tools/local/prometheus';
import { INSTALL_TIMEOUT_MS, OBS_DIR, ensureTool, ruleFiles, run } from './promql.js';

let promtool = '';
let amtool = '';
beforeAll(() => {
  promtool = ensureTool('promtool');
  amtool = ensureTool('amtool');
}, INSTALL_TIMEOUT_MS);

describe("the local run's Prometheus config", () => {
  it('loads every rule file, sends alerts to the Alertmanager started, links runbooks into the checkout', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'agora-local-prom-')), 'prometheus.yml');
    await writeLocalPrometheusConfig(file, { alertmanager: '127.0.0.1:19093' });
    const r = run(promtool, ['check', 'config', file]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${ruleFiles().length} rule files found`);
    const cfg = parseYaml(readFileSync(file, 'utf8')) as {
      global: { external_labels: Record<string, string> };
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }>; alert_relabel_configs: unknown[] };
      scrape_configs: unknown[];
    };
    expect(cfg.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(['127.0.0.1:19093']);
    expect(cfg.global.external_labels.runbook_base).toBe(pathToFileURL(join(OBS_DIR, 'runbooks')).href);
    const source = parseYaml(readFileSync(join(OBS_DIR, 'prometheus/prometheus.local.yml'), 'utf8')) as typeof cfg;
    expect(cfg.scrape_configs).toEqual(source.scrape_configs);
    expect(cfg.alerting.alert_relabel_configs).toEqual(source.alerting.alert_relabel_configs);
  });

  it('has no alerting block when no Alertmanager runs', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'agora-local-prom-')), 'prometheus.yml');
    await writeLocalPrometheusConfig(file);
    expect(parseYaml(readFileSync(file, 'utf8'))).not.toHaveProperty('alerting');
  });
});

describe("the local run's Alertmanager config", () => {
  const check = (config: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'agora-local-am-')), 'alertmanager.yml');
    writeFileSync(file, stringifyYaml(config));
    return { file, result: run(amtool, ['check-config', file]) };
  };
  const source = () => parseYaml(readFileSync(join(OBS_DIR, 'alertmanager/alertmanager.yml'), 'utf8')) as Record<string, unknown>;

  it('keeps the routes and inhibition, with receivers that send nothing', async () => {
    const config = await localAlertmanagerConfig();
    const { file, result } = check(config);
    expect(result.code, result.output).toBe(0);
    expect(config.route).toEqual(source().route);
    expect(config.inhibit_rules).toEqual(source().inhibit_rules);
    expect(config.receivers).toEqual((source().receivers as Array<{ name: string }>).map(({ name }) => ({ name })));
    const routed = run(amtool, [
      'config',
      'routes',
      'test',
      `--config.file=${file}`,
      '--verify.receivers=pager',
      'alertname=AgoraDatabaseDown',
      'severity=critical',
    ]);
    expect(routed.code, routed.output).toBe(0);
  });

  it('posts to a webhook per receiver when asked, with shorter group timing and nothing else changed', async () => {
    const config = await localAlertmanagerConfig({ webhookBase: 'http://127.0.0.1:1', groupWait: '1s', groupInterval: '2s' });
    expect(check(config).result.code).toBe(0);
    for (const r of config.receivers)
      expect(r).toEqual({ name: r.name, webhook_configs: [{ url: `http://127.0.0.1:1/${r.name}`, send_resolved: true }] });
    const strip = (route: Record<string, unknown>): unknown => {
      const { group_wait: _w, group_interval: _i, routes, ...rest } = route;
      return { ...rest, routes: (routes as Array<Record<string, unknown>> | undefined)?.map(strip) };
    };
    expect(strip(config.route)).toEqual(strip(source().route as Record<string, unknown>));
    expect(config.route.group_wait).toBe('1s');
  });
});
