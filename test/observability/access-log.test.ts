/**
 * Envoy's access log (every sidecar and the ingress gateway) carries no query string, token, cookie
 * or JWT payload. Offline: the format is meshConfig.accessLogFormat of istio/install/istio-operator.yaml
 * (JSON encoding), the Telemetry of every rendered overlay turns the `envoy` logger on. Each command
 * operator of the format must be one this list allows; a request is then "logged" by expanding the
 * format with a sample request the way Envoy's operators would, and the secrets must not show.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { INSTALL_TIMEOUT_MS, REPO_ROOT, ensureKubectl, run } from './promql.js';

const operator = parseYaml(readFileSync(join(REPO_ROOT, 'istio/install/istio-operator.yaml'), 'utf8')) as {
  spec: { meshConfig: { accessLogFile?: string; accessLogEncoding?: string; accessLogFormat?: string } };
};
const mesh = operator.spec.meshConfig;

/** Operators that cannot carry request content beyond the route's path. */
const ALLOWED = new Set([
  'START_TIME',
  'PROTOCOL',
  'RESPONSE_CODE',
  'RESPONSE_FLAGS',
  'RESPONSE_CODE_DETAILS',
  'CONNECTION_TERMINATION_DETAILS',
  'UPSTREAM_TRANSPORT_FAILURE_REASON',
  'BYTES_RECEIVED',
  'BYTES_SENT',
  'DURATION',
  'UPSTREAM_HOST',
  'UPSTREAM_CLUSTER',
  'ROUTE_NAME',
  'DOWNSTREAM_REMOTE_ADDRESS',
  'TRACE_ID',
  'REQ(:METHOD)',
  'REQ(:AUTHORITY)',
  'REQ(X-REQUEST-ID)',
  'REQ(X-FORWARDED-FOR)',
  'RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)',
  'REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)',
]);

const format = (): Record<string, string> => JSON.parse(mesh.accessLogFormat ?? '{}') as Record<string, string>;
const operators = (value: string) => [...value.matchAll(/%([A-Z_]+(?:\([^)]*\))?)(?::\d+)?%/g)].map((m) => m[1]!);

/** A request with a token in the query string and the usual credentials in headers. */
const SAMPLE = {
  method: 'GET',
  path: '/api/v1/auth/login/code?code=934711&token=rt_S3cr3tRefreshT0ken',
  headers: {
    authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl',
    cookie: 'session=abc123secret',
    'x-request-id': 'req-1',
    'x-forwarded-for': '203.0.113.9',
    ':authority': 'api.agora.example',
  } as Record<string, string>,
};

/** Envoy's expansion of the operators used here, for SAMPLE (others as '-'). */
function expand(op: string): string {
  const req = /^REQ\(([^)?]+)(?:\?([^)]+))?\)$/.exec(op);
  if (req) {
    const name = req[1]!.toLowerCase();
    if (name === ':path' || name === 'x-envoy-original-path') return SAMPLE.path;
    if (name === ':method') return SAMPLE.method;
    return SAMPLE.headers[name] ?? '-';
  }
  if (op.startsWith('REQ_WITHOUT_QUERY(')) return SAMPLE.path.split('?')[0]!;
  return '-';
}

describe('Envoy access log', () => {
  const telemetries: Array<{ overlay: string; spec: { accessLogging?: Array<{ providers?: Array<{ name: string }>; disabled?: boolean }> } }> = [];
  beforeAll(() => {
    const kubectl = ensureKubectl();
    for (const overlay of ['dev', 'prod']) {
      const r = run(kubectl, ['kustomize', join(REPO_ROOT, 'istio/overlays', overlay)]);
      expect(r.code, r.output).toBe(0);
      for (const d of parseAllDocuments(r.output).map((x) => x.toJS() as { kind?: string; spec: never })) {
        if (d?.kind === 'Telemetry') telemetries.push({ overlay, spec: d.spec });
      }
    }
  }, INSTALL_TIMEOUT_MS);

  it("is JSON to stdout in the project's own format", () => {
    expect(mesh.accessLogFile).toBe('/dev/stdout');
    expect(mesh.accessLogEncoding).toBe('JSON');
    expect(Object.keys(format()).length).toBeGreaterThan(10);
  });

  it('uses only operators that carry no query string, credential or token', () => {
    const used = Object.values(format()).flatMap(operators);
    expect(used.filter((op) => !ALLOWED.has(op))).toEqual([]);
    expect(used).toContain('REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)');
  });

  it('logs a request with a token in its query and credentials in its headers without any of them', () => {
    const line = JSON.stringify(
      Object.fromEntries(
        Object.entries(format()).map(([k, v]) => [k, v.replace(/%([A-Z_]+(?:\([^)]*\))?)(?::\d+)?%/g, (_m, op: string) => expand(op))]),
      ),
    );
    expect(line).toContain('"path":"/api/v1/auth/login/code"');
    for (const secret of ['934711', 'rt_S3cr3tRefreshT0ken', 'eyJhbGciOiJFZERTQSJ9', 'c2lnbmF0dXJl', 'abc123secret'])
      expect(line).not.toContain(secret);
  });

  it("the check would catch Istio's default format (it logs the path with its query)", () => {
    const defaultPath = '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%';
    expect(ALLOWED.has(operators(defaultPath)[0]!)).toBe(false);
    expect(defaultPath.replace(/%([A-Z_]+(?:\([^)]*\))?)%/g, (_m, op: string) => expand(op))).toContain('token=');
  });

  it('is switched on by the mesh-wide Telemetry of every overlay, with the envoy provider', () => {
    expect(telemetries.map((t) => t.overlay).sort()).toEqual(['dev', 'prod']);
    for (const t of telemetries) {
      expect(
        t.spec.accessLogging?.flatMap((a) => (a.disabled ? [] : (a.providers ?? []).map((p) => p.name))),
        t.overlay,
      ).toEqual(['envoy']);
    }
  });
});
