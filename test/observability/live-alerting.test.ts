/**
 * Alert delivery, live: the real Prometheus (.tools/bin/prometheus) evaluates the repository's rules
 * and sends what fires to the real Alertmanager (.tools/bin/alertmanager) running
 * observability/alertmanager/alertmanager.yml, whose receivers post to a webhook this test runs
 * (localAlertmanagerConfig: same routes, grouping and inhibition; receivers replaced by webhooks;
 * group_wait/group_interval shortened to seconds).
 *
 * Prometheus scrapes two auth "instances" on closed ports, so `up == 0` for both: AgoraTargetDown
 * (its `for` shortened to 1s in a copy of the rules; nothing else changes) must reach the ticket
 * receiver as ONE notification holding both instances, with the absolute runbook link built from the
 * external label runbook_base and without the link bases among its labels. The Watchdog must reach
 * the dead man's switch, and AgoraServiceAbsent (no series from any service) must page.
 * Inhibition: AgoraDatabaseDown and an SLO page posted to Alertmanager's API together: only the
 * database page is delivered.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../tools/src/local/ports.js';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { localAlertmanagerConfig, startAlertmanager, type RunningAlertmanager } from '@agora/tools/local/alertmanager';
import { startPrometheus, type RunningPrometheus } from '@agora/tools/local/prometheus';
import { INSTALL_TIMEOUT_MS, OBS_DIR, ensureTool, ruleFiles } from './promql.js';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface WebhookMessage {
  receiver: string;
  status: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  alerts: WebhookAlert[];
}

const RUNBOOK_BASE = 'https://runbooks.live-test.example/agora';
const DASHBOARD_BASE = 'https://grafana.live-test.example';

const received: Array<{ path: string; message: WebhookMessage }> = [];
let webhook: http.Server | undefined;
let alertmanager: RunningAlertmanager | undefined;
let prometheus: RunningPrometheus | undefined;
let workDir = '';
let closed: number[] = [];

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; received: ${JSON.stringify(received.map((r) => [r.path, r.message.commonLabels.alertname, r.message.alerts.length]))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const firing = (path: string, alertname: string, extra: (m: WebhookMessage) => boolean = () => true) =>
  received.find((r) => r.path === path && r.message.status === 'firing' && r.message.commonLabels.alertname === alertname && extra(r.message))
    ?.message;

describe('live: Prometheus → Alertmanager → webhook receiver', () => {
  beforeAll(async () => {
    const promBin = ensureTool('prometheus');
    const amBin = ensureTool('alertmanager');
    workDir = mkdtempSync(join(tmpdir(), 'agora-live-alerting-'));

    webhook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', message: JSON.parse(body) as WebhookMessage });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => webhook!.listen(0, '127.0.0.1', r));
    const hookPort = (webhook.address() as AddressInfo).port;

    alertmanager = await startAlertmanager({
      bin: amBin,
      config: await localAlertmanagerConfig({ webhookBase: `http://127.0.0.1:${hookPort}`, groupWait: '1s', groupInterval: '2s' }),
      dataDir: join(workDir, 'alertmanager'),
      port: await freePort(),
    });

    // The repository's rules; AgoraTargetDown fires at once instead of after 5 minutes.
    const rulesDir = join(workDir, 'rules');
    for (const file of ruleFiles()) {
      const doc = parseYaml(readFileSync(file, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string; for?: string }> }> };
      for (const g of doc.groups) for (const r of g.rules) if (r.alert === 'AgoraTargetDown') r.for = '1s';
      writeFileSync(join(`${rulesDir}-${basename(file)}`), stringifyYaml(doc));
    }
    const local = parseYaml(readFileSync(join(OBS_DIR, 'prometheus/prometheus.local.yml'), 'utf8')) as {
      global: Record<string, unknown> & { external_labels: Record<string, string> };
      alerting: { alert_relabel_configs: unknown[]; alertmanagers: unknown[] };
    };
    closed = [await freePort(), await freePort()];
    const config = {
      global: {
        ...local.global,
        scrape_interval: '1s',
        scrape_timeout: '500ms',
        evaluation_interval: '1s',
        external_labels: { ...local.global.external_labels, cluster: 'live-test', runbook_base: RUNBOOK_BASE, dashboard_base: DASHBOARD_BASE },
      },
      alerting: {
        alert_relabel_configs: local.alerting.alert_relabel_configs,
        alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanager.url).host] }] }],
      },
      rule_files: ruleFiles().map((f) => join(`${rulesDir}-${basename(f)}`)),
      scrape_configs: [{ job_name: 'auth', static_configs: [{ targets: closed.map((p) => `127.0.0.1:${p}`), labels: { service: 'auth' } }] }],
    };
    const configFile = join(workDir, 'prometheus.yml');
    writeFileSync(configFile, stringifyYaml(config));
    prometheus = await startPrometheus({ bin: promBin, configFile, dataDir: join(workDir, 'prometheus'), port: await freePort() });
  }, INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await prometheus?.stop(5_000);
    await alertmanager?.stop(5_000);
    await new Promise((r) => (webhook ? webhook.close(r) : r(undefined)));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 30_000);

  it('delivers AgoraTargetDown to the ticket receiver: both instances in one notification, absolute runbook link, no link labels', async () => {
    const message = await waitFor('AgoraTargetDown with both instances at /tickets', () =>
      firing('/tickets', 'AgoraTargetDown', (m) => m.alerts.length === 2),
    );
    expect(message.receiver).toBe('tickets');
    expect(message.groupLabels).toEqual({ alertname: 'AgoraTargetDown', cluster: 'live-test', service: 'auth' });
    expect(message.alerts.map((a) => a.labels.instance).sort()).toEqual(closed.map((p) => `127.0.0.1:${p}`).sort());
    for (const alert of message.alerts) {
      expect(alert.labels).toMatchObject({
        alertname: 'AgoraTargetDown',
        severity: 'warning',
        category: 'platform',
        job: 'auth',
        service: 'auth',
        cluster: 'live-test',
      });
      expect(alert.labels).not.toHaveProperty('runbook_base');
      expect(alert.labels).not.toHaveProperty('dashboard_base');
      expect(alert.annotations.runbook_url).toBe(`${RUNBOOK_BASE}/AgoraTargetDown.md`);
      expect(alert.annotations.dashboard_url).toBe(`${DASHBOARD_BASE}/d/agora-service-red?var-service=auth`);
      expect(alert.annotations.summary).toContain(alert.labels.instance!);
    }
    // a target-down alert is a ticket: it never reaches the pager
    expect(received.filter((r) => r.path === '/pager' && r.message.commonLabels.alertname === 'AgoraTargetDown')).toEqual([]);
  }, 90_000);

  it("delivers the Watchdog to the dead man's switch, and pages AgoraServiceAbsent per service", async () => {
    const watchdog = await waitFor('Watchdog at /deadmans-switch', () => firing('/deadmans-switch', 'Watchdog'));
    expect(watchdog.alerts[0]!.annotations.runbook_url).toBe(`${RUNBOOK_BASE}/Watchdog.md`);
    // The first Watchdog is often sent before Prometheus has discovered the Alertmanager and is
    // resent after the 1-minute resend delay: hence the long wait above.
    // AgoraServiceAbsent holds for 3 minutes before it fires: too long to wait for here. Its
    // pending state is visible in Prometheus, and its routing is checked by amtool.
    const res = (await (await fetch(`${prometheus!.url}/api/v1/alerts`)).json()) as {
      data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
    };
    const absent = res.data.alerts.filter((a) => a.labels.alertname === 'AgoraServiceAbsent').map((a) => `${a.labels.service}:${a.state}`);
    expect(absent.sort()).toEqual(SERVICE_NAMES.map((s) => `${s}:pending`).sort());
  }, 90_000);

  it('inhibits the SLO page while AgoraDatabaseDown fires (same cluster)', async () => {
    const now = new Date().toISOString();
    const sloPage = (cluster: string) => ({
      labels: { alertname: 'AgoraAvailabilityBurnRateFast', severity: 'critical', slo: 'availability', sli: 'edge', service: 'auth', cluster },
      annotations: {},
      startsAt: now,
    });
    const post = await fetch(`${alertmanager!.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'AgoraDatabaseDown', severity: 'critical', category: 'database', cluster: 'inhibit-test' },
          annotations: { runbook_url: `${RUNBOOK_BASE}/AgoraDatabaseDown.md` },
          startsAt: now,
        },
        sloPage('inhibit-test'),
        // another cluster's SLO page is not inhibited: the proof that inhibition, not routing, holds the first back
        sloPage('other'),
      ]),
    });
    expect(post.status).toBe(200);
    await waitFor('AgoraDatabaseDown at /pager', () => firing('/pager', 'AgoraDatabaseDown', (m) => m.commonLabels.cluster === 'inhibit-test'));
    await waitFor("the other cluster's SLO page", () => firing('/pager', 'AgoraAvailabilityBurnRateFast', (m) => m.commonLabels.cluster === 'other'));
    // group_wait is 1s: the inhibited page would have been sent by now
    await new Promise((r) => setTimeout(r, 3_000));
    expect(firing('/pager', 'AgoraAvailabilityBurnRateFast', (m) => m.commonLabels.cluster === 'inhibit-test')).toBeUndefined();
    const status = (await (await fetch(`${alertmanager!.url}/api/v2/alerts?filter=cluster%3D%22inhibit-test%22`)).json()) as Array<{
      labels: Record<string, string>;
      status: { state: string; inhibitedBy: string[] };
    }>;
    const slo = status.find((a) => a.labels.alertname === 'AgoraAvailabilityBurnRateFast')!;
    expect(slo.status.state).toBe('suppressed');
    expect(slo.status.inhibitedBy.length).toBe(1);
  }, 60_000);
});
