import type { Span } from '@opentelemetry/api';
import { currentRequest } from '../request-context.js';
import { processMetrics } from '../observability/metrics.js';
import { injectTraceHeaders, tracingActive, withClientSpan } from '../observability/tracing.js';
import { LOCAL_WORKLOAD_HEADER, signLocalAssertion, type MeshIdentityMode } from '../auth/workload-identity.js';
import { ProblemError, problems } from '../http/problem.js';

/**
 * Service-to-service calls through the mesh. Each call:
 *  - forwards the user's bearer token (when one is behind the request) and the request id;
 *  - propagates trace context: W3C `traceparent` via OpenTelemetry, plus Envoy's B3 /
 *    `x-ot-span-context` headers copied from the incoming request so Envoy's spans join the trace;
 *  - identifies the calling workload (Istio: the sidecar's mTLS certificate does it; local run: an
 *    HMAC assertion with the run's key);
 *  - has a hard timeout and turns a failing or unreachable callee into a fast 503 problem instead
 *    of a hang or a 500.
 */
export interface ServiceClientOptions {
  /** Name of the calling service (for identity and metrics). */
  caller: string;
  /** Name of the callee (for errors and metrics). */
  callee: string;
  baseUrl: string;
  meshIdentity: MeshIdentityMode;
  meshLocalKey?: string;
  timeoutMs?: number;
  /**
   * Observes every call: duration and outcome (`ok`, `client_error`, `server_error`, `timeout`,
   * `network_error`). Default: the process's metrics (`mesh_client_*`, see observability/metrics.ts).
   */
  onCall?: (callee: string, outcome: string, seconds: number) => void;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Forward the current user's token (default true when one is present). */
  forwardUser?: boolean;
}

/** Incoming B3 headers that the tracer's own propagation replaces when tracing runs. */
const B3_HEADERS = new Set(['x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'b3']);

export class ServiceClient {
  private readonly onCall: ServiceClientOptions['onCall'];

  constructor(private readonly options: ServiceClientOptions) {
    if (!options.onCall) processMetrics()?.registerCallee(options.callee);
    this.onCall = options.onCall ?? ((callee, outcome, seconds) => processMetrics()?.onCall(callee, outcome, seconds));
  }

  /** Calls `path` and returns the parsed JSON body; 4xx from the callee become the same problem, others 503. */
  async call<T>(path: string, call: CallOptions = {}): Promise<T> {
    const method = call.method ?? 'GET';
    const url = new URL(path, this.options.baseUrl);
    return withClientSpan(this.options.callee, method, url, (span) => this.send<T>(url, method, call, span));
  }

  private async send<T>(url: URL, method: string, call: CallOptions, span: Span): Promise<T> {
    const { callee } = this.options;
    const headers: Record<string, string> = { accept: 'application/json' };
    const req = currentRequest();
    if (req) {
      headers['x-request-id'] = req.requestId;
      // With tracing on, the propagator writes fresh B3 ids for this client span; without it, Envoy's
      // incoming ones are passed on verbatim so its spans still join.
      const tracing = tracingActive();
      for (const name in req.forwardHeaders) if (!tracing || !B3_HEADERS.has(name)) headers[name] = req.forwardHeaders[name]!;
      if (req.bearerToken && call.forwardUser !== false) headers.authorization = `Bearer ${req.bearerToken}`;
    }
    injectTraceHeaders(headers);
    if (this.options.meshIdentity === 'local') {
      headers[LOCAL_WORKLOAD_HEADER] = signLocalAssertion(this.options.caller, this.options.meshLocalKey ?? '');
    }
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    const started = process.hrtime.bigint();
    const observe = (outcome: string) => this.onCall?.(callee, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
        redirect: 'error',
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      observe(timedOut ? 'timeout' : 'network_error');
      throw problems.unavailable(`The ${callee} service did not answer in time; try again shortly.`);
    }
    span.setAttribute('http.response.status_code', res.status);
    let text: string;
    try {
      text = await res.text();
    } catch {
      observe('network_error');
      throw problems.unavailable(`The ${callee} service did not answer in time; try again shortly.`);
    }
    if (res.ok) {
      observe('ok');
      return (text ? JSON.parse(text) : undefined) as T;
    }
    observe(res.status >= 500 ? 'server_error' : 'client_error');
    if (res.status === 404) throw problems.notFound(detailOf(text) ?? 'Not found.');
    if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403) {
      throw new ProblemError(res.status, res.status === 409 ? 'conflict' : 'validation', detailOf(text) ?? 'Rejected by a dependency.');
    }
    // 401/403 from a callee means our own identity or policy is wrong, not the caller's fault.
    throw problems.unavailable(`The ${callee} service refused or failed the call; try again shortly.`);
  }
}

function detailOf(text: string): string | undefined {
  try {
    const doc = JSON.parse(text) as { detail?: unknown };
    return typeof doc.detail === 'string' ? doc.detail : undefined;
  } catch {
    return undefined;
  }
}
