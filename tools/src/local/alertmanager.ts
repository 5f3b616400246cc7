import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startDaemon, type DaemonPlacement, type RunningDaemon } from './daemon.js';
import { REPO_ROOT } from './prometheus.js';

/**
 * Runs the real Alertmanager (Debian's, which `scripts/install-tools.sh` puts in `.tools/bin/`) on
 * loopback beside the local run's Prometheus, with observability/alertmanager/alertmanager.yml
 * adapted to a machine without the cluster's receivers: the same routes, grouping and inhibition,
 * and each receiver either without integrations (the local run: alerts show in the UI only) or
 * posting to a webhook (the live test's receiver).
 */

export const ALERTMANAGER_BIN = path.join(REPO_ROOT, '.tools', 'bin', 'alertmanager');
export const ALERTMANAGER_CONFIG = path.join(REPO_ROOT, 'observability', 'alertmanager', 'alertmanager.yml');
export const ALERTMANAGER_TEMPLATES = path.join(REPO_ROOT, 'observability', 'alertmanager', 'templates');
/**
 * Debian's Alertmanager ships no web application, only a page saying so (and pointing at amtool):
 * served at / instead of an empty directory. The API (/api/v2/alerts) and amtool work.
 */
export const ALERTMANAGER_NO_UI = path.join(REPO_ROOT, '.tools', 'root', 'usr', 'share', 'prometheus', 'alertmanager', 'no-ui');

export type RunningAlertmanager = RunningDaemon;

export async function alertmanagerInstalled(bin = ALERTMANAGER_BIN): Promise<boolean> {
  return access(bin).then(
    () => true,
    () => false,
  );
}

interface Route {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
  [key: string]: unknown;
}

interface AlertmanagerConfig {
  templates?: string[];
  route: Route;
  receivers: Array<{ name: string; [integration: string]: unknown }>;
  [key: string]: unknown;
}

export interface LocalAlertmanagerOptions {
  /** Each receiver posts to `${webhookBase}/${receiver name}`; without it receivers have no integration. */
  webhookBase?: string;
  /** Replaces every group_wait and group_interval of the route tree (tests: seconds, not minutes). */
  groupWait?: string;
  groupInterval?: string;
  source?: string;
}

/** alertmanager.yml with local receivers and the repository's templates; routes and inhibition unchanged. */
export async function localAlertmanagerConfig(options: LocalAlertmanagerOptions = {}): Promise<AlertmanagerConfig> {
  const config = parseYaml(await readFile(options.source ?? ALERTMANAGER_CONFIG, 'utf8')) as AlertmanagerConfig;
  config.templates = [path.join(ALERTMANAGER_TEMPLATES, '*.tmpl')];
  config.receivers = config.receivers.map(({ name }) =>
    options.webhookBase ? { name, webhook_configs: [{ url: `${options.webhookBase}/${name}`, send_resolved: true }] } : { name },
  );
  const retime = (route: Route) => {
    if (options.groupWait && (route === config.route || route.group_wait !== undefined)) route.group_wait = options.groupWait;
    if (options.groupInterval && (route === config.route || route.group_interval !== undefined)) route.group_interval = options.groupInterval;
    for (const child of route.routes ?? []) retime(child);
  };
  retime(config.route);
  return config;
}

export interface AlertmanagerOptions extends DaemonPlacement {
  /** The config to run (see localAlertmanagerConfig); written to `dataDir/alertmanager.yml`. */
  config: AlertmanagerConfig;
}

/** Starts Alertmanager (no cluster gossip port) and waits until `/-/ready` answers 200. */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dataDir, { recursive: true });
  const configFile = path.join(options.dataDir, 'alertmanager.yml');
  await writeFile(configFile, stringifyYaml(options.config));
  const url = `http://${host}:${options.port}`;
  return startDaemon({
    name: 'alertmanager',
    bin: options.bin ?? ALERTMANAGER_BIN,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${options.dataDir}`,
      `--web.listen-address=${host}:${options.port}`,
      `--web.external-url=${url}`,
      // a single instance: no gossip listener on 9094
      '--cluster.listen-address=',
      `--web.ui-path=${ALERTMANAGER_NO_UI}/`,
    ],
    url,
    onLog: options.onLog,
    readyTimeoutMs: options.readyTimeoutMs,
  });
}
