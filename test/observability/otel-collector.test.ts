/**
 * The OpenTelemetry Collector's configuration (observability/otel-collector/collector.yaml). No
 * collector binary can be had here (neither Debian nor npm packages one), so `otelcol validate`
 * cannot run: this checks the structure the collector requires (every pipeline component defined,
 * known component types of the contrib image) and what the pipeline is for (limits first, batch
 * last, scrubbing, tail sampling that keeps every error and slow trace, SQL literals replaced).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { OBS_DIR } from './promql.js';

interface Collector {
  receivers: Record<string, { protocols?: Record<string, { endpoint: string }> }>;
  processors: Record<string, Record<string, unknown>>;
  exporters: Record<string, { endpoint: string; tls?: { insecure?: boolean } }>;
  extensions?: Record<string, unknown>;
  service: { extensions?: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
}

const config = parseYaml(readFileSync(join(OBS_DIR, 'otel-collector/collector.yaml'), 'utf8')) as Collector;
const traces = config.service.pipelines.traces!;

// component types (the part before `/`) that otel/opentelemetry-collector-contrib 0.98 ships
const KNOWN = {
  receivers: ['otlp'],
  processors: ['memory_limiter', 'batch', 'attributes', 'transform', 'tail_sampling'],
  exporters: ['otlp', 'debug'],
  extensions: ['health_check'],
};

describe('otel-collector config', () => {
  it('defines every component its pipelines and extensions use, of types the contrib image has', () => {
    expect(Object.keys(config.service.pipelines)).toEqual(['traces']);
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of traces[kind]) {
        expect(config[kind], `${kind} ${id}`).toHaveProperty([id]);
        expect(KNOWN[kind], id).toContain(id.split('/')[0]);
      }
      // nothing defined and unused (a typo in a pipeline would leave its twin unused)
      expect(Object.keys(config[kind]).sort()).toEqual([...traces[kind]].sort());
    }
    for (const id of config.service.extensions ?? []) {
      expect(config.extensions, id).toHaveProperty([id]);
      expect(KNOWN.extensions).toContain(id.split('/')[0]);
    }
  });

  it('receives OTLP on 4317 (gRPC) and 4318 (HTTP) and exports to Jaeger', () => {
    expect(config.receivers.otlp?.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(traces.exporters.map((e) => config.exporters[e]!.endpoint)).toEqual(['jaeger.observability.svc.cluster.local:4317']);
  });

  it('limits memory first and batches last, with tail sampling before the batch', () => {
    expect(traces.processors[0]).toBe('memory_limiter');
    expect(traces.processors.at(-1)).toBe('batch');
    expect(traces.processors.indexOf('tail_sampling')).toBe(traces.processors.length - 2);
    expect(traces.processors.indexOf('attributes/scrub')).toBeLessThan(traces.processors.indexOf('tail_sampling'));
  });

  it('keeps every error and every trace slower than 500 ms, and a share of the rest', () => {
    const policies = (
      config.processors.tail_sampling as {
        policies: Array<{ type: string; status_code?: { status_codes: string[] }; latency?: { threshold_ms: number } }>;
      }
    ).policies;
    expect(policies.find((p) => p.type === 'status_code')?.status_code?.status_codes).toEqual(['ERROR']);
    expect(policies.find((p) => p.type === 'latency')?.latency?.threshold_ms).toBe(500);
    expect(policies.some((p) => p.type === 'probabilistic')).toBe(true);
  });

  it('deletes credentials, cookies, query strings and full URLs from every span', () => {
    const actions = (config.processors['attributes/scrub'] as { actions: Array<{ key: string; action: string }> }).actions;
    const deleted = actions.filter((a) => a.action === 'delete').map((a) => a.key);
    for (const key of ['http.request.header.authorization', 'http.request.header.cookie', 'url.query', 'url.full', 'http.url', 'http.target']) {
      expect(deleted).toContain(key);
    }
  });

  it('replaces quoted strings in db.statement (the same pattern, run here)', () => {
    const statements = (config.processors['transform/sanitise-sql'] as { trace_statements: Array<{ statements: string[] }> }).trace_statements[0]!
      .statements;
    const patterns = statements.map((s) => {
      const m = /^replace_pattern\(attributes\["db\.statement"\], "((?:[^"\\]|\\.)*)", "\?"\)$/.exec(s);
      expect(m, s).not.toBeNull();
      return new RegExp(JSON.parse(`"${m![1]}"`) as string, 'g');
    });
    let sql = "SELECT * FROM users WHERE email = 'ann@example.com' AND name = 'O''Brien' AND id = 42 LIMIT $1";
    for (const re of patterns) sql = sql.replace(re, '?');
    expect(sql).toBe('SELECT * FROM users WHERE email = ? AND name = ? AND id = 42 LIMIT $1');
  });
});
