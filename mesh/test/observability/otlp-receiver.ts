import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type OtlpAttributes = Array<{ key: string; value: Record<string, unknown> }>;

/** A span as OTLP/HTTP JSON exports it, with the service and instrumentation scope it came from. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttributes;
  events?: Array<{ name: string; attributes?: OtlpAttributes }>;
  status?: { code?: number };
  service: string;
  scope: string;
}

export interface OtlpReceiver {
  /** Every span received so far, in arrival order. */
  spans: ReceivedSpan[];
  /** Every body sent here (traces or anything else), for tests that search all that left a service. */
  rawExports: string[];
  /** The variables that point a service's OpenTelemetry exporter here, flushing every 100 ms. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A tiny OTLP/HTTP JSON trace receiver on loopback, for the tests that run services as real
 * processes with tracing on and then read what they exported.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const rawExports: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      rawExports.push(body);
      if (req.url === '/v1/traces' && String(req.headers['content-type']).includes('json')) spans.push(...spansIn(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    spans,
    rawExports,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function spansIn(body: string): ReceivedSpan[] {
  const doc = JSON.parse(body) as {
    resourceSpans?: Array<{
      resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
      scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<Omit<ReceivedSpan, 'service' | 'scope'>> }>;
    }>;
  };
  const found: ReceivedSpan[] = [];
  for (const rs of doc.resourceSpans ?? []) {
    const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
    for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) found.push({ ...s, service, scope: ss.scope?.name ?? '?' });
  }
  return found;
}
