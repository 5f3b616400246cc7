/**
 * Test helpers: parse a Prometheus text exposition and check it against observability/metrics.json.
 */
import { loadRegistry as loadObservabilityRegistry } from '../../../test/observability/promql.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface RegistryLabel {
  name: string;
  values?: string[];
}
export interface RegistryMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  source: string;
  buckets?: number[];
  labels: RegistryLabel[];
}

export function loadRegistry(): RegistryMetric[] {
  return loadObservabilityRegistry(path.join(REPO_ROOT, 'observability/metrics.json')).metrics as RegistryMetric[];
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** OpenMetrics exemplar labels, when present. */
  exemplar?: Record<string, string>;
}

function parseLabels(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out[m[1]!] = m[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
  return out;
}

/** Samples of a text (Prometheus 0.0.4 or OpenMetrics) exposition. */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m =
      /^([a-zA-Z_:][\w:]*)(?:\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\})?\s+(\S+)(?:\s+\d+(?:\.\d+)?)?(?:\s+#\s+\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\}.*)?$/.exec(
        line,
      );
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    out.push({ name: m[1]!, labels: parseLabels(m[2] ?? ''), value, exemplar: m[4] !== undefined ? parseLabels(m[4]) : undefined });
  }
  return out;
}

/** The samples belonging to a registry metric (histograms: _bucket/_sum/_count). */
export function samplesOf(metric: RegistryMetric, samples: Sample[]): Sample[] {
  const names = metric.type === 'histogram' ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`] : [metric.name];
  return samples.filter((s) => names.includes(s.name));
}

/**
 * Problems of the samples of one metric: label names other than the registry's (plus `le` on
 * buckets), values outside the fixed ones, buckets different from the registry's.
 */
export function labelProblems(metric: RegistryMetric, samples: Sample[]): string[] {
  const problems: string[] = [];
  const expected = metric.labels.map((l) => l.name).sort();
  for (const s of samplesOf(metric, samples)) {
    const names = Object.keys(s.labels)
      .filter((n) => !(n === 'le' && s.name.endsWith('_bucket')))
      .sort();
    if (names.join(',') !== expected.join(',')) problems.push(`${s.name}: labels ${names.join(',')} ≠ ${expected.join(',')}`);
    for (const l of metric.labels) {
      const v = s.labels[l.name];
      if (l.values && v !== undefined && !l.values.includes(v)) problems.push(`${s.name}{${l.name}="${v}"}: not in ${l.values.join('|')}`);
    }
  }
  if (metric.type === 'histogram' && metric.buckets) {
    const les = new Set(
      samplesOf(metric, samples)
        .filter((s) => s.name.endsWith('_bucket'))
        .map((s) => s.labels.le),
    );
    const want = [...metric.buckets.map(String), '+Inf'];
    if (les.size && [...les].sort().join(',') !== [...want].sort().join(','))
      problems.push(`${metric.name}: buckets ${[...les].join(',')} ≠ ${want.join(',')}`);
  }
  return [...new Set(problems)].slice(0, 20);
}
