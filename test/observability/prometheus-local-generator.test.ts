/**
 * scripts/generate/prometheus-local.mjs follows the topology: a service added to it is scraped in the
 * local run at its local port, with its `service` label, and nothing else in the file depends on the
 * list. (test/generated-files.test.ts checks that the committed copy is current.)
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
// @ts-expect-error plain ESM script without types
import { renderLocalConfig } from '../../scripts/generate/prometheus-local.mjs';
import { SERVICES } from '../../mesh/src/topology.js';

interface Job {
  job_name: string;
  honor_labels: boolean;
  static_configs: Array<{ targets: string[]; labels: Record<string, string> }>;
}

const render = (services: readonly unknown[]) => parseYaml(renderLocalConfig(services) as string) as { scrape_configs: Job[]; rule_files: string[] };

describe('prometheus-local generator', () => {
  it('adds one scrape job per service, at its local port, labelled with its name', () => {
    const extra = { name: 'search', localPort: 4999, publicPrefixes: [], database: 'agora_search' };
    const jobs = render([...SERVICES, extra]).scrape_configs;
    expect(jobs.map((j) => j.job_name)).toEqual([...SERVICES.map((s) => s.name), 'search']);
    expect(jobs.at(-1)).toEqual({
      job_name: 'search',
      honor_labels: true,
      metrics_path: '/metrics',
      static_configs: [{ targets: ['127.0.0.1:4999'], labels: { service: 'search' } }],
    });
  });

  it('keeps the rest of the file whatever the service list', () => {
    const { scrape_configs: a, ...restA } = render(SERVICES);
    const { scrape_configs: b, ...restB } = render([]);
    expect(a).toHaveLength(SERVICES.length);
    expect(b).toEqual([]);
    expect(restB).toEqual(restA);
  });
});
