import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startDaemon, type DaemonPlacement, type RunningDaemon } from './daemon.js';

/**
 * Runs the real Prometheus server (the binary `scripts/install-tools.sh` puts in `.tools/bin/`)
 * against services on loopback: `npm start` uses it with observability/prometheus/prometheus.local.yml,
 * the live verification (test/observability/live-*.test.ts) with a derived config.
 */

/** The repository root (this file is mesh/src/observability/ or mesh/dist/observability/). */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
export const PROMETHEUS_BIN = path.join(REPO_ROOT, '.tools', 'bin', 'prometheus');
export const PROMETHEUS_LOCAL_CONFIG = path.join(REPO_ROOT, 'observability', 'prometheus', 'prometheus.local.yml');
/** Debian's Prometheus reads its web UI from /usr/share/prometheus/web; install-tools.sh unpacks it under .tools/root. */
export const PROMETHEUS_WEB_ASSETS = path.join(REPO_ROOT, '.tools', 'root', 'usr', 'share', 'prometheus', 'web');

export interface PrometheusOptions extends DaemonPlacement {
  configFile: string;
}

export type RunningPrometheus = RunningDaemon;

export async function prometheusInstalled(bin = PROMETHEUS_BIN): Promise<boolean> {
  return access(bin).then(
    () => true,
    () => false,
  );
}

/**
 * Starts Prometheus and waits until `/-/ready` answers 200. No `--web.enable-lifecycle`: its
 * /-/reload and /-/quit are unauthenticated, and nothing here needs them (restart to reload).
 */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dataDir, { recursive: true });
  return startDaemon({
    name: 'prometheus',
    bin: options.bin ?? PROMETHEUS_BIN,
    args: [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${options.dataDir}`,
      `--web.listen-address=${host}:${options.port}`,
      '--enable-feature=exemplar-storage',
      // the classic UI (/classic/graph, /classic/alerts): this build serves no other
      `--web.local-assets=${PROMETHEUS_WEB_ASSETS}/`,
    ],
    url: `http://${host}:${options.port}`,
    onLog: options.onLog,
    readyTimeoutMs: options.readyTimeoutMs,
  });
}

export interface LocalPrometheusConfigOptions {
  /** host:port of the Alertmanager to send alerts to; without it, no alerting block. */
  alertmanager?: string;
}

/**
 * prometheus.local.yml for `npm start`, written to `file`: rule files by absolute path (the copy
 * lives in the data directory), alerts sent to the Alertmanager actually started, and runbook links
 * that open in this checkout (file://…/observability/runbooks).
 */
export async function writeLocalPrometheusConfig(file: string, options: LocalPrometheusConfigOptions = {}): Promise<void> {
  const config = parseYaml(await readFile(PROMETHEUS_LOCAL_CONFIG, 'utf8')) as {
    global: { external_labels?: Record<string, string> };
    rule_files: string[];
    alerting?: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
  };
  const dir = path.dirname(PROMETHEUS_LOCAL_CONFIG);
  config.rule_files = config.rule_files.map((f) => path.resolve(dir, f));
  config.global.external_labels = {
    ...config.global.external_labels,
    runbook_base: pathToFileURL(path.join(REPO_ROOT, 'observability', 'runbooks')).href,
  };
  if (options.alertmanager && config.alerting) config.alerting.alertmanagers = [{ static_configs: [{ targets: [options.alertmanager] }] }];
  else delete config.alerting;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, stringifyYaml(config));
}
